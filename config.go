package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// config is everything `relais run` reads from the environment. Every secret can also come from
// a file named by the same variable with a _FILE suffix (container secrets).
type config struct {
	APIURL     string `env:"WEBEX_API_URL" envDefault:"https://webexapis.com/v1"`
	CatalogURL string `env:"WEBEX_CATALOG_URL" envDefault:"https://u2c.wbx2.com/u2c/api/v1/catalog"`
	DeviceURL  string `env:"WEBEX_DEVICE_URL"`

	BotToken             string `env:"WEBEX_BOT_TOKEN"`
	MeetingsToken        string `env:"WEBEX_MEETINGS_TOKEN"`
	MeetingsRefreshToken string `env:"WEBEX_MEETINGS_REFRESH_TOKEN"`
	ClientID             string `env:"WEBEX_CLIENT_ID"`
	ClientSecret         string `env:"WEBEX_CLIENT_SECRET"`

	// Organizers' own authorizations (config_oauth.go).
	MeetingsAuth            string `env:"RELAIS_MEETINGS_AUTH" envDefault:"auto"`
	IntegrationClientID     string `env:"WEBEX_INTEGRATION_CLIENT_ID"`
	IntegrationClientSecret string `env:"WEBEX_INTEGRATION_CLIENT_SECRET"`
	EncryptionKey           string `env:"RELAIS_ENCRYPTION_KEY"`
	SiteURL                 string `env:"RELAIS_SITE_URL"`

	DB            string `env:"RELAIS_DB" envDefault:"relais.db"`
	Mode          string `env:"RELAIS_MODE" envDefault:"websocket"`
	WebhookURL    string `env:"RELAIS_WEBHOOK_URL"`
	WebhookSecret string `env:"RELAIS_WEBHOOK_SECRET"`
	ListenAddr    string `env:"RELAIS_LISTEN_ADDR" envDefault:":8080"`
	AdminAddr     string `env:"RELAIS_ADMIN_ADDR" envDefault:":9090"`

	TimeZone           string        `env:"RELAIS_TIMEZONE" envDefault:"America/Toronto"`
	Language           string        `env:"RELAIS_LANGUAGE" envDefault:"fr"`
	LogLevel           string        `env:"RELAIS_LOG_LEVEL" envDefault:"info"`
	LogFormat          string        `env:"RELAIS_LOG_FORMAT" envDefault:"auto"`
	AllowedDomains     []string      `env:"RELAIS_ALLOWED_DOMAINS" envSeparator:","`
	DialogueIdle       time.Duration `env:"RELAIS_DIALOGUE_TIMEOUT" envDefault:"30m"`
	ReminderBefore     time.Duration `env:"RELAIS_REMINDER_BEFORE" envDefault:"30m"`
	MeetingsPerHour    int           `env:"RELAIS_MEETINGS_PER_HOUR" envDefault:"20"`
	RatePerSecond      float64       `env:"RELAIS_WEBEX_RATE" envDefault:"8"`
	DeleteDeviceOnExit bool          `env:"RELAIS_DELETE_DEVICE_ON_EXIT" envDefault:"false"`
	DeviceName         string        `env:"RELAIS_DEVICE_NAME" envDefault:"relais"`
	JobLease           time.Duration `env:"RELAIS_JOB_LEASE" envDefault:"5m"`
	PollInterval       time.Duration `env:"RELAIS_POLL_INTERVAL" envDefault:"1s"`
	// The catch-up of messages the intake missed (see bot.CatchUpConfig).
	CatchUpWindow   time.Duration `env:"RELAIS_CATCHUP_WINDOW" envDefault:"24h"`
	CatchUpSpaces   int           `env:"RELAIS_CATCHUP_MAX_SPACES" envDefault:"500"`
	CatchUpPerSpace int           `env:"RELAIS_CATCHUP_PER_SPACE" envDefault:"100"`
	CatchUpInterval time.Duration `env:"RELAIS_CATCHUP_INTERVAL" envDefault:"5m"`
	LateAfter       time.Duration `env:"RELAIS_LATE_AFTER" envDefault:"2m"`
	// Failpoint is for crash tests only (see bot.Config.Failpoint).
	Failpoint string `env:"RELAIS_FAILPOINT"`
}

// secretVars may be given as NAME_FILE (a path) instead of NAME.
var secretVars = []string{
	"WEBEX_BOT_TOKEN", "WEBEX_MEETINGS_TOKEN", "WEBEX_MEETINGS_REFRESH_TOKEN",
	"WEBEX_CLIENT_ID", "WEBEX_CLIENT_SECRET", "RELAIS_WEBHOOK_SECRET", "RELAIS_DB",
	"WEBEX_INTEGRATION_CLIENT_ID", "WEBEX_INTEGRATION_CLIENT_SECRET", "RELAIS_ENCRYPTION_KEY",
}

// configError names the setting at fault and says how to fix it.
type configError struct {
	Var, Problem, Fix string
}

func (e *configError) Error() string {
	return fmt.Sprintf("%s: %s. %s", e.Var, e.Problem, e.Fix)
}

