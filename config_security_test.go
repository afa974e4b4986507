package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestEveryURLThatCarriesATokenOrAnEventIsHTTPS(t *testing.T) {
	t.Parallel()
	base := []string{"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m"}
	webhook := []string{"RELAIS_MODE=webhook", "RELAIS_WEBHOOK_SECRET=0123456789abcdef0123"}
	for name, extra := range map[string][]string{
		"WEBEX_API_URL":      {"WEBEX_API_URL=http://webexapis.com/v1"},
		"WEBEX_CATALOG_URL":  {"WEBEX_CATALOG_URL=http://u2c.wbx2.com/u2c/api/v1/catalog"},
		"WEBEX_DEVICE_URL":   {"WEBEX_DEVICE_URL=http://wdm-a.wbx2.com/wdm/api/v1"},
		"RELAIS_WEBHOOK_URL": append([]string{"RELAIS_WEBHOOK_URL=http://relais.example.org/hook"}, webhook...),
	} {
		_, err := loadConfig(append(append([]string{}, base...), extra...))
		var ce *configError
		require.ErrorAs(t, err, &ce, name)
		assert.Equal(t, name, ce.Var)
		assert.Contains(t, ce.Problem, "not https", name)
		assert.Contains(t, ce.Fix, "loopback", name)
	}
	// A loopback host (a local fake Webex) may use plain http.
	_, err := loadConfig(append(append([]string{}, base...), "WEBEX_API_URL=http://127.0.0.1:8765/v1",
		"WEBEX_CATALOG_URL=http://localhost:8765/catalog", "WEBEX_DEVICE_URL=http://[::1]:8765/wdm/api/v1"))
	require.NoError(t, err)
	_, err = loadConfig(append(append(append([]string{}, base...), webhook...), "RELAIS_WEBHOOK_URL=http://127.0.0.1:8080/hook"))
	require.NoError(t, err)
}

func TestTheWebhookSecretIsLongEnoughAtStartUp(t *testing.T) {
	t.Parallel()
	env := []string{"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m", "RELAIS_MODE=webhook", "RELAIS_WEBHOOK_URL=https://relais.example.org/hook"}
	_, err := loadConfig(append(append([]string{}, env...), "RELAIS_WEBHOOK_SECRET=fifteen-chars!!"))
	var ce *configError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "RELAIS_WEBHOOK_SECRET", ce.Var)
	assert.Contains(t, ce.Problem, "16")
	_, err = loadConfig(append(append([]string{}, env...), "RELAIS_WEBHOOK_SECRET=sixteen-chars!!!"))
	require.NoError(t, err)
	// The runtime applies the same rule when started without this configuration.
	require.ErrorIs(t, webexapi.CheckWebhookSecret("short"), webexapi.ErrShortWebhookSecret)
}

func TestUnsetSettingsTakeThePackagesDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig([]string{"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m"})
	require.NoError(t, err)
	rc := runtimeConfig(cfg)
	assert.Empty(t, rc.Bot.DefaultTimeZone, "main sets no time zone of its own")
	assert.Zero(t, rc.Bot.MeetingsPerHour)
	assert.Zero(t, rc.Bot.Lease)
	assert.Zero(t, rc.RatePerSecond)
	assert.Empty(t, rc.DeviceName)
	assert.Equal(t, webexapi.DefaultBaseURL, rc.APIURL)
	// Only what the operator sets is validated and passed on.
	cfg, err = loadConfig([]string{"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m", "RELAIS_TIMEZONE=Europe/Paris", "RELAIS_REMINDER_BEFORE=0"})
	require.NoError(t, err)
	rc = runtimeConfig(cfg)
	assert.Equal(t, "Europe/Paris", rc.Bot.DefaultTimeZone)
	assert.Zero(t, rc.Bot.ReminderBefore, "0 set by the operator disables reminders")
}

func TestTheRotatedRefreshTokenFileIsRemembered(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "refresh")
	require.NoError(t, os.WriteFile(path, []byte("rt-0\n"), 0o600))
	cfg, err := loadConfig([]string{"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_REFRESH_TOKEN_FILE=" + path, "WEBEX_CLIENT_ID=c", "WEBEX_CLIENT_SECRET=s"})
	require.NoError(t, err)
	assert.Equal(t, "rt-0", cfg.MeetingsRefreshToken)
	assert.Equal(t, path, runtimeConfig(cfg).RefreshTokenFile)
}

func TestTheShippedBinaryHasNoFailpoint(t *testing.T) {
	t.Setenv("RELAIS_FAILPOINT", "after-meeting-created")
	assert.Empty(t, failpoint(), "a build without the relais_failpoint tag must ignore RELAIS_FAILPOINT")
	assert.Empty(t, runtimeConfig(config{}).Bot.Failpoint)
}

func TestDotEnvIsNeverCommitted(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	out, err := exec.Command("git", "check-ignore", "--no-index", ".env", ".env.production").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, 2, len(strings.Fields(string(out))), string(out))
	out, _ = exec.Command("git", "check-ignore", "--no-index", ".env.example").CombinedOutput()
	assert.Empty(t, strings.TrimSpace(string(out)), ".env.example is the committed template")
}

func TestDoctorSaysHowLongTheRefreshTokenHasLeft(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	env := doctorEnv(t, fake, map[string]string{
		"WEBEX_MEETINGS_TOKEN":         "",
		"WEBEX_MEETINGS_REFRESH_TOKEN": "refresh-token",
		"WEBEX_CLIENT_ID":              "client-id",
		"WEBEX_CLIENT_SECRET":          "client-secret",
	})
	code, out := runDoctorWith(t, env)
	require.Equal(t, 0, code, out)
	l, _ := doctorLine(t, out, "meetings token refresh")
	assert.Contains(t, l, "the refresh token expires in 89 days", "the fake says 7775999 s")
}
