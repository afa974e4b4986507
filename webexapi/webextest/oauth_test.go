package webextest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// postForm posts a form, with Basic authentication as the integration when basic is set.
func postForm(t *testing.T, u string, form url.Values, basic bool) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if basic {
		req.SetBasicAuth(webextest.IntegrationClientID, webextest.IntegrationClientSecret)
	}
	resp, err := testClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return resp.StatusCode, out
}

type deviceStart struct {
	DeviceCode, UserCode string
}

func startDevice(t *testing.T, s *webextest.Server, scope string) deviceStart {
	t.Helper()
	status, out := postForm(t, s.APIURL()+"/device/authorize", url.Values{"client_id": {webextest.IntegrationClientID}, "scope": {scope}}, false)
	require.Equal(t, http.StatusOK, status, out)
	assert.EqualValues(t, 300, out["expires_in"])
	assert.EqualValues(t, 2, out["interval"])
	assert.Regexp(t, `^\d{6}$`, out["user_code"])
	assert.Contains(t, out["verification_uri_complete"], "?userCode=")
	return deviceStart{DeviceCode: out["device_code"].(string), UserCode: out["user_code"].(string)}
}

func pollDevice(t *testing.T, s *webextest.Server, deviceCode string) (int, map[string]any) {
	t.Helper()
	return postForm(t, s.APIURL()+"/device/token", url.Values{
		"grant_type":  {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {deviceCode}, "client_id": {webextest.IntegrationClientID},
	}, true)
}

const meetingScopes = "meeting:schedules_write meeting:schedules_read spark:people_read"

func TestFakeDeviceGrantPendingSlowDownApproved(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(time.Date(2026, 6, 17, 13, 0, 0, 0, time.UTC))
	s := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	d := startDevice(t, s, meetingScopes)

	var pending struct {
		Items []webextest.PendingAuthorization `json:"items"`
	}
	callJSON(t, "GET", s.URL()+"/_sim/authorizations", "", nil, &pending)
	require.Len(t, pending.Items, 1)
	assert.Equal(t, d.UserCode, pending.Items[0].UserCode)
	assert.Equal(t, "2026-06-17T13:05:00.000Z", pending.Items[0].ExpiresAt)

	status, out := pollDevice(t, s, d.DeviceCode)
	assert.Equal(t, http.StatusBadRequest, status, "polled before the interval")
	assert.Equal(t, "slow_down", out["error"])
	assert.Equal(t, "slow_down", out["message"])

	clk.Add(time.Second)
	status, _ = pollDevice(t, s, d.DeviceCode)
	assert.Equal(t, http.StatusBadRequest, status, "the interval counts from the previous poll")

	clk.Add(2 * time.Second)
	status, out = pollDevice(t, s, d.DeviceCode)
	assert.Equal(t, http.StatusPreconditionRequired, status)
	assert.Equal(t, "authorization_pending", out["error"])

	callJSON(t, "POST", s.URL()+"/_sim/approve", "", map[string]string{"userCode": d.UserCode, "as": "alex.martin@example.com"}, nil)
	callJSON(t, "GET", s.URL()+"/_sim/authorizations", "", nil, &pending)
	assert.Empty(t, pending.Items, "an approved authorization is no longer pending")

	clk.Add(2 * time.Second)
	status, out = pollDevice(t, s, d.DeviceCode)
	require.Equal(t, http.StatusOK, status, out)
	access := out["access_token"].(string)
	assert.NotEmpty(t, out["refresh_token"])
	assert.Equal(t, "Bearer", out["token_type"])
	assert.Equal(t, meetingScopes, out["scope"])

	clk.Add(2 * time.Second)
	status, out = pollDevice(t, s, d.DeviceCode)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", out["error"], "a device code gives tokens once")

	var me struct {
		Emails []string `json:"emails"`
	}
	callJSON(t, "GET", s.APIURL()+"/people/me", access, nil, &me)
	assert.Equal(t, []string{"alex.martin@example.com"}, me.Emails, "the token is the approver's")

	// A meeting created with the user token is hosted by the user, without hostEmail.
	start := clk.Now().Add(24 * time.Hour)
	var m webextest.Meeting
	callJSON(t, "POST", s.APIURL()+"/meetings", access, map[string]any{
		"title": "Suivi", "start": start.Format(time.RFC3339), "end": start.Add(time.Hour).Format(time.RFC3339),
	}, &m)
	assert.Equal(t, "alex.martin@example.com", m.HostEmail)
	assert.NotEmpty(t, m.HostKey)

	st, h, raw := call(t, "POST", s.APIURL()+"/meetings", access, map[string]any{
		"title": "x", "start": start.Format(time.RFC3339), "end": start.Add(time.Hour).Format(time.RFC3339),
		"hostEmail": "marie.tremblay@example.com",
	})
	requireError(t, http.StatusForbidden, st, h, raw)

	var tokens struct {
		Items []webextest.IssuedToken `json:"items"`
		Codes []string                `json:"codes"`
	}
	callJSON(t, "GET", s.URL()+"/_sim/tokens", "", nil, &tokens)
	require.Len(t, tokens.Items, 2)
	assert.Equal(t, access, tokens.Items[0].Token)
	assert.Equal(t, "refresh", tokens.Items[1].Kind)
	assert.Contains(t, tokens.Codes, d.DeviceCode)
}

func TestFakeDeviceGrantDeniedAndExpired(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(time.Date(2026, 6, 17, 13, 0, 0, 0, time.UTC))
	s := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})

	denied := startDevice(t, s, meetingScopes)
	callJSON(t, "POST", s.URL()+"/_sim/deny", "", map[string]string{"userCode": denied.UserCode}, nil)
	clk.Add(2 * time.Second)
	status, out := pollDevice(t, s, denied.DeviceCode)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "access_denied", out["error"])

	expired := startDevice(t, s, meetingScopes)
	clk.Add(300 * time.Second)
	status, out = pollDevice(t, s, expired.DeviceCode)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "expired_token", out["error"])
	st, _, _ := call(t, "POST", s.URL()+"/_sim/approve", "", map[string]string{"userCode": expired.UserCode, "as": "alex.martin@example.com"})
	assert.Equal(t, http.StatusBadRequest, st, "an expired code cannot be approved")

	st, _, _ = call(t, "POST", s.URL()+"/_sim/approve", "", map[string]string{"userCode": "000000", "as": "nobody@example.com"})
	assert.Equal(t, http.StatusNotFound, st)
}