// loadConfig reads the configuration from environ (os.Environ() form) and validates it.
// Every error names the variable and says how to fix it.
func loadConfig(environ []string) (config, error) {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for _, name := range secretVars {
		path := vars[name+"_FILE"]
		if path == "" {
			continue
		}
		if vars[name] != "" {
			return config{}, &configError{name, "both " + name + " and " + name + "_FILE are set", "Set only one of them."}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return config{}, &configError{name + "_FILE", fmt.Sprintf("cannot read %s (%v)", path, err), "Point it at a readable file holding the value."}
		}
		vars[name] = strings.TrimSpace(string(b))
	}
	cfg, err := env.ParseAsWithOptions[config](env.Options{Environment: vars})
	if err != nil {
		var agg env.AggregateError
		if errors.As(err, &agg) && len(agg.Errors) > 0 {
			err = agg.Errors[0]
		}
		return config{}, &configError{"environment", err.Error(), "Fix the value's format (durations like 30m, numbers like 20)."}
	}
	return cfg, cfg.validate()
}

func (c *config) validate() error {
	if c.BotToken == "" {
		return &configError{"WEBEX_BOT_TOKEN", "not set", "Create a bot at developer.webex.com (My Webex Apps → Create a Bot) and set its access token (or WEBEX_BOT_TOKEN_FILE)."}
	}
	if err := c.validateMeetingsAuth(); err != nil {
		return err
	}
	if c.MeetingsRefreshToken != "" && (c.ClientID == "" || c.ClientSecret == "") {
		return &configError{"WEBEX_CLIENT_ID", "WEBEX_MEETINGS_REFRESH_TOKEN is set but WEBEX_CLIENT_ID or WEBEX_CLIENT_SECRET is missing", "Set both from the Service App's page in the Webex developer portal."}
	}
	for name, raw := range map[string]string{"WEBEX_API_URL": c.APIURL, "WEBEX_CATALOG_URL": c.CatalogURL} {
		if u, err := url.Parse(raw); err != nil || u.Scheme == "" || u.Host == "" {
			return &configError{name, fmt.Sprintf("%q is not an absolute URL", raw), "Use a URL like https://webexapis.com/v1."}
		}
	}
	switch c.Mode {
	case "websocket":
	case "webhook":
		if c.WebhookURL == "" {
			return &configError{"RELAIS_WEBHOOK_URL", "not set in webhook mode", "Set the public https URL Webex will call, e.g. https://relais.example.org/webex/events."}
		}
		if u, err := url.Parse(c.WebhookURL); err != nil || u.Scheme == "" || u.Host == "" {
			return &configError{"RELAIS_WEBHOOK_URL", fmt.Sprintf("%q is not an absolute URL", c.WebhookURL), "Set the public https URL Webex will call."}
		}
		if c.WebhookSecret == "" {
			return &configError{"RELAIS_WEBHOOK_SECRET", "not set: webhook mode refuses unsigned events", "Set a long random secret, e.g. `openssl rand -hex 32`."}
		}
	default:
		return &configError{"RELAIS_MODE", fmt.Sprintf("%q is not a mode", c.Mode), "Use websocket (default, no public URL needed) or webhook."}
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		return &configError{"RELAIS_TIMEZONE", fmt.Sprintf("%q is not an IANA time zone", c.TimeZone), "Use a name like America/Toronto."}
	}
	if c.Language != "fr" && c.Language != "en" {
		return &configError{"RELAIS_LANGUAGE", fmt.Sprintf("%q is not supported", c.Language), "Use fr or en."}
	}
	switch c.LogLevel {
	case "trace", "debug", "info", "warn", "error":
	default:
		return &configError{"RELAIS_LOG_LEVEL", fmt.Sprintf("%q is not a level", c.LogLevel), "Use debug, info, warn or error."}
	}
	switch c.LogFormat {
	case "auto", "json", "console":
	default:
		return &configError{"RELAIS_LOG_FORMAT", fmt.Sprintf("%q is not a format", c.LogFormat), "Use auto, json or console."}
	}
	for i, d := range c.AllowedDomains {
		d = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d), "@")))
		if d == "" || strings.ContainsAny(d, " @/") || !strings.Contains(d, ".") {
			return &configError{"RELAIS_ALLOWED_DOMAINS", fmt.Sprintf("%q is not an e-mail domain", c.AllowedDomains[i]), "Use a comma-separated list like ciusss.example.qc.ca,example.org."}
		}
		c.AllowedDomains[i] = d
	}
	if c.DialogueIdle < time.Minute {
		return &configError{"RELAIS_DIALOGUE_TIMEOUT", "shorter than one minute", "Use a duration like 30m."}
	}
	if c.ReminderBefore < 0 {
		return &configError{"RELAIS_REMINDER_BEFORE", "negative", "Use a duration like 30m, or 0 to disable reminders."}
	}
	if c.MeetingsPerHour < 1 {
		return &configError{"RELAIS_MEETINGS_PER_HOUR", "must be at least 1", "Use a number like 20."}
	}
	if c.JobLease < time.Second {
		return &configError{"RELAIS_JOB_LEASE", "shorter than one second", "Use a duration like 5m: longer than the slowest Webex call with its retries."}
	}
	if c.PollInterval < 10*time.Millisecond {
		return &configError{"RELAIS_POLL_INTERVAL", "shorter than 10ms", "Use a duration like 1s."}
	}
	if c.RatePerSecond <= 0 {
		return &configError{"RELAIS_WEBEX_RATE", "must be positive", "Use calls per second per token, like 8."}
	}
	return nil
}
