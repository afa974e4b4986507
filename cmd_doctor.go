package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// checkResult is one line of the doctor's checklist. Detail and Fix never hold a secret.
type checkResult struct {
	Name   string
	OK     bool
	Detail string
	Fix    string // what to do, for a failure
	// Warn is a risk worth knowing about in a passing check; it does not fail the run.
	Warn string
}

func checkPassed(name, detail string) checkResult {
	return checkResult{Name: name, OK: true, Detail: detail}
}

func checkFailed(name, detail, fix string) checkResult {
	return checkResult{Name: name, Detail: detail, Fix: fix}
}

func runDoctor(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	return doctorMain(ctx, os.Environ(), args, stdout, stderr)
}

// doctorMain checks every setting read from environ and prints a checklist with a fix for each
// failure. It returns 0 only when every check passes, 1 otherwise, 2 on bad flags.
func doctorMain(ctx context.Context, environ, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hostEmail := fs.String("host-email", "", "an organization user's e-mail: also check that the meetings credential acts for them (hostEmail)")
	timeout := fs.Duration("timeout", 20*time.Second, "time allowed to each check")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: relais doctor [--host-email someone@your.org] [--timeout 20s]")
		fmt.Fprintln(stderr, "Checks the configuration from the environment against Webex and the database; exit status 0 only when every check passes.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "relais doctor: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *timeout <= 0 {
		fmt.Fprintln(stderr, "relais doctor: --timeout must be positive")
		return 2
	}
	d := &doctor{hostEmail: strings.TrimSpace(*hostEmail), timeout: *timeout}
	results := d.run(ctx, environ)
	failed := 0
	for _, r := range results {
		mark := "✓"
		if !r.OK {
			mark = "✗"
			failed++
		}
		fmt.Fprintf(stdout, "%s %s: %s\n", mark, r.Name, oneLine(r.Detail))
		if !r.OK && r.Fix != "" {
			fmt.Fprintf(stdout, "    fix: %s\n", r.Fix)
		}
		if r.Warn != "" {
			fmt.Fprintf(stdout, "    warning: %s\n", r.Warn)
		}
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "\n%d of %d checks failed.\n", failed, len(results))
		return 1
	}
	fmt.Fprintf(stdout, "\nAll %d checks passed.\n", len(results))
	return 0
}

type doctor struct {
	cfg       config
	hostEmail string
	timeout   time.Duration
	hc        *http.Client
}

// run performs every check; a check whose input is missing fails with its own fix, so one
// run lists every problem.
func (d *doctor) run(ctx context.Context, environ []string) []checkResult {
	cfg, err := loadConfig(environ)
	var results []checkResult
	if err != nil {
		fix := ""
		var ce *configError
		if errors.As(err, &ce) {
			fix = ce.Fix
			err = fmt.Errorf("%s: %s", ce.Var, ce.Problem)
		}
		results = append(results, checkFailed("configuration", err.Error(), fix))
		if cfg.Mode == "" { // the environment could not even be read: nothing else to check
			return results
		}
	} else {
		results = append(results, checkPassed("configuration", fmt.Sprintf("loads (mode %s, language %s, database %s)", cfg.Mode, cmp.Or(cfg.Language, string(conversations.DefaultConfig().DefaultLang)), hideDSNPassword(cfg.DB))))
	}
	d.cfg = cfg
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyFromEnvironment
	d.hc = &http.Client{Transport: tr, Timeout: d.timeout}

	results = append(results, d.checkTimeZone())
	results = append(results, d.withTimeout(ctx, d.checkBot))
	if cfg.meetingsAuthMode() == meetingsAuthUser {
		results = append(results, d.checkUserAuth(ctx)...)
	} else {
		results = append(results, d.checkMeetings(ctx)...)
	}
	if cfg.Mode == "webhook" {
		results = append(results, d.withTimeout(ctx, d.checkWebhook))
	} else {
		results = append(results, d.withTimeout(ctx, d.checkWebsocket))
	}
	results = append(results, d.withTimeout(ctx, d.checkDatabase))
	return results
}

func (d *doctor) withTimeout(ctx context.Context, check func(context.Context) checkResult) checkResult {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return check(ctx)
}

func (d *doctor) client(ts webexapi.TokenSource) (*webexapi.Client, error) {
	return webexapi.NewClient(webexapi.WithBaseURL(d.cfg.APIURL), webexapi.WithTokenSource(ts),
		webexapi.WithHTTPClient(d.hc), webexapi.WithUserAgent("relais-doctor"),
		webexapi.WithRetryPolicy(webexapi.RetryPolicy{MaxAttempts: 2, MaxRetryAfter: 5 * time.Second, BackoffBase: 200 * time.Millisecond}))
}

