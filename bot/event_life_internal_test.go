package bot

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/relaisbot/relais/store"
)

// An event recorded here less than half a lease ago cannot have been claimed by anyone: it is
// not read back. Past that, or claimed by the poller, or never recorded, it is.
func TestEventLifeMayBeTaken(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 16, 9, 0, 0, 0, time.UTC)
	lease := time.Minute
	life := receivedEvent(now)
	assert.Equal(t, eventReceived, life.state)
	assert.True(t, life.mayBeTaken(now, lease), "unrecorded")

	life.recorded(store.OutboxItem{ID: "i", DueAt: now.Add(lease)})
	assert.Equal(t, eventRecorded, life.state)
	assert.True(t, life.here)
	assert.False(t, life.mayBeTaken(now.Add(lease/2-time.Second), lease), "recorded here just now")
	assert.True(t, life.mayBeTaken(now.Add(lease/2), lease), "half a lease later")

	claimed := claimedEvent("i", now)
	assert.Equal(t, eventRecorded, claimed.state)
	assert.False(t, claimed.here)
	assert.True(t, claimed.mayBeTaken(now, lease), "claimed by the poller")
}
