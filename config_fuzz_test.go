package main

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLoadConfig: whatever the environment holds, loadConfig returns a configuration that
// passed validation or a *configError naming the variable, never a panic.
func FuzzLoadConfig(f *testing.F) {
	f.Add("websocket", "fr", "America/Toronto", "example.org,exemple.ca", "30m", "20", "8", "https://webexapis.com/v1", "https://relais.example.org/hook")
	f.Add("webhook", "en", "UTC", "@example.org", "1m", "1", "0.5", "http://127.0.0.1:1/v1", "")
	f.Add("WEBSOCKET", "de", "Mars/Olympus", "a@b,c", "-1h", "-3", "NaN", "://", "relative/path")
	f.Add("", "", "", ",,,", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, mode, lang, tz, domains, idle, perHour, rate, apiURL, hookURL string) {
		env := []string{
			"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m", "RELAIS_WEBHOOK_SECRET=s",
			"RELAIS_MODE=" + mode, "RELAIS_LANGUAGE=" + lang, "RELAIS_TIMEZONE=" + tz,
			"RELAIS_ALLOWED_DOMAINS=" + domains, "RELAIS_DIALOGUE_TIMEOUT=" + idle,
			"RELAIS_MEETINGS_PER_HOUR=" + perHour, "RELAIS_WEBEX_RATE=" + rate,
			"WEBEX_API_URL=" + apiURL, "RELAIS_WEBHOOK_URL=" + hookURL,
		}
		cfg, err := loadConfig(env)
		if err != nil {
			var ce *configError
			if !errors.As(err, &ce) || ce.Var == "" || ce.Fix == "" {
				t.Fatalf("error without the variable and its fix: %v", err)
			}
			return
		}
		if cfg.Mode != "websocket" && cfg.Mode != "webhook" {
			t.Fatalf("mode %q accepted", cfg.Mode)
		}
		if cfg.Language != "fr" && cfg.Language != "en" && !(lang == "" && cfg.Language == "") {
			t.Fatalf("language %q accepted", cfg.Language)
		}
		// A limit left empty stays zero: the bot's own default applies. One given is valid.
		if (perHour != "" && cfg.MeetingsPerHour < 1) || (rate != "" && !(cfg.RatePerSecond > 0)) ||
			(perHour == "" && cfg.MeetingsPerHour != 0) || (rate == "" && cfg.RatePerSecond != 0) {
			t.Fatalf("limits %d, %v accepted from %q, %q", cfg.MeetingsPerHour, cfg.RatePerSecond, perHour, rate)
		}
		for _, d := range cfg.AllowedDomains {
			if !strings.Contains(d, ".") || strings.ContainsAny(d, " @/") || d != strings.ToLower(d) {
				t.Fatalf("domain %q accepted", d)
			}
		}
	})
}
