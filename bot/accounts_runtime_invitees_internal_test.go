package bot

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAsUserTransportDropsHostEmailOnInvitees: a hand-over in own-account mode reads, adds and
// removes meeting invitees; those calls carry hostEmail too (in the query or the body), which
// Webex reserves for admin-level scopes, so they are adapted like the meetings calls.
func TestAsUserTransportDropsHostEmailOnInvitees(t *testing.T) {
	t.Parallel()
	var queries, bodies []string
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		queries = append(queries, r.URL.RawQuery)
		body := ""
		if r.Body != nil {
			raw, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, err
			}
			body = string(raw)
		}
		bodies = append(bodies, body)
		rec := httptest.NewRecorder()
		rec.WriteHeader(http.StatusOK)
		return rec.Result(), nil
	})
	c := &http.Client{Transport: asUserTransport{next: next}}
	do := func(method, url, body string) {
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		require.NoError(t, err)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	do(http.MethodGet, "https://webexapis.com/v1/meetingInvitees?meetingId=m1&hostEmail=alex%40example.com&max=100", "")
	do(http.MethodPost, "https://webexapis.com/v1/meetingInvitees", `{"meetingId":"m1","email":"bob@example.com","hostEmail":"alex@example.com"}`)
	do(http.MethodDelete, "https://webexapis.com/v1/meetingInvitees/i1?hostEmail=alex%40example.com", "")

	require.Len(t, queries, 3)
	assert.Equal(t, "max=100&meetingId=m1", queries[0])
	assert.JSONEq(t, `{"meetingId":"m1","email":"bob@example.com"}`, bodies[1])
	assert.Empty(t, queries[2])
}
