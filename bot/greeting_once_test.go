package bot_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestGreetingSentOnceWhenItsAnswerIsLost: Webex posts the greeting and its answer is lost (a
// 503, a cut connection). A bot cannot read its own messages in a group space, so it cannot
// look for the greeting: it claimed the space before sending and does not send again, and the
// event is done, not retried.
func TestGreetingSentOnceWhenItsAnswerIsLost(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"", webextest.ActThenFailDrop} {
		name := "status"
		if mode != "" {
			name = mode
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, harnessOptions{})
			h.fake.SetFaults(unkind(webextest.Faults{ActThenFailRate: 1, ActThenFailMode: mode}))
			id, err := h.fake.AddBot(webextest.AddRequest{Room: "Équipe", By: alex})
			require.NoError(t, err)
			h.waitHandled(id)

			assert.Len(t, h.fake.RoomMessages("Équipe"), 1, "the greeting Webex posted")
			assert.Equal(t, 1, h.fake.CallCounts()["POST /v1/messages"], "sent once, never again blind")
			depth, err := h.rt.Store.OutboxDepth(context.Background())
			require.NoError(t, err)
			assert.Zero(t, depth, "the event is done, not retried")
		})
	}
}
