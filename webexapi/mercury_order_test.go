package webexapi

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// slowFrame is a post in a second conversation whose REST id lookup is served under /slow/.
func (m *miniWebex) slowFrame(frameID, actID, actorID string) map[string]any {
	f := m.activityFrame(frameID, actID, "post", "PERSON", actorID)
	conv := "5105105c-0000-0000-0000-000000000002"
	act := f["data"].(map[string]any)["activity"].(map[string]any)
	act["target"] = map[string]any{"id": conv, "objectType": "conversation", "url": m.base + "/slow/api/v1/conversations/" + conv, "tags": []string{"ONE_ON_ONE"}}
	return f
}

// A slow lookup (a 429 and its Retry-After, say) delays only its own conversation: others are
// handed over meanwhile, and the slow conversation's events still come in their order.
func TestListenerSlowConversationDelaysOnlyItself(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	release := make(chan struct{})
	m.mux.HandleFunc("GET /slow/api/v1/messages/{id}", m.rest(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		writeTestJSON(w, map[string]string{"id": "MSG-" + r.PathValue("id")})
	}))
	out := make(chan Event, 8)
	runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
	c := waitConn(t, m)

	c.send(t, m.slowFrame("f-slow-1", "slow-1", "p1"))
	c.send(t, m.slowFrame("f-slow-2", "slow-2", "p1"))
	c.send(t, m.activityFrame("f-fast", "fast", "post", "PERSON", "p2"))

	assert.Equal(t, "MSG-fast", waitEvent(t, out).ID, "the other conversation does not wait")
	waitAck(t, m, "f-fast")
	select {
	case ev := <-out:
		t.Fatalf("the slow conversation's event %s came before its lookup answered", ev.ID)
	default:
	}
	close(release)
	assert.Equal(t, "MSG-slow-1", waitEvent(t, out).ID)
	assert.Equal(t, "MSG-slow-2", waitEvent(t, out).ID, "one conversation's events keep their order")
	waitAcks(t, m, "f-slow-1", "f-slow-2")
}
