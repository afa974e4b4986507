package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigDefaultsAndFileSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tok := filepath.Join(dir, "bot-token")
	require.NoError(t, os.WriteFile(tok, []byte("secret-bot-token\n"), 0o600))
	cfg, err := loadConfig([]string{"WEBEX_BOT_TOKEN_FILE=" + tok, "WEBEX_MEETINGS_TOKEN=m", "RELAIS_ALLOWED_DOMAINS=@Example.com, hopital.qc.ca"})
	require.NoError(t, err)
	assert.Equal(t, "secret-bot-token", cfg.BotToken)
	assert.Equal(t, "https://webexapis.com/v1", cfg.APIURL)
	assert.Equal(t, "websocket", cfg.Mode)
	assert.Empty(t, cfg.TimeZone, "unset: the dialogue's own default applies")
	assert.Zero(t, cfg.MeetingsPerHour, "unset: the bot's own default applies")
	assert.Equal(t, 30*time.Minute, cfg.ReminderBefore)
	assert.Equal(t, []string{"example.com", "hopital.qc.ca"}, cfg.AllowedDomains)
}

func TestConfigErrorsNameTheSettingAndTheFix(t *testing.T) {
	t.Parallel()
	base := []string{"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m"}
	cases := map[string][]string{
		"WEBEX_BOT_TOKEN":          {"WEBEX_MEETINGS_TOKEN=m"},
		"WEBEX_MEETINGS_TOKEN":     {"WEBEX_BOT_TOKEN=b"},
		"RELAIS_WEBHOOK_SECRET":    append(base, "RELAIS_MODE=webhook", "RELAIS_WEBHOOK_URL=https://relais.example.org/hook"),
		"RELAIS_WEBHOOK_URL":       append(base, "RELAIS_MODE=webhook", "RELAIS_WEBHOOK_SECRET=s"),
		"RELAIS_MODE":              append(base, "RELAIS_MODE=pigeon"),
		"RELAIS_TIMEZONE":          append(base, "RELAIS_TIMEZONE=Mars/Olympus"),
		"RELAIS_LANGUAGE":          append(base, "RELAIS_LANGUAGE=de"),
		"RELAIS_ALLOWED_DOMAINS":   append(base, "RELAIS_ALLOWED_DOMAINS=not a domain"),
		"WEBEX_CLIENT_ID":          append(base, "WEBEX_MEETINGS_REFRESH_TOKEN=r"),
		"WEBEX_BOT_TOKEN_FILE":     {"WEBEX_BOT_TOKEN_FILE=/nonexistent/token", "WEBEX_MEETINGS_TOKEN=m"},
		"environment":              append(base, "RELAIS_REMINDER_BEFORE=soon"),
		"RELAIS_MEETINGS_PER_HOUR": append(base, "RELAIS_MEETINGS_PER_HOUR=0"),
	}
	for name, env := range cases {
		_, err := loadConfig(env)
		require.Error(t, err, name)
		var ce *configError
		require.ErrorAs(t, err, &ce, name)
		assert.Equal(t, name, ce.Var)
		assert.NotEmpty(t, ce.Fix, name)
	}
}
