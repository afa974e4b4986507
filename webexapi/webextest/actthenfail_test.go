package webextest_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestActThenFailActsThenAnswers5xx(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"actThenFailRate": 1, "status5xx": 502}, nil)
	status, h, raw := call(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"toPersonEmail": "bob.smith@example.com", "text": "un"})
	requireError(t, http.StatusBadGateway, status, h, raw)
	got := s.BotMessages("bob.smith@example.com")
	require.Len(t, got, 1, "the message was posted before the failure")
	require.Equal(t, "un", got[0].Text)

	// A refused call keeps its own answer; a read is not touched.
	status, h, raw = call(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"text": "à personne"})
	requireError(t, http.StatusBadRequest, status, h, raw)
	callJSON(t, "GET", s.APIURL()+"/messages/"+got[0].ID, s.BotToken(), nil, nil)

	// DELETE too: the message is gone although the answer was an error.
	status, h, raw = call(t, "DELETE", s.APIURL()+"/messages/"+got[0].ID, s.BotToken(), nil)
	requireError(t, http.StatusBadGateway, status, h, raw)
	require.Empty(t, s.BotMessages("bob.smith@example.com"))

	s.SetFaults(webextest.Faults{})
	callJSON(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"toPersonEmail": "bob.smith@example.com", "text": "deux"}, nil)
}

func TestActThenFailDropClosesTheConnectionWithoutAnswer(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	s.SetFaults(webextest.Faults{ActThenFailRate: 1, ActThenFailMode: webextest.ActThenFailDrop})
	req, err := http.NewRequest("POST", s.APIURL()+"/messages",
		bytes.NewReader([]byte(`{"toPersonEmail":"bob.smith@example.com","text":"coupé"}`)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.BotToken())
	req.Header.Set("Content-Type", "application/json")
	resp, err := testClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "no answer at all")
	require.Len(t, s.BotMessages("bob.smith@example.com"), 1, "yet the message was posted")
}

func TestActThenFailShareIsSeeded(t *testing.T) {
	t.Parallel()
	post := func(s *webextest.Server) []int {
		out := make([]int, 200)
		for i := range out {
			out[i], _, _ = call(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"toPersonEmail": "bob.smith@example.com", "text": "x"})
		}
		return out
	}
	a := webextest.NewTestServer(t, webextest.Options{Seed: 7})
	b := webextest.NewTestServer(t, webextest.Options{Seed: 7})
	a.SetFaults(webextest.Faults{ActThenFailRate: 0.3})
	b.SetFaults(webextest.Faults{ActThenFailRate: 0.3})
	sa := post(a)
	require.Equal(t, sa, post(b))
	failed := 0
	for _, st := range sa {
		if st == http.StatusServiceUnavailable {
			failed++
		}
	}
	require.InDelta(t, 60, failed, 25)
	require.Len(t, a.BotMessages("bob.smith@example.com"), 200, "every call took effect")
}
