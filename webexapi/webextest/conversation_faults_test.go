package webextest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestConversationLookupFaults(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := connect(t, s, registerDevice(t, s))
	id, f := sayAndRead(t, s, c, "bonjour")
	a := f.Data.Activity
	lookup := strings.Replace(a.Target.URL, "conversations/"+a.Target.ID, "messages/"+a.ID, 1)

	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"conversationRate429": 1, "conversationRetryAfterSeconds": 5}, nil)
	status, h, raw := call(t, "GET", lookup, s.BotToken(), nil)
	requireError(t, http.StatusTooManyRequests, status, h, raw)
	require.Equal(t, "5", h.Get("Retry-After"))
	callJSON(t, "GET", s.APIURL()+"/messages/"+id, s.BotToken(), nil, nil) // /v1/ is not touched

	s.SetFaults(webextest.Faults{ConversationRate5xx: 1, Status5xx: 504})
	status, h, raw = call(t, "GET", lookup, s.BotToken(), nil)
	requireError(t, http.StatusGatewayTimeout, status, h, raw)
	actionLookup := strings.Replace(a.Target.URL, "conversations/"+a.Target.ID, "attachment/actions/"+a.ID, 1)
	status, h, raw = call(t, "GET", actionLookup, s.BotToken(), nil)
	requireError(t, http.StatusGatewayTimeout, status, h, raw)

	// The /v1/ faults leave the conversation service alone, as before.
	s.SetFaults(webextest.Faults{Rate429: 1, Rate5xx: 1})
	require.Equal(t, id, restIDOf(t, s, f))

	require.Equal(t, 4, s.ConversationLookups())
	var counts map[string]int
	callJSON(t, "GET", s.URL()+"/_sim/counts", "", nil, &counts)
	require.Equal(t, 4, counts["conversationLookups"])
}
