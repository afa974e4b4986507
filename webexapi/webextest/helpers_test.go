package webextest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// testClient bounds every test request, so that a stuck handler fails the test.
var testClient = &http.Client{Timeout: 10 * time.Second}

// call sends one request to the fake and returns the status, headers and body.
func call(t *testing.T, method, url, token string, body any) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := testClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, raw
}

// callJSON is call that decodes a 2xx body into out and fails on another status.
func callJSON(t *testing.T, method, url, token string, body, out any) http.Header {
	t.Helper()
	status, h, raw := call(t, method, url, token, body)
	require.Truef(t, status >= 200 && status < 300, "%s %s: %d %s", method, url, status, raw)
	if out != nil {
		require.NoError(t, json.Unmarshal(raw, out), string(raw))
	}
	return h
}

// errorBody is Webex's error shape.
type errorBody struct {
	Message string `json:"message"`
	Errors  []struct {
		Description string `json:"description"`
	} `json:"errors"`
	TrackingID string `json:"trackingId"`
}

// requireError checks a Webex error answer and returns its descriptions joined.
func requireError(t *testing.T, wantStatus, status int, h http.Header, raw []byte) string {
	t.Helper()
	require.Equal(t, wantStatus, status, string(raw))
	require.Equal(t, "application/json;charset=UTF-8", h.Get("Content-Type"))
	var e errorBody
	require.NoError(t, json.Unmarshal(raw, &e), string(raw))
	require.NotEmpty(t, e.Message)
	require.NotEmpty(t, e.Errors)
	require.NotEmpty(t, e.TrackingID)
	require.Equal(t, e.TrackingID, h.Get("Trackingid"))
	var ds []string
	for _, d := range e.Errors {
		ds = append(ds, d.Description)
	}
	return strings.Join(ds, " | ")
}

// fakeClock is a settable clock safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type listPeople struct {
	Items []struct {
		ID          string   `json:"id"`
		Emails      []string `json:"emails"`
		DisplayName string   `json:"displayName"`
		Type        string   `json:"type"`
		Timezone    string   `json:"timezone"`
	} `json:"items"`
}

// personID looks a directory person up by e-mail over REST.
func personID(t *testing.T, s *webextest.Server, email string) string {
	t.Helper()
	var out listPeople
	callJSON(t, "GET", s.APIURL()+"/people?email="+email, s.BotToken(), nil, &out)
	require.Len(t, out.Items, 1)
	return out.Items[0].ID
}

func botID(t *testing.T, s *webextest.Server) string {
	t.Helper()
	var me struct {
		ID string `json:"id"`
	}
	callJSON(t, "GET", s.APIURL()+"/people/me", s.BotToken(), nil, &me)
	return me.ID
}
