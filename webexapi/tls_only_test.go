package webexapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// elsewhere is a server that is not Webex: it counts what reaches it and the tokens it saw.
type elsewhere struct {
	srv    *httptest.Server
	hits   atomic.Int32
	tokens atomic.Int32
	bodies atomic.Int32
}

func newElsewhere(t *testing.T) *elsewhere {
	e := &elsewhere{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			e.tokens.Add(1)
		}
		if b, _ := io.ReadAll(r.Body); len(b) > 0 {
			e.bodies.Add(1)
		}
		_, _ = io.WriteString(w, `{"id":"x","access_token":"stolen","devices":[]}`)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func TestTheCatalogCannotSendTheTokenElsewhere(t *testing.T) {
	t.Parallel()
	evil := newElsewhere(t)
	for name, wdm := range map[string]string{
		"another host":           evil.srv.URL + "/wdm/api/v1",
		"plain http on webex":    "http://wdm-a.wbx2.com/wdm/api/v1",
		"a look-alike domain":    "https://wbx2.com.evil.example/wdm/api/v1",
		"credentials in the url": "https://user@wdm-a.wbx2.com/wdm/api/v1",
	} {
		c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			_ = json.NewEncoder(w).Encode(map[string]any{"serviceLinks": map[string]string{"wdm": wdm}})
		})
		d := NewDevices(c, DevicesConfig{CatalogURL: c.BaseURL() + "/catalog"})
		_, err := d.List(context.Background())
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "refused", name)
	}
	assert.Zero(t, evil.hits.Load(), "the catalog's link to another host received a request")
}

func TestADeviceRegistrationCannotSendTheTokenElsewhere(t *testing.T) {
	t.Parallel()
	evil := newElsewhere(t)
	wsEvil := "ws" + strings.TrimPrefix(evil.srv.URL, "http") + "/mercury"
	var self string
	for name, dev := range map[string]func() Device{
		"websocket on another host": func() Device { return Device{URL: self + "/wdm/api/v1/devices/1", WebSocketURL: wsEvil} },
		"websocket in clear on webex": func() Device {
			return Device{URL: self + "/wdm/api/v1/devices/1", WebSocketURL: "ws://mercury-a.wbx2.com/v1/apps/wx2/registrations/1/messages"}
		},
		"device url on another host": func() Device {
			return Device{URL: evil.srv.URL + "/devices/1", WebSocketURL: "wss://mercury-a.wbx2.com/x"}
		},
	} {
		c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			_ = json.NewEncoder(w).Encode(dev())
		})
		self = strings.TrimSuffix(c.BaseURL(), "/v1")
		d := NewDevices(c, DevicesConfig{ServiceURL: self + "/wdm/api/v1"})
		_, err := d.Create(context.Background(), NewDeviceRequest("relais"))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "refused", name)
	}
	assert.Zero(t, evil.hits.Load())
}

func TestTrustedWebsocketURLs(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithBaseURL("http://127.0.0.1:8765/v1"), WithToken("t"))
	require.NoError(t, err)
	for raw, want := range map[string]bool{
		"wss://mercury-connection-a.wbx2.com/v1/apps/wx2/registrations/x/messages": true,
		"ws://127.0.0.1:8765/mercury/x":                                            true, // the fake, same host as the API
		"ws://mercury-connection-a.wbx2.com/v1/apps/wx2/registrations/x/messages":  false,
		"https://mercury-connection-a.wbx2.com/x":                                  false,
		"wss://evil.example/x":                                                     false,
		"ws://127.0.0.1:9999/mercury/x":                                            false,
	} {
		assert.Equal(t, want, c.trustedWebsocket(raw), raw)
	}
}

func TestNoRedirectTakesTheTokenToAnotherOrigin(t *testing.T) {
	t.Parallel()
	evil := newElsewhere(t)
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/people/me" {
			http.Redirect(w, r, evil.srv.URL+"/people/me", http.StatusFound)
			return
		}
		http.Redirect(w, r, "/v1/people/me", http.StatusFound) // same origin: followed
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	_, err := c.People.Me(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another origin")
	_, err = c.People.Get(context.Background(), "p1")
	require.Error(t, err)
	assert.Zero(t, evil.hits.Load(), "a redirect took the request to another host")
}

func TestTheTokenRefreshIsNeverSentAgainOnARedirect(t *testing.T) {
	t.Parallel()
	evil := newElsewhere(t)
	for name, target := range map[string]string{"another host": evil.srv.URL + "/v1/access_token", "the same host": "/v1/other"} {
		var same atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/other" {
				same.Add(1)
			}
			http.Redirect(w, r, target, http.StatusTemporaryRedirect) // 307 re-sends the body
		}))
		t.Cleanup(srv.Close)
		rt, err := NewRefreshingToken(RefreshConfig{TokenURL: srv.URL + "/v1/access_token", ClientID: "cid", ClientSecret: "csecret", RefreshToken: "rt-0"})
		require.NoError(t, err)
		_, err = rt.Token(context.Background())
		require.Error(t, err, name)
		assert.Zero(t, same.Load(), name)
	}
	assert.Zero(t, evil.hits.Load(), "the refresh body went to another host")
}

func TestTheIntegrationNeverSendsItsFormsAgainOnARedirect(t *testing.T) {
	t.Parallel()
	evil := newElsewhere(t)
	for name, target := range map[string]string{"another host": evil.srv.URL + "/v1/access_token", "the same host": "/v1/other"} {
		var same atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/other" {
				same.Add(1)
			}
			http.Redirect(w, r, target, http.StatusTemporaryRedirect) // 307 re-sends the body
		}))
		t.Cleanup(srv.Close)
		in, err := NewIntegration(IntegrationConfig{BaseURL: srv.URL + "/v1", ClientID: "cid", ClientSecret: "csecret"})
		require.NoError(t, err)
		_, err = in.Refresh(context.Background(), "rt-0")
		require.Error(t, err, name)
		_, err = in.PollDevice(context.Background(), "dc-0")
		require.Error(t, err, name)
		assert.Zero(t, same.Load(), name)
	}
	assert.Zero(t, evil.hits.Load(), "an OAuth form went to another host")
}

func TestRefreshTokenExpiryIsWhatWebexSaid(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 3600)
	clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	rt := newRefreshing(t, te, clk, nil)
	assert.True(t, rt.RefreshTokenExpiry().IsZero(), "unknown before the first refresh")
	_, err := rt.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, clk.now().Add(7775999*time.Second), rt.RefreshTokenExpiry())
}
