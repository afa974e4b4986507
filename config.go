package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/webexapi"
)

// config is everything `relais run` reads from the environment. Every secret can also come from
// a file named by the same variable with a _FILE suffix (container secrets).
//
// A setting left unset keeps its zero value here and takes the default of the package that owns
// it (webexapi, bot, conversations): main only maps the environment onto the packages' settings
// and validates what was set, once. The defaults main needs to show are read from those packages.
type config struct {
	APIURL     string `env:"WEBEX_API_URL"`
	CatalogURL string `env:"WEBEX_CATALOG_URL"`
	DeviceURL  string `env:"WEBEX_DEVICE_URL"`

	BotToken             string `env:"WEBEX_BOT_TOKEN"`
	MeetingsToken        string `env:"WEBEX_MEETINGS_TOKEN"`
	MeetingsRefreshToken string `env:"WEBEX_MEETINGS_REFRESH_TOKEN"`
	ClientID             string `env:"WEBEX_CLIENT_ID"`
	ClientSecret         string `env:"WEBEX_CLIENT_SECRET"`
	// MeetingsRefreshTokenFile is WEBEX_MEETINGS_REFRESH_TOKEN_FILE when the refresh token came
	// from a file: a rotated refresh token is written back there.
	MeetingsRefreshTokenFile string

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

	TimeZone           string        `env:"RELAIS_TIMEZONE"`
	Language           string        `env:"RELAIS_LANGUAGE"`
	LogLevel           string        `env:"RELAIS_LOG_LEVEL" envDefault:"info"`
	LogFormat          string        `env:"RELAIS_LOG_FORMAT" envDefault:"auto"`
	AllowedDomains     []string      `env:"RELAIS_ALLOWED_DOMAINS" envSeparator:","`
	OtherOrgDesignates bool          `env:"RELAIS_DESIGNATES_FROM_OTHER_ORGS"`
	DialogueIdle       time.Duration `env:"RELAIS_DIALOGUE_TIMEOUT"`
	ReminderBefore     time.Duration `env:"RELAIS_REMINDER_BEFORE"`
	MeetingsPerHour    int           `env:"RELAIS_MEETINGS_PER_HOUR"`
	RatePerSecond      float64       `env:"RELAIS_WEBEX_RATE"`
	DeleteDeviceOnExit bool          `env:"RELAIS_DELETE_DEVICE_ON_EXIT" envDefault:"false"`
	DeviceName         string        `env:"RELAIS_DEVICE_NAME"`
	JobLease           time.Duration `env:"RELAIS_JOB_LEASE"`
	PollInterval       time.Duration `env:"RELAIS_POLL_INTERVAL"`
	// The catch-up of messages the intake missed; unset: bot.CatchUpConfig's defaults.
	CatchUpWindow   time.Duration `env:"RELAIS_CATCHUP_WINDOW"`
	CatchUpSpaces   int           `env:"RELAIS_CATCHUP_MAX_SPACES"`
	CatchUpPerSpace int           `env:"RELAIS_CATCHUP_PER_SPACE"`
	CatchUpInterval time.Duration `env:"RELAIS_CATCHUP_INTERVAL"`
	LateAfter       time.Duration `env:"RELAIS_LATE_AFTER"`
	set             []string      // the variables above given a value, among those whose default a package owns
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
	refreshFile := vars["WEBEX_MEETINGS_REFRESH_TOKEN_FILE"]
	cfg, err := env.ParseAsWithOptions[config](env.Options{Environment: vars})
	if err != nil {
		var agg env.AggregateError
		if errors.As(err, &agg) && len(agg.Errors) > 0 {
			err = agg.Errors[0]
		}
		return config{}, &configError{"environment", err.Error(), "Fix the value's format (durations like 30m, numbers like 20)."}
	}
	cfg.MeetingsRefreshTokenFile = refreshFile
	// The endpoints are shown and checked by the doctor: take webexapi's defaults now.
	if cfg.APIURL == "" {
		cfg.APIURL = webexapi.DefaultBaseURL
	}
	if cfg.CatalogURL == "" {
		cfg.CatalogURL = webexapi.DefaultCatalogURL
	}
	if _, set := vars["RELAIS_REMINDER_BEFORE"]; !set {
		cfg.ReminderBefore = bot.DefaultReminderBefore // unset is the default; 0 (set) disables
	}
	for _, name := range []string{"RELAIS_MEETINGS_PER_HOUR", "RELAIS_WEBEX_RATE", "RELAIS_JOB_LEASE", "RELAIS_POLL_INTERVAL", "RELAIS_DIALOGUE_TIMEOUT",
		"RELAIS_CATCHUP_WINDOW", "RELAIS_CATCHUP_MAX_SPACES", "RELAIS_CATCHUP_PER_SPACE", "RELAIS_CATCHUP_INTERVAL", "RELAIS_LATE_AFTER"} {
		if v, set := vars[name]; set && strings.TrimSpace(v) != "" {
			cfg.set = append(cfg.set, name)
		}
	}
	return cfg, cfg.validate()
}

// isSet reports whether the environment gave the variable a value (else the owning package's
// default applies and there is nothing to validate).
func (c *config) isSet(name string) bool { return slices.Contains(c.set, name) }

// checkSecureURL is the rule for every URL Relais sends a token or an event to: absolute, and
// https unless the host is loopback (a fake Webex or a local test).
func checkSecureURL(name, raw, example string) *configError {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return &configError{name, fmt.Sprintf("%q is not an absolute URL", raw), "Use a URL like " + example + "."}
	}
	if u.Scheme != "https" && !isLoopbackHost(u.Hostname()) {
		return &configError{name, fmt.Sprintf("uses %s, not https: tokens and events would cross the network in clear", u.Scheme),
			"Use the https URL (" + example + "); plain http is accepted only for a loopback host (127.0.0.1, localhost)."}
	}
	return nil
}

