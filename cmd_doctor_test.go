package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// doctorEnv is a complete environment pointing at fake; overrides replace or add variables
// (an empty value removes one).
func doctorEnv(t *testing.T, fake *webextest.Server, overrides map[string]string) []string {
	t.Helper()
	vars := map[string]string{
		"WEBEX_API_URL":        fake.APIURL(),
		"WEBEX_CATALOG_URL":    fake.CatalogURL(),
		"WEBEX_BOT_TOKEN":      fake.BotToken(),
		"WEBEX_MEETINGS_TOKEN": fake.MeetingsToken(),
		"RELAIS_DB":            filepath.Join(t.TempDir(), "relais.db"),
	}
	for k, v := range overrides {
		if v == "" {
			delete(vars, k)
			continue
		}
		vars[k] = v
	}
	var env []string
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

func runDoctorWith(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := doctorMain(context.Background(), env, args, &out, &errOut)
	return code, out.String() + errOut.String()
}

// line returns the checklist line of the check called name, and the fix line under it.
func doctorLine(t *testing.T, out, name string) (string, string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "✓ "+name+":") || strings.HasPrefix(l, "✗ "+name+":") {
			fix := ""
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    fix: ") {
				fix = lines[i+1]
			}
			return l, fix
		}
	}
	t.Fatalf("no line for %q in:\n%s", name, out)
	return "", ""
}

func TestDoctorAllPassAgainstTheFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	code, out := runDoctorWith(t, doctorEnv(t, fake, nil), "--host-email", "alex.martin@example.com")
	require.Equal(t, 0, code, out)
	for _, name := range []string{"configuration", "time zone", "bot token", "meetings credential", "websocket path", "database"} {
		l, _ := doctorLine(t, out, name)
		assert.True(t, strings.HasPrefix(l, "✓"), l)
	}
	assert.Contains(t, out, "« Relais »")
	assert.Contains(t, out, "can act for alex.martin@example.com")
	assert.Contains(t, out, "All 6 checks passed.")
	assert.Contains(t, out, "device « relais » not registered yet")
	assert.NotContains(t, out, fake.BotToken())
	assert.NotContains(t, out, fake.MeetingsToken())
	assert.Zero(t, fake.CallCounts()["POST /wdm/api/v1/devices"], "the doctor must not register a device")
}

func TestDoctorRefreshTokenAndWebhookMode(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	env := doctorEnv(t, fake, map[string]string{
		"WEBEX_MEETINGS_TOKEN":         "",
		"WEBEX_MEETINGS_REFRESH_TOKEN": "refresh-token",
		"WEBEX_CLIENT_ID":              "client-id",
		"WEBEX_CLIENT_SECRET":          "client-secret",
		"RELAIS_MODE":                  "webhook",
		"RELAIS_WEBHOOK_URL":           "http://127.0.0.1:8080/webex/events",
		"RELAIS_WEBHOOK_SECRET":        "a-long-random-webhook-secret",
	})
	code, out := runDoctorWith(t, env)
	require.Equal(t, 0, code, out)
	l, _ := doctorLine(t, out, "meetings token refresh")
	assert.True(t, strings.HasPrefix(l, "✓"), l)
	l, _ = doctorLine(t, out, "webhook path")
	assert.True(t, strings.HasPrefix(l, "✓"), l)
	assert.Contains(t, out, "warning: RELAIS_WEBHOOK_URL is a loopback address: Webex cannot reach it", "a loopback URL passes, with a warning")
	assert.Contains(t, out, "All 7 checks passed.")
	for _, secret := range []string{"refresh-token", "client-secret", "a-long-random-webhook-secret", fake.BotToken()} {
		assert.NotContains(t, out, secret)
	}
}

func TestDoctorFailuresNameTheFix(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	cases := []struct {
		name      string
		overrides map[string]string
		args      []string
		check     string
		detail    string
		fix       string
	}{
		{
			name:      "wrong meetings token",
			overrides: map[string]string{"WEBEX_MEETINGS_TOKEN": "not-a-valid-token"},
			check:     "meetings credential", detail: "401", fix: "WEBEX_MEETINGS_REFRESH_TOKEN",
		},
		{
			name:      "a bot token as meetings credential",
			overrides: map[string]string{"WEBEX_MEETINGS_TOKEN": fake.BotToken()},
			check:     "meetings credential", detail: "403", fix: "meeting:admin_schedule_write",
		},
		{
			name:  "a host outside the organization",
			args:  []string{"--host-email", "nobody@elsewhere.example"},
			check: "meetings credential", detail: "nobody@elsewhere.example", fix: "site",
		},
		{
			name: "a refused refresh token",
			overrides: map[string]string{"WEBEX_MEETINGS_REFRESH_TOKEN": "revoked", "WEBEX_CLIENT_ID": "client-id",
				"WEBEX_CLIENT_SECRET": "client-secret"},
			check: "meetings token refresh", detail: "refused", fix: "Service App",
		},
		{
			name:      "wrong bot token",
			overrides: map[string]string{"WEBEX_BOT_TOKEN": "wrong"},
			check:     "bot token", detail: "401", fix: "developer.webex.com",
		},
		{
			name:      "a person's token as bot token",
			overrides: map[string]string{"WEBEX_BOT_TOKEN": fake.MeetingsToken()},
			check:     "bot token", detail: "not a bot", fix: "Create a Bot",
		},
		{
			name:      "an unwritable database",
			overrides: map[string]string{"RELAIS_DB": "/dev/null/relais.db"},
			check:     "database", detail: "cannot open", fix: "/data",
		},
		{
			name: "webhook over plain http",
			overrides: map[string]string{"RELAIS_MODE": "webhook", "RELAIS_WEBHOOK_URL": "http://relais.example.org/hook",
				"RELAIS_WEBHOOK_SECRET": "a-long-random-webhook-secret"},
			check: "webhook path", detail: "not https", fix: "https",
		},
		{
			name:      "an unknown time zone",
			overrides: map[string]string{"RELAIS_TIMEZONE": "Mars/Olympus"},
			check:     "time zone", detail: "Mars/Olympus", fix: "America/Toronto",
		},
		{
			name:      "an unreachable catalog",
			overrides: map[string]string{"WEBEX_CATALOG_URL": "http://127.0.0.1:1/u2c/api/v1/catalog"},
			check:     "websocket path", detail: "cannot reach", fix: "HTTPS_PROXY",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out := runDoctorWith(t, doctorEnv(t, fake, tc.overrides), tc.args...)
			assert.Equal(t, 1, code, out)
			l, fix := doctorLine(t, out, tc.check)
			assert.True(t, strings.HasPrefix(l, "✗"), l)
			assert.Contains(t, l, tc.detail)
			assert.Contains(t, fix, tc.fix)
			assert.Contains(t, out, "checks failed.")
			assert.NotContains(t, out, "a-long-random-webhook-secret")
		})
	}
}

