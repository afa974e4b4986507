package bot

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
)

// The shared intake backoff honours Retry-After, never moves back, and starts over after a
// success.
func TestIntakeBackoffHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	var g intakeBackoff
	now := time.Date(2026, 6, 16, 9, 0, 0, 0, time.UTC)
	rateLimited := &webexapi.APIError{StatusCode: http.StatusTooManyRequests, RetryAfter: 5 * time.Second}
	assert.Equal(t, now.Add(5*time.Second), g.failed(now, rateLimited))
	assert.Equal(t, now.Add(5*time.Second), g.notBefore())
	// A shorter wait seen later does not shorten the one in force.
	assert.Equal(t, now.Add(5*time.Second), g.failed(now.Add(time.Second), errors.New("timeout")))
	// Without Retry-After: exponential over consecutive failures.
	later := now.Add(time.Minute)
	assert.Equal(t, later.Add(jobRetry.Delay(3)), g.failed(later, errors.New("503")))
	g.succeeded()
	assert.Equal(t, later.Add(time.Hour).Add(jobRetry.Delay(1)), g.failed(later.Add(time.Hour), errors.New("503")))
}

// Readiness: red before the first connection, green while connected and within the grace
// period of a disconnection, red past it, green again once reconnected; a broken intake (4000,
// an inactive webhook) is red whatever the connection says, until cleared.
func TestIntakeHealth(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 16, 9, 0, 0, 0, time.UTC)
	h := &intakeHealth{now: func() time.Time { return now }, grace: 30 * time.Second}
	require.Error(t, h.check(), "never connected")
	h.connected()
	require.NoError(t, h.check())
	h.disconnected()
	now = now.Add(20 * time.Second)
	h.disconnected() // a failed reconnection does not restart the grace period
	require.NoError(t, h.check(), "within the grace period")
	now = now.Add(11 * time.Second)
	require.ErrorContains(t, h.check(), "not connected to Webex for 31s")
	h.connected()
	require.NoError(t, h.check())
	h.setBroken(webexapi.ErrDeviceReplaced)
	require.ErrorIs(t, h.check(), webexapi.ErrDeviceReplaced)
	h.setBroken(nil)
	require.NoError(t, h.check())
}