func (d *doctor) checkTimeZone() checkResult {
	const name = "time zone"
	tz := d.cfg.TimeZone
	if tz == "" {
		tz = conversations.DefaultTimeZone
	}
	if err := checkTimeZone(tz); err != nil {
		return checkFailed(name, "RELAIS_TIMEZONE: "+err.Problem, err.Fix)
	}
	return checkPassed(name, tz+" exists (used when an organizer's Webex profile has none)")
}

// refreshTokenLeft says how long the refresh token has left, when Webex said so.
func refreshTokenLeft(expiry, now time.Time) string {
	if expiry.IsZero() {
		return ""
	}
	left := expiry.Sub(now)
	if days := int(left.Hours() / 24); days >= 1 {
		return fmt.Sprintf("; the refresh token expires in %d days (%s) unless used before", days, expiry.UTC().Format("2006-01-02"))
	}
	return fmt.Sprintf("; the refresh token expires in %s: get a new one from the Service App's page", left.Round(time.Minute))
}

// unreachable explains a transport failure (no answer from Webex at all).
func unreachable(what, rawURL string, err error) (string, string) {
	host := rawURL
	if u, perr := url.Parse(rawURL); perr == nil && u.Host != "" {
		host = u.Host
	}
	return fmt.Sprintf("cannot reach %s (%s): %v", what, host, err),
		fmt.Sprintf("Allow outbound HTTPS (443) to %s; behind a corporate proxy set HTTPS_PROXY (and NO_PROXY for internal hosts).", host)
}

func (d *doctor) checkBot(ctx context.Context) checkResult {
	const name = "bot token"
	if d.cfg.BotToken == "" {
		return checkFailed(name, "WEBEX_BOT_TOKEN is not set",
			"Create a bot at developer.webex.com (My Webex Apps → Create a Bot) and set its access token in WEBEX_BOT_TOKEN or WEBEX_BOT_TOKEN_FILE.")
	}
	c, err := d.client(webexapi.StaticToken(d.cfg.BotToken))
	if err != nil {
		return checkFailed(name, err.Error(), "Check WEBEX_API_URL (default https://webexapis.com/v1).")
	}
	me, err := c.People.Me(ctx)
	switch {
	case webexapi.IsUnauthorized(err):
		return checkFailed(name, "Webex refuses WEBEX_BOT_TOKEN (401: wrong or revoked token)"+trackingOf(err),
			"Copy the bot's access token again; if it is lost, regenerate it on the bot's page at developer.webex.com (My Webex Apps → your bot → Regenerate Access Token).")
	case err != nil && isTransport(err):
		detail, fix := unreachable("Webex", d.cfg.APIURL, err)
		return checkFailed(name, detail, fix)
	case err != nil:
		return checkFailed(name, "GET /people/me failed: "+err.Error(), "Check WEBEX_API_URL and WEBEX_BOT_TOKEN.")
	}
	if me.Type != webexapi.PersonTypeBot {
		return checkFailed(name, fmt.Sprintf("WEBEX_BOT_TOKEN belongs to a %s (%s), not a bot", orUnknown(me.Type), me.DisplayName),
			"Use the access token of a bot (developer.webex.com → My Webex Apps → Create a Bot), not a personal or integration token: those expire and act as a person.")
	}
	return checkPassed(name, fmt.Sprintf("is the bot « %s » (%s)", me.DisplayName, me.Email()))
}

