package main

import (
	"fmt"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store/sealed"
)

// Meetings credentials (RELAIS_MEETINGS_AUTH).
const (
	// meetingsAuthServiceApp: one organization-wide credential (a Service App or admin token)
	// creates every meeting with hostEmail = the organizer.
	meetingsAuthServiceApp = "service-app"
	// meetingsAuthUser: each organizer connects their own Webex account (a Webex Integration,
	// device grant) and meetings are created as them.
	meetingsAuthUser = "user"
	// meetingsAuthAuto: the Service App when its credential is set, otherwise each organizer's own.
	meetingsAuthAuto = "auto"
)

// meetingsAuthMode is the credential in force: meetingsAuthServiceApp or meetingsAuthUser
// (auto resolved: the Service App when its credential is set, or when the integration is not
// set either, so that a configuration with neither asks for the usual Service App).
func (c *config) meetingsAuthMode() string {
	if c.MeetingsAuth == meetingsAuthAuto || c.MeetingsAuth == "" {
		if c.MeetingsToken != "" || c.MeetingsRefreshToken != "" || (c.IntegrationClientID == "" && c.IntegrationClientSecret == "") {
			return meetingsAuthServiceApp
		}
		return meetingsAuthUser
	}
	return c.MeetingsAuth
}

// userScopesHelp names what the integration needs, for errors and the doctor.
const userScopesHelp = "a Webex Integration (developer.webex.com → My Webex Apps → Create an Integration) with the scopes meeting:schedules_write, meeting:schedules_read and spark:people_read, and the redirect URIs https://oauth-helper-a.wbx2.com/helperservice/v1/actions/device/callback (and oauth-helper-r, -k, -d)"

// validateMeetingsAuth checks the meetings credential of the mode in force.
func (c *config) validateMeetingsAuth() error {
	switch c.MeetingsAuth {
	case meetingsAuthAuto, meetingsAuthServiceApp, meetingsAuthUser, "":
	default:
		return &configError{"RELAIS_MEETINGS_AUTH", fmt.Sprintf("%q is not a mode", c.MeetingsAuth),
			"Use service-app (one credential for the organization), user (each organizer connects their own account) or auto (the Service App when WEBEX_MEETINGS_TOKEN is set)."}
	}
	if c.meetingsAuthMode() == meetingsAuthServiceApp {
		if c.MeetingsToken == "" && c.MeetingsRefreshToken == "" {
			return &configError{"WEBEX_MEETINGS_TOKEN", "not set (a bot token cannot create meetings)", "Set a Service App or admin integration token with meeting:admin_schedule_write, or WEBEX_MEETINGS_REFRESH_TOKEN with WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET; or let each organizer connect their own account with RELAIS_MEETINGS_AUTH=user."}
		}
		return nil
	}
	if c.IntegrationClientID == "" || c.IntegrationClientSecret == "" {
		name := "WEBEX_INTEGRATION_CLIENT_ID"
		if c.IntegrationClientID != "" {
			name = "WEBEX_INTEGRATION_CLIENT_SECRET"
		}
		return &configError{name, "not set: organizers connect their own account through a Webex Integration", "Create " + userScopesHelp + ", and set its client id and secret in WEBEX_INTEGRATION_CLIENT_ID and WEBEX_INTEGRATION_CLIENT_SECRET (or _FILE); or set WEBEX_MEETINGS_TOKEN for a Service App."}
	}
	if _, err := c.keyring(); err != nil {
		return err
	}
	return nil
}

// keyring parses RELAIS_ENCRYPTION_KEY; the error never quotes the key.
func (c *config) keyring() (*sealed.Keyring, error) {
	const fix = "Set RELAIS_ENCRYPTION_KEY (or _FILE) to 32 random bytes in base64 (`openssl rand -base64 32`); to rotate, put the new key first and keep the old one after it: new-id:BASE64,old-id:BASE64."
	if c.EncryptionKey == "" {
		return nil, &configError{"RELAIS_ENCRYPTION_KEY", "not set: organizers' tokens are stored encrypted", fix}
	}
	kr, err := sealed.ParseKeyring(c.EncryptionKey)
	if err != nil {
		return nil, &configError{"RELAIS_ENCRYPTION_KEY", err.Error(), fix}
	}
	return kr, nil
}

// ownAccounts is the runtime's configuration of each organizer's own account, nil with a
// Service App. The configuration was validated (validateMeetingsAuth).
func (c *config) ownAccounts() *bot.OwnAccountsConfig {
	if c.meetingsAuthMode() != meetingsAuthUser {
		return nil
	}
	kr, err := c.keyring()
	if err != nil {
		return nil
	}
	return &bot.OwnAccountsConfig{ClientID: c.IntegrationClientID, ClientSecret: c.IntegrationClientSecret,
		Keyring: kr, SiteURL: c.SiteURL}
}
