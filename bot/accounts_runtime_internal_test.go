package bot

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAsUserTransportDropsHostEmail checks what reaches Webex with an organizer's own token:
// no hostEmail (reserved for admin-level scopes), the configured site on a creation, and
// everything else untouched.
func TestAsUserTransportDropsHostEmail(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, query string
		body          map[string]any
	}
	var got []seen
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		s := seen{method: r.Method, query: r.URL.RawQuery}
		if r.Body != nil {
			raw, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			require.Equal(t, int64(len(raw)), r.ContentLength)
			if len(raw) > 0 {
				require.NoError(t, json.Unmarshal(raw, &s.body))
			}
		}
		got = append(got, s)
		rec := httptest.NewRecorder()
		rec.WriteHeader(http.StatusOK)
		return rec.Result(), nil
	})
	c := &http.Client{Transport: asUserTransport{next: next, siteURL: "example.webex.com"}}
	post := func(url, body string) {
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	post("https://webexapis.com/v1/meetings", `{"title":"Suivi","hostEmail":"alex@example.com","joinBeforeHostMinutes":15,"invitees":[{"email":"jean@example.com"}]}`)
	post("https://webexapis.com/v1/meetings/abc", `{"title":"Suivi","hostEmail":"alex@example.com"}`)
	resp, err := c.Get("https://webexapis.com/v1/meetings?hostEmail=alex%40example.com&integrationTag=relais-1&max=10")
	require.NoError(t, err)
	resp.Body.Close()
	post("https://webexapis.com/v1/messages", `{"hostEmail":"kept@example.com"}`)

	require.Len(t, got, 4)
	assert.Equal(t, map[string]any{"title": "Suivi", "joinBeforeHostMinutes": float64(15), "siteUrl": "example.webex.com",
		"invitees": []any{map[string]any{"email": "jean@example.com"}}}, got[0].body)
	assert.Equal(t, map[string]any{"title": "Suivi"}, got[1].body, "no site on an update")
	assert.Equal(t, "integrationTag=relais-1&max=10", got[2].query)
	assert.Equal(t, "kept@example.com", got[3].body["hostEmail"], "only meetings calls are adapted")
}