// checkMeetings checks the meetings credential: the refresh (when configured) and a meetings
// list call, on behalf of --host-email when given.
func (d *doctor) checkMeetings(ctx context.Context) []checkResult {
	const name = "meetings credential"
	var out []checkResult
	var ts webexapi.TokenSource
	if d.cfg.MeetingsRefreshToken != "" {
		if d.cfg.ClientID == "" || d.cfg.ClientSecret == "" {
			return append(out, checkFailed("meetings token refresh", "WEBEX_MEETINGS_REFRESH_TOKEN is set without WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET",
				"Copy the client id and secret from the Service App's page at developer.webex.com into WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET (or their _FILE variants)."))
		}
		var keepErr error
		rt, err := webexapi.NewRefreshingToken(webexapi.RefreshConfig{
			TokenURL: d.cfg.APIURL + "/access_token", ClientID: d.cfg.ClientID, ClientSecret: d.cfg.ClientSecret,
			RefreshToken: d.cfg.MeetingsRefreshToken, HTTPClient: d.hc,
			// The doctor's own renewal may rotate the refresh token too: keep it like `run` does.
			OnRefresh: func(tok string) {
				if d.cfg.MeetingsRefreshTokenFile != "" {
					keepErr = webexapi.SaveRefreshToken(d.cfg.MeetingsRefreshTokenFile, tok)
				}
			},
		})
		if err != nil {
			return append(out, checkFailed("meetings token refresh", err.Error(), "Set WEBEX_MEETINGS_REFRESH_TOKEN, WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET."))
		}
		rctx, cancel := context.WithTimeout(ctx, d.timeout)
		_, err = rt.Token(rctx)
		cancel()
		switch {
		case err != nil && isTransport(err):
			detail, fix := unreachable("the token endpoint", d.cfg.APIURL, err)
			out = append(out, checkFailed("meetings token refresh", detail, fix))
		case err != nil:
			out = append(out, checkFailed("meetings token refresh", "Webex refused to renew the token: "+err.Error(),
				"Check WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET against the Service App's page; if the refresh token expired or was revoked (unused for 90 days, app re-authorized), get a new token pair for your organization from the Service App's page at developer.webex.com and set WEBEX_MEETINGS_REFRESH_TOKEN."))
		case keepErr != nil:
			out = append(out, checkFailed("meetings token refresh", "renewed, but the renewed refresh token cannot be kept: "+keepErr.Error(),
				"Make WEBEX_MEETINGS_REFRESH_TOKEN_FILE writable by Relais (Webex may rotate the refresh token at each renewal and refuse the old one)."))
		default:
			out = append(out, checkPassed("meetings token refresh", "works (POST /access_token answered a new access token)"+refreshTokenLeft(rt.RefreshTokenExpiry(), time.Now())))
		}
		if err != nil {
			return out
		}
		ts = rt
	} else {
		if d.cfg.MeetingsToken == "" {
			return append(out, checkFailed(name, "WEBEX_MEETINGS_TOKEN is not set (a bot token cannot create meetings)",
				"Create a Service App with the scopes meeting:admin_schedule_write and meeting:admin_schedule_read, have a full administrator authorize it in Control Hub, then set its access token in WEBEX_MEETINGS_TOKEN, or better its refresh token with WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET for automatic renewal."))
		}
		ts = webexapi.StaticToken(d.cfg.MeetingsToken)
	}
	c, err := d.client(ts)
	if err != nil {
		return append(out, checkFailed(name, err.Error(), "Check WEBEX_API_URL (default https://webexapis.com/v1)."))
	}
	lctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	_, err = c.Meetings.List(lctx, &webexapi.MeetingListOptions{Max: 1, HostEmail: d.hostEmail})
	const scopesFix = "The meetings credential must be a Service App (or admin integration) token with the scopes meeting:admin_schedule_write and meeting:admin_schedule_read, authorized for your organization by a full administrator who is also a site administrator of your Webex site (Control Hub → Apps → Service Apps → Authorize). A bot token or a person's token cannot schedule for others."
	switch {
	case err == nil:
		detail := "can list meetings (GET /meetings answered 200)"
		if d.hostEmail != "" {
			detail = "can act for " + d.hostEmail + " (GET /meetings?hostEmail answered 200)"
		} else {
			detail += "; add --host-email someone@your.org to check scheduling on someone's behalf"
		}
		return append(out, checkPassed(name, detail))
	case webexapi.IsUnauthorized(err):
		return append(out, checkFailed(name, "Webex refuses the meetings token (401: wrong, revoked or expired)"+trackingOf(err),
			"Get a fresh access token from the Service App's page at developer.webex.com; set WEBEX_MEETINGS_REFRESH_TOKEN, WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET so that Relais renews it by itself."))
	case webexapi.IsForbidden(err):
		return append(out, checkFailed(name, "Webex answers 403: the meetings credential lacks the scopes to schedule for the organization"+trackingOf(err), scopesFix))
	case webexapi.IsBadRequest(err) && d.hostEmail != "":
		return append(out, checkFailed(name, fmt.Sprintf("Webex refuses to act for %s: %v", d.hostEmail, err),
			"Use the e-mail of a user with a Webex Meetings licence on a site the authorizing administrator manages; "+scopesFix))
	case isTransport(err):
		detail, fix := unreachable("Webex", d.cfg.APIURL, err)
		return append(out, checkFailed(name, detail, fix))
	default:
		return append(out, checkFailed(name, "GET /meetings failed: "+err.Error(), scopesFix))
	}
}

