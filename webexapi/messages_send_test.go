package webexapi

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Send posts like Create without decoding Webex's echo of the message, and the connection still
// serves the next call when the echo is long (a designate's message with its card).
func TestMessagesSendDiscardsTheEchoAndKeepsTheConnection(t *testing.T) {
	t.Parallel()
	var conns atomic.Int32
	var got []MessageRequest
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req MessageRequest
		if !assert.NoError(t, json.NewDecoder(r.Body).Decode(&req)) { // the server's goroutine: not require
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		got = append(got, req)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"m1","markdown":"`+strings.Repeat("x", 20<<10)+`"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/v1"), WithToken("tok"))
	require.NoError(t, err)

	ctx := context.Background()
	for range 3 {
		require.NoError(t, c.Messages.Send(ctx, &MessageRequest{ToPersonEmail: "marie@example.com", Markdown: "**hi**"}))
	}
	require.Len(t, got, 3)
	assert.Equal(t, "marie@example.com", got[0].ToPersonEmail)
	assert.Equal(t, "**hi**", got[0].Markdown)
	assert.EqualValues(t, 1, conns.Load(), "one connection for the three calls")

	assert.Error(t, c.Messages.Send(ctx, &MessageRequest{Markdown: "nowhere"}), "a message needs a destination")
}

func TestMessagesSendReportsWebexErrors(t *testing.T) {
	t.Parallel()
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeWebexError(w, http.StatusNotFound, "Could not find the person", "T404")
	})
	err := c.Messages.Send(context.Background(), &MessageRequest{ToPersonEmail: "nobody@example.com", Text: "x"})
	require.Error(t, err)
	assert.True(t, IsNotFound(err))
}