func TestDoctorWrongMeetingsTokenFailsOnlyThatLine(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	code, out := runDoctorWith(t, doctorEnv(t, fake, map[string]string{"WEBEX_MEETINGS_TOKEN": "expired-token"}))
	require.Equal(t, 1, code, out)
	assert.Equal(t, 1, strings.Count(out, "✗"), out)
	assert.Contains(t, out, "1 of 6 checks failed.")
	assert.NotContains(t, out, "expired-token")
}

func TestDoctorConfigurationErrors(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})

	code, out := runDoctorWith(t, doctorEnv(t, fake, map[string]string{"RELAIS_MODE": "carrier-pigeon"}))
	assert.Equal(t, 1, code)
	l, fix := doctorLine(t, out, "configuration")
	assert.Contains(t, l, "RELAIS_MODE")
	assert.Contains(t, fix, "websocket")
	// The other checks still run.
	l, _ = doctorLine(t, out, "bot token")
	assert.True(t, strings.HasPrefix(l, "✓"), l)

	// An unreadable secret file stops everything but is named.
	code, out = runDoctorWith(t, doctorEnv(t, fake, map[string]string{"WEBEX_BOT_TOKEN": "", "WEBEX_BOT_TOKEN_FILE": filepath.Join(t.TempDir(), "missing")}))
	assert.Equal(t, 1, code)
	l, _ = doctorLine(t, out, "configuration")
	assert.Contains(t, l, "WEBEX_BOT_TOKEN_FILE")

	// A secret from a file works.
	tokenFile := filepath.Join(t.TempDir(), "bot-token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(fake.BotToken()+"\n"), 0o600))
	code, out = runDoctorWith(t, doctorEnv(t, fake, map[string]string{"WEBEX_BOT_TOKEN": "", "WEBEX_BOT_TOKEN_FILE": tokenFile}))
	assert.Equal(t, 0, code, out)

	code, _ = runDoctorWith(t, doctorEnv(t, fake, nil), "--bogus")
	assert.Equal(t, 2, code)
}

func TestDoctorNeverShowsTheDatabasePassword(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	for _, dsn := range []string{
		"postgres://relais:hunter2-SECRET@127.0.0.1:1/relais?connect_timeout=2",
		"host=127.0.0.1 port=1 user=relais password=hunter2-SECRET dbname=relais connect_timeout=2",
		"host=127.0.0.1 port=1 user=relais password='hunter2-SECRET' dbname=relais connect_timeout=2",
	} {
		code, out := runDoctorWith(t, doctorEnv(t, fake, map[string]string{"RELAIS_DB": dsn}), "--timeout", "5s")
		assert.Equal(t, 1, code, out)
		l, _ := doctorLine(t, out, "database")
		assert.True(t, strings.HasPrefix(l, "✗"), l)
		assert.NotContains(t, out, "hunter2", dsn)
	}
	assert.Equal(t, "host=db password=… dbname=relais", hideDSNPassword("host=db password=s3cr3t dbname=relais"))
	assert.Equal(t, "postgres://…@db/relais", hideDSNPassword("postgres://u:p@db/relais"))
}

// Two processes with one device name take the websocket from each other (close code 4000): the
// doctor warns about the default name, without failing, and is quiet about a name of one's own.
func TestDoctorWarnsAboutTheDefaultDeviceName(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	code, out := runDoctorWith(t, doctorEnv(t, fake, nil))
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "    warning: the device name is the default « relais »")
	assert.Contains(t, out, "RELAIS_DEVICE_NAME")

	code, out = runDoctorWith(t, doctorEnv(t, fake, map[string]string{"RELAIS_DEVICE_NAME": "relais-prod-1"}))
	require.Equal(t, 0, code, out)
	assert.NotContains(t, out, "warning:")
}