func (d *doctor) checkWebsocket(ctx context.Context) checkResult {
	const name = "websocket path"
	if d.cfg.BotToken == "" {
		return checkFailed(name, "not checked: WEBEX_BOT_TOKEN is not set", "Set WEBEX_BOT_TOKEN first.")
	}
	c, err := d.client(webexapi.StaticToken(d.cfg.BotToken))
	if err != nil {
		return checkFailed(name, err.Error(), "Check WEBEX_API_URL.")
	}
	devs := webexapi.NewDevices(c, webexapi.DevicesConfig{CatalogURL: d.cfg.CatalogURL, ServiceURL: d.cfg.DeviceURL})
	wdm, err := devs.ServiceURL(ctx)
	if err != nil {
		if isTransport(err) {
			detail, fix := unreachable("the service catalog", d.cfg.CatalogURL, err)
			return checkFailed(name, detail, fix+" The websocket mode also needs wss://*.wbx2.com (443).")
		}
		return checkFailed(name, "the service catalog did not name the device service: "+err.Error(),
			"Check WEBEX_CATALOG_URL (default https://u2c.wbx2.com/u2c/api/v1/catalog) and WEBEX_BOT_TOKEN, or set WEBEX_DEVICE_URL.")
	}
	list, err := devs.List(ctx)
	if err != nil {
		if isTransport(err) {
			detail, fix := unreachable("the device service", wdm, err)
			return checkFailed(name, detail, fix+" The websocket mode also needs wss://*.wbx2.com (443).")
		}
		return checkFailed(name, "the device service refused to list the bot's devices: "+err.Error(),
			"Check WEBEX_BOT_TOKEN; if your network blocks the device service, use the webhook mode (RELAIS_MODE=webhook).")
	}
	mine := "not registered yet: it will be at the first start"
	devName := d.cfg.DeviceName
	if devName == "" {
		devName = bot.DefaultDeviceName
	}
	for _, dev := range list {
		if dev.Name == devName {
			mine = "registered, reused at start"
			break
		}
	}
	res := checkPassed(name, fmt.Sprintf("catalog and device service reachable; device « %s » %s (the doctor creates none)", devName, mine))
	res.Warn = defaultDeviceNameWarning(devName)
	return res
}

// defaultDeviceNameWarning warns about the default device name: a second process started with
// the same bot token and name (a second replica, a test run on a laptop) takes the websocket,
// Webex closes the first one with 4000, and that one stops taking events.
func defaultDeviceNameWarning(name string) string {
	switch name {
	case "", bot.DefaultDeviceName, webexapi.DefaultDeviceName:
	default:
		return ""
	}
	return fmt.Sprintf("the device name is the default « %s »: any other process started with this bot token and the same name "+
		"takes the websocket from this one (Webex closes it with code 4000, and Relais then stops taking events). "+
		"Give each process its own RELAIS_DEVICE_NAME.", name)
}

