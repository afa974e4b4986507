package webexapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A lookup that Webex answers 429 with a long Retry-After (or 5xx) does not tear the connection
// down: the activity is handed over unresolved, acked once the consumer accepted it, and the
// other activities go on. Resolving the reference later gives the very event.
func TestListenerHandsOverUnresolvedActivityOnPassingLookupFailure(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
	}{
		{"429 with Retry-After 5", http.StatusTooManyRequests, "5"},
		{"503", http.StatusServiceUnavailable, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMiniWebex(t)
			m.lookupFault = func(n int) int {
				if n == 1 {
					return tc.status
				}
				return 0
			}
			m.lookupRetryAfter = tc.retryAfter
			// The listener's lookups wait for no long Retry-After, and retry nothing here.
			lookups := m.client(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 1, MaxRetryAfter: time.Second}))
			out := make(chan Event, 4)
			st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()),
				WithLookupClient(lookups), WithAcceptance())
			c := waitConn(t, m)
			c.send(t, m.activityFrame("f-slow", "slow", "post", "PERSON", "p1"))
			ev := waitEvent(t, out)
			require.NotNil(t, ev.Unresolved)
			assert.Empty(t, ev.ID)
			assert.Equal(t, "slow", ev.Unresolved.ActivityID)
			assert.Empty(t, ev.Unresolved.RESTID, "the lookup itself failed")
			assert.Equal(t, "p1", ev.Unresolved.ActorID)
			assert.Equal(t, RoomTypeDirect, ev.Unresolved.RoomType)
			// Another conversation goes on meanwhile; the unresolved frame waits for its record.
			c.send(t, m.activityFrame("f-next", "next", "post", "PERSON", "p2"))
			next := waitEvent(t, out)
			assert.Equal(t, "MSG-next", next.ID, "the other conversations go on")
			next.Accept(nil)
			for id := ""; id != "f-next"; {
				select {
				case id = <-m.acks:
					require.NotEqual(t, "f-slow", id, "acked before the consumer recorded the event")
				case <-time.After(10 * time.Second):
					t.Fatal("f-next never acked")
				}
			}
			ev.Accept(nil)
			waitAck(t, m, "f-slow")

			resolved, err := lookups.ResolveActivity(context.Background(), *ev.Unresolved)
			require.NoError(t, err)
			assert.Equal(t, "MSG-slow", resolved.ID)
			require.NotNil(t, resolved.Message)
			m.mu.Lock()
			handshakes := m.handshakes
			m.mu.Unlock()
			assert.Equal(t, 1, handshakes, "no reconnection")
			for len(st) > 0 {
				sc := <-st
				assert.NotContains(t, []State{StateError, StateDisconnected}, sc.State, "%v", sc.Err)
			}
		})
	}
}

// A reference whose conversation URL points outside Webex is refused before the token is sent.
func TestResolveActivityRefusesForeignHosts(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	_, err := m.client(t).ResolveActivity(context.Background(), ActivityRef{
		ActivityID: "a", Verb: verbPost, LookupURL: "https://evil.example/conv/api/v1/messages/a",
	})
	require.Error(t, err)
	assert.True(t, IsPermanent(err))
}
