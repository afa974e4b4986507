package webextest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestWrongTokenIs401WithTrackingID(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	for _, token := range []string{"", "nope"} {
		status, h, raw := call(t, "GET", s.APIURL()+"/people/me", token, nil)
		requireError(t, http.StatusUnauthorized, status, h, raw)
	}
}

func TestPeopleMeTellsBotFromAdmin(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{BotToken: "b", MeetingsToken: "m"})
	var me struct {
		Type        string   `json:"type"`
		DisplayName string   `json:"displayName"`
		Emails      []string `json:"emails"`
	}
	h := callJSON(t, "GET", s.APIURL()+"/people/me", "b", nil, &me)
	require.Equal(t, "bot", me.Type)
	require.Equal(t, "Relais", me.DisplayName)
	require.Equal(t, []string{"relais@webex.bot"}, me.Emails)
	require.Equal(t, "application/json;charset=UTF-8", h.Get("Content-Type"))
	require.NotEmpty(t, h.Get("Trackingid"))
	callJSON(t, "GET", s.APIURL()+"/people/me", "m", nil, &me)
	require.Equal(t, "person", me.Type)
}

func TestBotTokenRefusedOnEveryMeetingsCall(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	for _, c := range []struct{ method, path string }{
		{"POST", "/meetings"}, {"GET", "/meetings"}, {"GET", "/meetings/abc"},
		{"PATCH", "/meetings/abc"}, {"PUT", "/meetings/abc"}, {"DELETE", "/meetings/abc"},
	} {
		status, h, raw := call(t, c.method, s.APIURL()+c.path, s.BotToken(), map[string]any{"title": "x"})
		requireError(t, http.StatusForbidden, status, h, raw)
	}
}

func TestRefreshTokenIssuesMeetingsTokensThatExpire(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC))
	s := webextest.NewTestServer(t, webextest.Options{Clock: clock.Now, MeetingsTokenTTL: time.Hour})
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {"client-id"},
		"client_secret": {"client-secret"}, "refresh_token": {"refresh-token"}}
	resp, err := http.Post(s.APIURL()+"/access_token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var tok struct {
		AccessToken           string `json:"access_token"`
		ExpiresIn             int    `json:"expires_in"`
		RefreshToken          string `json:"refresh_token"`
		RefreshTokenExpiresIn int    `json:"refresh_token_expires_in"`
		TokenType             string `json:"token_type"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.Equal(t, 3600, tok.ExpiresIn)
	require.Equal(t, "Bearer", tok.TokenType)
	require.Equal(t, "refresh-token", tok.RefreshToken)
	require.Positive(t, tok.RefreshTokenExpiresIn)

	callJSON(t, "GET", s.APIURL()+"/meetings", tok.AccessToken, nil, nil)
	clock.Add(time.Hour)
	status, h, raw := call(t, "GET", s.APIURL()+"/meetings", tok.AccessToken, nil)
	requireError(t, http.StatusUnauthorized, status, h, raw)

	form.Set("client_secret", "wrong")
	resp2, err := http.Post(s.APIURL()+"/access_token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	resp2.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp2.StatusCode)
}