func TestFakeDeviceGrantRefusesBadClient(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	status, out := postForm(t, s.APIURL()+"/device/authorize", url.Values{"client_id": {"nope"}, "scope": {meetingScopes}}, false)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, out["errors"], map[string]any{"description": "Client Id is invalid"})
	status, _ = postForm(t, s.APIURL()+"/device/authorize", url.Values{"client_id": {webextest.IntegrationClientID}, "scope": {"meeting:admin_schedule_write"}}, false)
	assert.Equal(t, http.StatusBadRequest, status, "a scope the integration does not have")

	d := startDevice(t, s, meetingScopes)
	status, out = postForm(t, s.APIURL()+"/device/token", url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "device_code": {d.DeviceCode},
	}, false)
	assert.Equal(t, http.StatusUnauthorized, status, "the token endpoint wants Basic authentication")
	assert.Equal(t, "invalid_client", out["error"])
}

// deviceTokens runs a device grant approved as email and returns access and refresh tokens.
func deviceTokens(t *testing.T, s *webextest.Server, clk *fakeClock, scope, email string) (string, string) {
	t.Helper()
	d := startDevice(t, s, scope)
	_, err := s.Approve(d.UserCode, email)
	require.NoError(t, err)
	clk.Add(2 * time.Second)
	status, out := pollDevice(t, s, d.DeviceCode)
	require.Equal(t, http.StatusOK, status, out)
	return out["access_token"].(string), out["refresh_token"].(string)
}

func TestFakeUserTokenScopes(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(time.Date(2026, 6, 17, 13, 0, 0, 0, time.UTC))
	s := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	access, _ := deviceTokens(t, s, clk, "meeting:schedules_read", "alex.martin@example.com")

	start := clk.Now().Add(24 * time.Hour)
	st, h, raw := call(t, "POST", s.APIURL()+"/meetings", access, map[string]any{
		"title": "x", "start": start.Format(time.RFC3339), "end": start.Add(time.Hour).Format(time.RFC3339)})
	assert.Contains(t, requireError(t, http.StatusForbidden, st, h, raw), "scopes required by the Meetings API")
	callJSON(t, "GET", s.APIURL()+"/meetings", access, nil, nil)
	st, h, raw = call(t, "GET", s.APIURL()+"/people/me", access, nil)
	requireError(t, http.StatusForbidden, st, h, raw)
}