func (d *doctor) checkWebhook(ctx context.Context) checkResult {
	const name = "webhook path"
	u, err := url.Parse(d.cfg.WebhookURL)
	if d.cfg.WebhookURL == "" || err != nil || u.Host == "" || !u.IsAbs() {
		return checkFailed(name, fmt.Sprintf("RELAIS_WEBHOOK_URL %q is not an absolute URL", d.cfg.WebhookURL),
			"Set the public https URL Webex will call, e.g. https://relais.example.org/webex/events, routed by your reverse proxy to RELAIS_LISTEN_ADDR.")
	}
	if ce := checkSecureURL("RELAIS_WEBHOOK_URL", d.cfg.WebhookURL, "https://relais.example.org/webex/events"); ce != nil {
		return checkFailed(name, "RELAIS_WEBHOOK_URL "+ce.Problem,
			"Publish the receiver over https (TLS at your reverse proxy or ingress) and set RELAIS_WEBHOOK_URL to that https URL.")
	}
	if ce := checkWebhookSecret(d.cfg.WebhookSecret); ce != nil {
		return checkFailed(name, "RELAIS_WEBHOOK_SECRET is "+ce.Problem, ce.Fix)
	}
	if _, _, err := net.SplitHostPort(d.cfg.ListenAddr); err != nil {
		return checkFailed(name, fmt.Sprintf("RELAIS_LISTEN_ADDR %q is not HOST:PORT", d.cfg.ListenAddr), "Use an address like :8080.")
	}
	if d.cfg.BotToken == "" {
		return checkFailed(name, "not checked against Webex: WEBEX_BOT_TOKEN is not set", "Set WEBEX_BOT_TOKEN first.")
	}
	c, err := d.client(webexapi.StaticToken(d.cfg.BotToken))
	if err != nil {
		return checkFailed(name, err.Error(), "Check WEBEX_API_URL.")
	}
	if _, err := c.Webhooks.List(ctx, &webexapi.WebhookListOptions{}); err != nil {
		if isTransport(err) {
			detail, fix := unreachable("Webex", d.cfg.APIURL, err)
			return checkFailed(name, detail, fix)
		}
		return checkFailed(name, "the bot cannot list its webhooks: "+err.Error(), "Check WEBEX_BOT_TOKEN.")
	}
	res := checkPassed(name, fmt.Sprintf("%s, secret set, the bot can manage its webhooks (Webex must reach that URL from the internet)", u.Redacted()))
	if isLoopbackHost(u.Hostname()) {
		res.Warn = "RELAIS_WEBHOOK_URL is a loopback address: Webex cannot reach it (fine against the fake Webex, not in production). Set the public https URL of your reverse proxy."
	}
	return res
}

// errProbeRollback undoes the doctor's write probe.
var errProbeRollback = errors.New("doctor: roll back the probe")

func (d *doctor) checkDatabase(ctx context.Context) checkResult {
	const name = "database"
	shown := hideDSNPassword(d.cfg.DB)
	fix := "RELAIS_DB names an SQLite file (its directory must be writable by the user running Relais: uid 65532 in the container, mount a volume at /data) or a postgres:// URL (check host, credentials, and that the user may create tables in the database)."
	st, err := store.Open(ctx, d.cfg.DB)
	if err != nil {
		return checkFailed(name, fmt.Sprintf("cannot open %s: %v", shown, redactErr(err, d.cfg.DB)), fix)
	}
	defer st.Close()
	if err := st.Ping(ctx); err != nil {
		return checkFailed(name, fmt.Sprintf("%s does not answer: %v", shown, redactErr(err, d.cfg.DB)), fix)
	}
	// Write inside a transaction, then roll it back: proves the write lock without leaving a row.
	err = st.WithTx(ctx, func(tx store.Tx) error {
		if _, err := tx.PutConversation(ctx, store.Conversation{Key: "relais-doctor-probe", State: []byte("{}")}, 0); err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
		return errProbeRollback
	})
	if err != nil && !errors.Is(err, errProbeRollback) {
		return checkFailed(name, fmt.Sprintf("%s is not writable: %v", shown, redactErr(err, d.cfg.DB)), fix)
	}
	return checkPassed(name, fmt.Sprintf("%s (%s) opens, answers and is writable", shown, st.Dialect()))
}

// keywordPassword finds the password of a keyword/value PostgreSQL DSN ("host=… password=…").
var keywordPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// hideDSNPassword shows a DSN without its password, in URL or keyword/value form.
func hideDSNPassword(dsn string) string {
	return keywordPassword.ReplaceAllString(redactDSN(dsn), "${1}…")
}

// dsnPassword returns the DSN's password, "" when it has none.
func dsnPassword(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			return p
		}
	}
	if m := keywordPassword.FindStringSubmatch(dsn); m != nil {
		return strings.Trim(m[2], "'")
	}
	return ""
}

// redactErr hides the DSN's password should an error quote the DSN.
func redactErr(err error, dsn string) string {
	s := keywordPassword.ReplaceAllString(err.Error(), "${1}…")
	if p := dsnPassword(dsn); p != "" {
		s = strings.ReplaceAll(s, p, "…")
	}
	return s
}

func isTransport(err error) bool {
	var apiErr *webexapi.APIError
	return err != nil && !errors.As(err, &apiErr)
}

func trackingOf(err error) string {
	var apiErr *webexapi.APIError
	if errors.As(err, &apiErr) && apiErr.TrackingID != "" {
		return " (trackingId " + apiErr.TrackingID + ")"
	}
	return ""
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// oneLine keeps a checklist entry on one line (some errors span several).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func orUnknown(s string) string {
	if s == "" {
		return "non-bot account"
	}
	return s
}
