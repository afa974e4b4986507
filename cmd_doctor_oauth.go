package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// adminMustAllow is what an administrator must allow for organizers to connect their account.
const adminMustAllow = "An administrator must let users authorize integrations in Control Hub (Apps → Integrations: users may authorize integrations, and this one is not blocked); each organizer then approves Relais once, for their own meetings only."

// checkUserAuth checks RELAIS_MEETINGS_AUTH=user: the integration against Webex (a device
// authorization is started and polled once: it expires unused) and the encryption key
// against the tokens already stored.
func (d *doctor) checkUserAuth(ctx context.Context) []checkResult {
	return []checkResult{d.withTimeout(ctx, d.checkIntegration), d.withTimeout(ctx, d.checkEncryptionKey)}
}

func (d *doctor) checkIntegration(ctx context.Context) checkResult {
	const name = "meetings credential"
	fixCreate := "Create " + userScopesHelp + ", and set WEBEX_INTEGRATION_CLIENT_ID and WEBEX_INTEGRATION_CLIENT_SECRET (or _FILE). " + adminMustAllow
	if d.cfg.IntegrationClientID == "" || d.cfg.IntegrationClientSecret == "" {
		return checkFailed(name, "each organizer's own account (RELAIS_MEETINGS_AUTH="+d.cfg.MeetingsAuth+"), but WEBEX_INTEGRATION_CLIENT_ID or WEBEX_INTEGRATION_CLIENT_SECRET is not set", fixCreate)
	}
	in, err := webexapi.NewIntegration(webexapi.IntegrationConfig{BaseURL: d.cfg.APIURL, HTTPClient: d.hc,
		ClientID: d.cfg.IntegrationClientID, ClientSecret: d.cfg.IntegrationClientSecret})
	if err != nil {
		return checkFailed(name, err.Error(), "Check WEBEX_API_URL (default https://webexapis.com/v1).")
	}
	da, err := in.StartDevice(ctx)
	switch {
	case err != nil && isTransport(err):
		detail, fix := unreachable("Webex", d.cfg.APIURL, err)
		return checkFailed(name, detail, fix)
	case err != nil:
		return checkFailed(name, "Webex refuses to start a device authorization for WEBEX_INTEGRATION_CLIENT_ID: "+err.Error(),
			"Check the client id on the integration's page; the integration must have the scopes "+strings.Join(webexapi.UserScopes, ", ")+" (asking for a scope it lacks is refused). "+fixCreate)
	}
	_, err = in.PollDevice(ctx, da.DeviceCode)
	switch {
	case errors.Is(err, webexapi.ErrAuthorizationPending), errors.Is(err, webexapi.ErrSlowDown):
	case errors.Is(err, webexapi.ErrInvalidClient) || webexapi.IsUnauthorized(err):
		return checkFailed(name, "Webex refuses WEBEX_INTEGRATION_CLIENT_SECRET"+trackingOf(err),
			"Copy the client secret from the integration's page at developer.webex.com (shown once at creation; regenerate it if lost).")
	case err != nil && isTransport(err):
		detail, fix := unreachable("Webex", d.cfg.APIURL, err)
		return checkFailed(name, detail, fix)
	case err != nil:
		return checkFailed(name, "polling the device authorization failed: "+err.Error(), fixCreate)
	default:
		return checkFailed(name, "a device authorization nobody approved answered tokens", "Check WEBEX_API_URL: it does not look like Webex.")
	}
	return checkPassed(name, "each organizer connects their own Webex account (RELAIS_MEETINGS_AUTH="+d.cfg.MeetingsAuth+"): the integration is known to Webex, its secret works and it has the scopes "+
		strings.Join(webexapi.UserScopes, ", ")+" (a test code was started and left to expire). "+adminMustAllow)
}

func (d *doctor) checkEncryptionKey(ctx context.Context) checkResult {
	const name = "encryption key"
	kr, err := d.cfg.keyring()
	if err != nil {
		var ce *configError
		if errors.As(err, &ce) {
			return checkFailed(name, ce.Var+": "+ce.Problem, ce.Fix)
		}
		return checkFailed(name, err.Error(), "Set RELAIS_ENCRYPTION_KEY.")
	}
	detail := fmt.Sprintf("%d key(s); new tokens are sealed with key id %s", len(kr.IDs()), kr.PrimaryID())
	st, err := store.Open(ctx, d.cfg.DB)
	if err != nil {
		return checkPassed(name, detail+" (stored tokens not checked: the database does not open, see below)")
	}
	defer st.Close()
	old, err := st.ListOrganizerTokensNotSealedWith(ctx, kr.PrimaryID(), 1000)
	if err != nil {
		return checkPassed(name, detail+" (stored tokens not checked: "+redactErr(err, d.cfg.DB)+")")
	}
	known := map[string]bool{}
	for _, id := range kr.IDs() {
		known[id] = true
	}
	missing := map[string]int{}
	for _, t := range old {
		if !known[t.KeyID] {
			missing[t.KeyID]++
		}
	}
	if len(missing) > 0 {
		var ids []string
		for id, n := range missing {
			ids = append(ids, fmt.Sprintf("%s (%d organizers)", id, n))
		}
		sort.Strings(ids)
		return checkFailed(name, "tokens are sealed with key ids RELAIS_ENCRYPTION_KEY no longer holds: "+strings.Join(ids, ", "),
			"Put the old key back after the new one (new-id:BASE64,old-id:BASE64) until Relais has sealed the tokens again; otherwise those organizers must connect their account again.")
	}
	if len(old) > 0 {
		detail += fmt.Sprintf("; %d stored token(s) still sealed with an older key, which must stay in the list", len(old))
	}
	return checkPassed(name, detail)
}