func TestFakeRefreshRotatesAndRevocation(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(time.Date(2026, 6, 17, 13, 0, 0, 0, time.UTC))
	s := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	s.SetOAuthLifetimes(webextest.OAuthLifetimes{AccessToken: time.Hour})
	access, refresh := deviceTokens(t, s, clk, meetingScopes, "marie.tremblay@example.com")

	clk.Add(time.Hour)
	st, _, _ := call(t, "GET", s.APIURL()+"/people/me", access, nil)
	assert.Equal(t, http.StatusUnauthorized, st, "an expired access token")

	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {webextest.IntegrationClientID},
		"client_secret": {webextest.IntegrationClientSecret}, "refresh_token": {refresh}}
	status, out := postForm(t, s.APIURL()+"/access_token", form, false)
	require.Equal(t, http.StatusOK, status, out)
	newRefresh := out["refresh_token"].(string)
	assert.NotEqual(t, refresh, newRefresh, "the refresh token rotates")
	callJSON(t, "GET", s.APIURL()+"/people/me", out["access_token"].(string), nil, nil)

	status, out = postForm(t, s.APIURL()+"/access_token", form, false)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", out["error"], "the old refresh token works once")

	assert.Equal(t, 1, s.RevokeGrants("marie.tremblay@example.com"))
	form.Set("refresh_token", newRefresh)
	status, out = postForm(t, s.APIURL()+"/access_token", form, false)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", out["error"], "a revoked authorization")

	// The service app's refresh still works beside the user grants.
	status, out = postForm(t, s.APIURL()+"/access_token", url.Values{"grant_type": {"refresh_token"},
		"client_id": {"client-id"}, "client_secret": {"client-secret"}, "refresh_token": {"refresh-token"}}, false)
	assert.Equal(t, http.StatusOK, status, out)
}

func TestFakeAuthorizationCodeWithPKCE(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	verifier := strings.Repeat("v3r1f13r-", 6)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {webextest.IntegrationClientID},
		"redirect_uri": {"http://localhost:3000/callback"}, "scope": {meetingScopes}, "state": {"st8"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	st, h, _ := call(t, "GET", s.APIURL()+"/authorize?"+q.Encode(), "", nil)
	require.Equal(t, http.StatusOK, st)
	userCode := h.Get("X-Fake-User-Code")
	require.NotEmpty(t, userCode)

	var approved struct {
		Redirect string `json:"redirect"`
	}
	callJSON(t, "POST", s.URL()+"/_sim/approve", "", map[string]string{"userCode": userCode, "as": "jean.dupont@example.com"}, &approved)
	u, err := url.Parse(approved.Redirect)
	require.NoError(t, err)
	assert.Equal(t, "localhost:3000", u.Host)
	assert.Equal(t, "st8", u.Query().Get("state"))
	code := u.Query().Get("code")
	require.NotEmpty(t, code)

	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {webextest.IntegrationClientID},
		"client_secret": {webextest.IntegrationClientSecret}, "code": {code},
		"redirect_uri": {"http://localhost:3000/callback"}, "code_verifier": {strings.Repeat("wrongverifier", 4)}}
	status, out := postForm(t, s.APIURL()+"/access_token", form, false)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", out["error"], "a wrong verifier")

	form.Set("code_verifier", verifier)
	status, out = postForm(t, s.APIURL()+"/access_token", form, false)
	require.Equal(t, http.StatusOK, status, out)
	var me struct {
		Emails []string `json:"emails"`
	}
	callJSON(t, "GET", s.APIURL()+"/people/me", out["access_token"].(string), nil, &me)
	assert.Equal(t, []string{"jean.dupont@example.com"}, me.Emails)

	status, _ = postForm(t, s.APIURL()+"/access_token", form, false)
	assert.Equal(t, http.StatusBadRequest, status, "a code is exchanged once")

	st, h, _ = call(t, "GET", s.APIURL()+"/authorize?"+q.Encode(), "", nil)
	require.Equal(t, http.StatusOK, st)
	var denied struct {
		Redirect string `json:"redirect"`
	}
	callJSON(t, "POST", s.URL()+"/_sim/deny", "", map[string]string{"userCode": h.Get("X-Fake-User-Code")}, &denied)
	assert.Contains(t, denied.Redirect, "error=access_denied")
}
