package bot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/store/sealed"
	"github.com/relaisbot/relais/webexapi"
)

// OwnAccountsConfig has each organizer connect their own Webex account
// (RELAIS_MEETINGS_AUTH=user) through a Webex Integration (device grant).
type OwnAccountsConfig struct {
	// ClientID and ClientSecret of the Webex Integration.
	ClientID, ClientSecret string
	// Keyring seals the organizers' tokens in the database (RELAIS_ENCRYPTION_KEY).
	Keyring *sealed.Keyring
	// SiteURL is the Webex site meetings are created on (RELAIS_SITE_URL); "" is each
	// organizer's default site.
	SiteURL string
}

// ownAccounts builds, in user mode, the organizers' accounts and the meetings client that
// serves each organizer with their own token. It returns nil in Service App mode.
func (r *Runtime) ownAccounts(hc func() *http.Client, clientLog zerolog.Logger, opts ...webexapi.Option) (*accounts.Accounts, error) {
	oc := r.cfg.OwnAccounts
	if oc == nil {
		return nil, nil
	}
	if oc.Keyring == nil {
		return nil, errors.New("own accounts: no encryption key (RELAIS_ENCRYPTION_KEY)")
	}
	in, err := webexapi.NewIntegration(webexapi.IntegrationConfig{BaseURL: r.cfg.APIURL, ClientID: oc.ClientID,
		ClientSecret: oc.ClientSecret, HTTPClient: hc(), Now: r.now})
	if err != nil {
		return nil, fmt.Errorf("webex integration (WEBEX_INTEGRATION_CLIENT_ID/_SECRET): %w", err)
	}
	mc := hc()
	mc.Transport = asUserTransport{next: mc.Transport, siteURL: oc.SiteURL}
	all := append([]webexapi.Option{webexapi.WithBaseURL(r.cfg.APIURL), webexapi.WithTokenSource(&webexapi.ContextTokens{}),
		webexapi.WithHTTPClient(mc), webexapi.WithLogger(clientLog), webexapi.WithUserAgent("relais")}, opts...)
	r.Meetings, err = webexapi.NewClient(all...)
	if err != nil {
		return nil, fmt.Errorf("meetings client: %w", err)
	}
	// The check of who approved answers a 429 or a 5xx by polling again later (after
	// Retry-After), under a lease of 30 s: its client must not wait minutes inside the call.
	people, err := webexapi.NewClient(append(all, webexapi.WithRetryPolicy(webexapi.RetryPolicy{MaxAttempts: 1}))...)
	if err != nil {
		return nil, fmt.Errorf("people client: %w", err)
	}
	return accounts.New(accounts.Config{Store: r.Store, Keyring: oc.Keyring, Integration: in, People: people,
		Now: r.now, Logger: r.log.With().Str("component", "accounts").Logger(), Handoff: accountHandoff(r.now)})
}

// asUserTransport adapts the meetings calls the bot makes for a Service App to an organizer's
// own token: Webex reserves hostEmail for admin-level scopes, so it is removed (the token's
// person is the host), and a meeting is created on SiteURL when one is configured.
type asUserTransport struct {
	next    http.RoundTripper
	siteURL string
}

func (t asUserTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.Contains(req.URL.Path, "/meetings") && !strings.Contains(req.URL.Path, "/meetingInvitees") {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	if q := req.URL.Query(); q.Has("hostEmail") {
		q.Del("hostEmail")
		req.URL.RawQuery = q.Encode()
	}
	if req.Body == nil || req.Body == http.NoBody || !strings.Contains(req.Header.Get("Content-Type"), "json") {
		return t.next.RoundTrip(req)
	}
	raw, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, err
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(raw, &body) == nil {
		_, had := body["hostEmail"]
		delete(body, "hostEmail")
		create := req.Method == http.MethodPost && strings.HasSuffix(strings.TrimRight(req.URL.Path, "/"), "/meetings")
		if _, set := body["siteUrl"]; create && !set && t.siteURL != "" {
			body["siteUrl"], _ = json.Marshal(t.siteURL)
			had = true
		}
		if had {
			raw, _ = json.Marshal(body)
		}
	}
	req.Body = io.NopCloser(bytes.NewReader(raw))
	req.ContentLength = int64(len(raw))
	req.Header.Set("Content-Length", strconv.Itoa(len(raw)))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	return t.next.RoundTrip(req)
}