// checkTimeZone is the one check of RELAIS_TIMEZONE (the configuration and the doctor call it).
func checkTimeZone(tz string) *configError {
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		return &configError{"RELAIS_TIMEZONE", fmt.Sprintf("%q is not an IANA time zone", tz), "Use an IANA name such as " + conversations.DefaultTimeZone + " or Europe/Paris."}
	}
	return nil
}

// checkWebhookSecret is webexapi's rule on RELAIS_WEBHOOK_SECRET, named and explained.
func checkWebhookSecret(secret string) *configError {
	err := webexapi.CheckWebhookSecret(secret)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, webexapi.ErrNoWebhookSecret):
		return &configError{"RELAIS_WEBHOOK_SECRET", "not set: webhook mode refuses unsigned events", "Set a long random secret, e.g. `openssl rand -hex 32`, in RELAIS_WEBHOOK_SECRET or RELAIS_WEBHOOK_SECRET_FILE."}
	default:
		return &configError{"RELAIS_WEBHOOK_SECRET", fmt.Sprintf("shorter than %d characters", webexapi.MinWebhookSecret), "Use a long random secret, e.g. `openssl rand -hex 32`."}
	}
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
	for _, u := range []struct{ name, raw, example string }{
		{"WEBEX_API_URL", c.APIURL, webexapi.DefaultBaseURL},
		{"WEBEX_CATALOG_URL", c.CatalogURL, webexapi.DefaultCatalogURL},
		{"WEBEX_DEVICE_URL", c.DeviceURL, "https://wdm-a.wbx2.com/wdm/api/v1"},
	} {
		if u.raw == "" {
			continue
		}
		if err := checkSecureURL(u.name, u.raw, u.example); err != nil {
			return err
		}
	}
	switch c.Mode {
	case "websocket":
	case "webhook":
		if c.WebhookURL == "" {
			return &configError{"RELAIS_WEBHOOK_URL", "not set in webhook mode", "Set the public https URL Webex will call, e.g. https://relais.example.org/webex/events."}
		}
		if err := checkSecureURL("RELAIS_WEBHOOK_URL", c.WebhookURL, "https://relais.example.org/webex/events"); err != nil {
			return err
		}
		if err := checkWebhookSecret(c.WebhookSecret); err != nil {
			return err
		}
	default:
		return &configError{"RELAIS_MODE", fmt.Sprintf("%q is not a mode", c.Mode), "Use websocket (default, no public URL needed) or webhook."}
	}
	if c.TimeZone != "" {
		if err := checkTimeZone(c.TimeZone); err != nil {
			return err
		}
	}
	if c.Language != "" && c.Language != "fr" && c.Language != "en" {
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
	if c.isSet("RELAIS_DIALOGUE_TIMEOUT") && c.DialogueIdle < time.Minute {
		return &configError{"RELAIS_DIALOGUE_TIMEOUT", "shorter than one minute", "Use a duration like 30m."}
	}
	if c.ReminderBefore < 0 {
		return &configError{"RELAIS_REMINDER_BEFORE", "negative", "Use a duration like 30m, or 0 to disable reminders."}
	}
	if c.isSet("RELAIS_MEETINGS_PER_HOUR") && c.MeetingsPerHour < 1 {
		return &configError{"RELAIS_MEETINGS_PER_HOUR", "must be at least 1", "Use a number like 20."}
	}
	if c.isSet("RELAIS_JOB_LEASE") && c.JobLease < time.Second {
		return &configError{"RELAIS_JOB_LEASE", "shorter than one second", "Use a duration like 5m: longer than the slowest Webex call with its retries."}
	}
	if c.isSet("RELAIS_POLL_INTERVAL") && c.PollInterval < 10*time.Millisecond {
		return &configError{"RELAIS_POLL_INTERVAL", "shorter than 10ms", "Use a duration like 1s."}
	}
	if c.isSet("RELAIS_WEBEX_RATE") && c.RatePerSecond <= 0 {
		return &configError{"RELAIS_WEBEX_RATE", "must be positive", "Use calls per second per token, like 8."}
	}
	if c.isSet("RELAIS_CATCHUP_WINDOW") && c.CatchUpWindow < time.Minute {
		return &configError{"RELAIS_CATCHUP_WINDOW", "shorter than one minute", "Use a duration like 24h: how far back a catch-up looks."}
	}
	if c.isSet("RELAIS_CATCHUP_MAX_SPACES") && c.CatchUpSpaces < 1 {
		return &configError{"RELAIS_CATCHUP_MAX_SPACES", "must be at least 1", "Use a number like 500."}
	}
	if c.isSet("RELAIS_CATCHUP_PER_SPACE") && c.CatchUpPerSpace < 1 {
		return &configError{"RELAIS_CATCHUP_PER_SPACE", "must be at least 1", "Use a number like 100."}
	}
	if c.isSet("RELAIS_CATCHUP_INTERVAL") && c.CatchUpInterval < 10*time.Second {
		return &configError{"RELAIS_CATCHUP_INTERVAL", "shorter than 10s", "Use a duration like 5m."}
	}
	if c.isSet("RELAIS_LATE_AFTER") && c.LateAfter < 0 {
		return &configError{"RELAIS_LATE_AFTER", "negative", "Use a duration like 2m."}
	}
	return nil
}
