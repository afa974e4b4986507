package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/time/rate"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// RuntimeConfig is everything needed to run Relais against a Webex (the real one or the fake).
type RuntimeConfig struct {
	APIURL     string // default https://webexapis.com/v1
	CatalogURL string // device-service catalog (websocket mode)
	DeviceURL  string // a device-service URL that bypasses the catalog

	BotToken string
	// The meetings credential: a token, or a refresh token with the client id and secret.
	MeetingsToken        string
	MeetingsRefreshToken string
	ClientID             string
	ClientSecret         string
	// RefreshTokenFile, when set, is the file the refresh token was read from: a refresh token
	// Webex rotates is written back there, so the credential survives its renewal and a restart.
	RefreshTokenFile string

	DB string // SQLite path or postgres:// URL

	Mode          string // "websocket" (default) or "webhook"
	WebhookURL    string // public URL Webex calls (webhook mode); its path is served
	WebhookSecret string
	ListenAddr    string // webhook receiver address
	AdminAddr     string // /healthz, /readyz, /metrics; "" = none

	// RatePerSecond caps the calls per second sent with each token (0 = 8).
	RatePerSecond float64
	// DeviceName is the websocket device registration's name, reused across restarts (default
	// DefaultDeviceName). Replicas on the websocket each need their own.
	DeviceName string
	// DeleteDeviceOnExit removes the websocket device registration at shutdown.
	DeleteDeviceOnExit bool
	// Servers bounds what clients may hold of the webhook receiver and the admin server.
	Servers ServerLimits
	// ShutdownTimeout bounds the graceful stop (default 10 s).
	ShutdownTimeout time.Duration
	// PingInterval for the websocket keepalive (0 = the listener's default, 15 s).
	PingInterval time.Duration
	// ReconnectBackoff for the websocket (zero = the listener's default).
	ReconnectBackoff webexapi.Backoff
	// IntakeGrace is how long the websocket may be reconnecting before /readyz turns red
	// (default 30 s).
	IntakeGrace time.Duration
	// WebhookCheckInterval is how often, in webhook mode, the registrations are checked and an
	// inactive one re-activated (default 5 min).
	WebhookCheckInterval time.Duration
	// OwnAccounts, when set, has each organizer connect their own Webex account instead of the
	// meetings credential above (RELAIS_MEETINGS_AUTH=user; accounts_runtime.go).
	OwnAccounts *OwnAccountsConfig

	Bot Config
}

// DefaultDeviceName is the websocket device registration's name when none is configured.
const DefaultDeviceName = "relais"

// DefaultRatePerSecond is the calls per second sent with each token when none is configured.
const DefaultRatePerSecond = 8

// Runtime is a running Relais: clients, store, bot, event intake and admin endpoints.
type Runtime struct {
	cfg      RuntimeConfig
	log      zerolog.Logger
	now      func() time.Time
	Bot      *Bot
	Store    store.Store
	Metrics  *Metrics
	Webex    *webexapi.Client
	Meetings *webexapi.Client
	// lookups reads websocket activities: it waits for no long Retry-After (intake_retry.go).
	lookups *webexapi.Client

	intake        *intakeHealth
	everConnected atomic.Bool
	adminAddr     atomic.Value // string, once listening
	hookAddr      atomic.Value // string, once listening

	// housekeepEvery is how often housekeeping runs: hourly when zero (tests shorten it).
	housekeepEvery time.Duration
}

// NewRuntime opens the store, builds the clients and learns the bot's identity.
func NewRuntime(ctx context.Context, cfg RuntimeConfig, log zerolog.Logger, now func() time.Time) (*Runtime, error) {
	if now == nil {
		now = time.Now
	}
	if cfg.APIURL == "" {
		cfg.APIURL = webexapi.DefaultBaseURL
	}
	if cfg.RatePerSecond <= 0 {
		cfg.RatePerSecond = DefaultRatePerSecond
	}
	if cfg.DeviceName == "" {
		cfg.DeviceName = DefaultDeviceName
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 10 * time.Second
	}
	if cfg.Mode == "" {
		cfg.Mode = "websocket"
	}
	if cfg.Mode == "webhook" {
		if err := webexapi.CheckWebhookSecret(cfg.WebhookSecret); err != nil {
			return nil, fmt.Errorf("webhook mode (RELAIS_WEBHOOK_SECRET): %w", err)
		}
	}
	if cfg.IntakeGrace <= 0 {
		cfg.IntakeGrace = defaultIntakeGrace
	}
	if cfg.WebhookCheckInterval <= 0 {
		cfg.WebhookCheckInterval = 5 * time.Minute
	}
	r := &Runtime{cfg: cfg, log: log, now: now, intake: &intakeHealth{now: now, grace: cfg.IntakeGrace}}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("open the database (RELAIS_DB): %w", err)
	}
	r.Store = st
	r.Metrics = NewMetrics(func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, _ := st.OutboxDepth(ctx)
		return float64(n)
	})
	hc := func() *http.Client {
		limiter := rate.NewLimiter(rate.Limit(cfg.RatePerSecond), max(1, int(cfg.RatePerSecond)))
		base := http.DefaultTransport.(*http.Transport).Clone()
		base.Proxy = http.ProxyFromEnvironment
		// Keep a connection for every call that can be in flight at once (a call per worker,
		// and the websocket listener's parallel lookups): fewer would close and reopen
		// connections under load. (Webex speaks HTTP/2, where one connection carries all.)
		base.MaxIdleConnsPerHost = max(64, cfg.Bot.Workers) + 64
		base.MaxIdleConns = 2 * base.MaxIdleConnsPerHost
		return &http.Client{Timeout: 60 * time.Second, Transport: rateLimited(limiter, r.Metrics.RoundTripper(base))}
	}
	clientLog := log.With().Str("component", "webexapi").Logger()
	// A request the bot gives up on is a person told "try later" or a dialogue turn replayed:
	// keep honouring Retry-After longer than the client's default 4 attempts (with a 25 % fault
	// rate, 4 attempts still lose about one call in 300).
	retry := webexapi.WithRetryPolicy(webexapi.RetryPolicy{MaxAttempts: 10})
	botHTTP := hc()
	r.Webex, err = webexapi.NewClient(webexapi.WithBaseURL(cfg.APIURL), webexapi.WithToken(cfg.BotToken),
		webexapi.WithHTTPClient(botHTTP), webexapi.WithLogger(clientLog), webexapi.WithUserAgent("relais"), retry)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("bot client: %w", err)
	}
	// Activity lookups do not wait in line for a long Retry-After: an activity Webex does not
	// answer for at once is recorded and retried by the bot, while its frame is acked.
	r.lookups, err = webexapi.NewClient(webexapi.WithBaseURL(cfg.APIURL), webexapi.WithToken(cfg.BotToken),
		webexapi.WithHTTPClient(botHTTP), webexapi.WithLogger(clientLog), webexapi.WithUserAgent("relais"),
		webexapi.WithRetryPolicy(lookupRetryPolicy))
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("bot client: %w", err)
	}
	var meetingsToken webexapi.TokenSource = webexapi.StaticToken(cfg.MeetingsToken)
	if cfg.MeetingsRefreshToken != "" {
		meetingsToken, err = webexapi.NewRefreshingToken(webexapi.RefreshConfig{
			TokenURL: cfg.APIURL + "/access_token", ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
			RefreshToken: cfg.MeetingsRefreshToken, AccessToken: cfg.MeetingsToken, HTTPClient: hc(), Now: now,
			OnRefresh: keepRefreshToken(cfg.RefreshTokenFile, cfg.MeetingsRefreshToken, log),
		})
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("meetings credential: %w", err)
		}
	}
	r.Meetings, err = webexapi.NewClient(webexapi.WithBaseURL(cfg.APIURL), webexapi.WithTokenSource(meetingsToken),
		webexapi.WithHTTPClient(hc()), webexapi.WithLogger(clientLog), webexapi.WithUserAgent("relais"), retry)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("meetings client: %w", err)
	}
	accts, err := r.ownAccounts(hc, clientLog, retry) // nil with a Service App
	if err != nil {
		st.Close()
		return nil, err
	}
	r.Bot, err = New(cfg.Bot, Deps{Webex: r.Webex, Meetings: r.Meetings, Store: st, Log: log, Now: now, Metrics: r.Metrics, Lookups: r.lookups, Accounts: accts})
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := r.Bot.Start(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return r, nil
}

// keepRefreshToken writes each refresh token Webex hands out back to the file the operator
// named, so that a rotated one is not lost at the next restart. Without a file there is nowhere
// to keep it: the operator is told once what to do.
func keepRefreshToken(path, initial string, log zerolog.Logger) func(string) {
	var warned atomic.Bool
	return func(token string) {
		if path == "" {
			if token == initial {
				return // not rotated: nothing to keep
			}
			if !warned.Swap(true) {
				log.Warn().Msg("the meetings refresh token was renewed but WEBEX_MEETINGS_REFRESH_TOKEN_FILE is not set: if Webex rotated it, set the new one from the Service App's page before the old one expires, or give the token as a writable file")
			}
			return
		}
		if err := webexapi.SaveRefreshToken(path, token); err != nil {
			log.Error().Err(err).Msg("cannot keep the renewed meetings refresh token; after a restart the old one may be refused")
		}
	}
}

func rateLimited(l *rate.Limiter, next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if err := l.Wait(req.Context()); err != nil {
			return nil, err
		}
		return next.RoundTrip(req)
	})
}

// Ready reports whether events can flow: connected to Webex (websocket, or reconnecting within
// the grace period) or listening with active webhooks (webhook), and the database answers.
func (r *Runtime) Ready(ctx context.Context) error {
	if err := r.intake.check(); err != nil {
		return err
	}
	return r.Store.Ping(ctx)
}

// AdminAddr is the admin server's address once it listens.
func (r *Runtime) AdminAddr() string { s, _ := r.adminAddr.Load().(string); return s }

// WebhookAddr is the webhook receiver's address once it listens.
func (r *Runtime) WebhookAddr() string { s, _ := r.hookAddr.Load().(string); return s }

// Run serves until ctx ends, then stops taking events, finishes what is in flight and closes
// cleanly within the shutdown timeout.
func (r *Runtime) Run(ctx context.Context) error {
	defer r.Store.Close()
	// The websocket acks a frame, and the webhook answers 200, only once the bot has recorded
	// the event (Event.Accept): a crash before that loses nothing, Webex delivers it again.
	events := make(chan webexapi.Event)
	var servers []*http.Server
	defer func() {
		for _, s := range servers {
			_ = s.Close() // after a graceful Shutdown this does nothing; on an early error it stops the listeners
		}
	}()
	errc := make(chan error, 4)
	var wg sync.WaitGroup

	if r.cfg.AdminAddr != "" {
		checks := map[string]Check{
			"webex":    func(ctx context.Context) error { return r.intake.check() },
			"database": r.Store.Ping,
		}
		srv, addr, err := serve(r.cfg.AdminAddr, AdminHandler(r.Metrics, checks), r.cfg.Servers, errc)
		if err != nil {
			return fmt.Errorf("admin server (RELAIS_ADMIN_ADDR): %w", err)
		}
		r.adminAddr.Store(addr)
		servers = append(servers, srv)
		r.log.Info().Str("addr", addr).Msg("admin endpoints: /healthz /readyz /metrics")
	}

	intakeCtx, stopIntake := context.WithCancel(ctx)
	defer stopIntake()
	switch r.cfg.Mode {
	case "webhook":
		h, err := webexapi.NewWebhookHandler(r.cfg.WebhookSecret, events,
			webexapi.WithWebhookAcceptance(),
			webexapi.WithWebhookLogger(r.log.With().Str("component", "webhook").Logger()),
			webexapi.WithIgnoredPersons(r.Bot.Me().ID),
			webexapi.WithBadSignatureHook(r.Metrics.WebhookBadSignatures.Inc))
		if err != nil {
			return err
		}
		u, err := url.Parse(r.cfg.WebhookURL)
		if err != nil {
			return fmt.Errorf("RELAIS_WEBHOOK_URL: %w", err)
		}
		path := u.Path
		if path == "" {
			path = "/"
		}
		mux := http.NewServeMux()
		mux.Handle(path, h)
		srv, addr, err := serve(r.cfg.ListenAddr, mux, r.cfg.Servers, errc)
		if err != nil {
			return fmt.Errorf("webhook receiver (RELAIS_LISTEN_ADDR): %w", err)
		}
		r.hookAddr.Store(addr)
		servers = append(servers, srv)
		rep, err := r.syncWebhooks(ctx)
		if err != nil {
			return fmt.Errorf("register webhooks: %w", err)
		}
		r.log.Info().Str("addr", addr).Str("path", path).Int("created", len(rep.Created)).Int("updated", len(rep.Updated)).
			Int("reactivated", len(rep.Reactivated)).Int("deleted", len(rep.Deleted)).Msg("webhook receiver listening")
		r.intake.connected()
		r.Bot.IntakeUp(r.now()) // catches up what was said while no receiver listened
		wg.Go(func() { r.watchWebhooks(intakeCtx) })
	default:
		opts := []webexapi.ListenerOption{
			webexapi.WithListenerLogger(r.log.With().Str("component", "websocket").Logger()),
			webexapi.WithDeleteDeviceOnExit(r.cfg.DeleteDeviceOnExit),
			webexapi.WithOnState(r.onState),
			webexapi.WithIdentity(r.Bot.Me()),
			webexapi.WithAcceptance(),
			webexapi.WithLookupClient(r.lookups),
			// As many lookups at once as conversations handled at once.
			webexapi.WithLookupWindow(r.Bot.Workers()),
		}
		if r.cfg.CatalogURL != "" {
			opts = append(opts, webexapi.WithCatalogURL(r.cfg.CatalogURL))
		}
		if r.cfg.DeviceURL != "" {
			opts = append(opts, webexapi.WithDeviceServiceURL(r.cfg.DeviceURL))
		}
		if r.cfg.DeviceName != "" {
			opts = append(opts, webexapi.WithDeviceName(r.cfg.DeviceName))
		}
		if r.cfg.PingInterval > 0 {
			opts = append(opts, webexapi.WithPingInterval(r.cfg.PingInterval))
		}
		if r.cfg.ReconnectBackoff.Base > 0 {
			opts = append(opts, webexapi.WithReconnectBackoff(r.cfg.ReconnectBackoff))
		}
		l := webexapi.NewListener(r.Webex, opts...)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := l.Run(intakeCtx, events)
			switch {
			case intakeCtx.Err() != nil:
			case errors.Is(err, webexapi.ErrDeviceReplaced):
				// Stay up, not ready: restarting would take the device back from the other
				// process, and both would go on taking it from each other.
				r.intake.setBroken(fmt.Errorf("websocket stopped: %w", err))
				r.log.Error().Err(err).Str("deviceName", r.cfg.DeviceName).
					Msg("another process uses this websocket device; this one takes no events until restarted with its own RELAIS_DEVICE_NAME")
			case err != nil:
				errc <- fmt.Errorf("websocket: %w", err)
			}
		}()
	}

	botCtx, stopBot := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBot()
	botDone := make(chan error, 1)
	go func() { botDone <- r.Bot.Run(botCtx, events) }()
	go r.housekeeping(botCtx)

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
		r.log.Error().Err(runErr).Msg("stopping")
	}
	// Graceful stop: no new events, finish in-flight work, close, all within the timeout.
	r.intake.setBroken(errors.New("stopping"))
	stopIntake()
	deadline, cancel := context.WithTimeout(context.Background(), r.cfg.ShutdownTimeout)
	defer cancel()
	for _, s := range servers {
		_ = s.Shutdown(deadline)
	}
	wg.Wait()
	// Nothing writes events any more: the bot drains what was received, then returns.
	close(events)
	select {
	case <-botDone:
	case <-deadline.Done():
		r.log.Warn().Msg("shutdown timeout: abandoning in-flight work (it resumes at the next start)")
	}
	stopBot()
	r.log.Info().Msg("stopped")
	return runErr
}

func (r *Runtime) onState(sc webexapi.StateChange) {
	r.Metrics.WebsocketEvents.WithLabelValues(string(sc.State)).Inc()
	ev := r.log.Info()
	switch sc.State {
	case webexapi.StateConnected:
		r.intake.connected()
		r.Bot.IntakeUp(r.now()) // catches up what was said while disconnected
		if r.everConnected.Swap(true) {
			r.Metrics.Reconnects.Inc()
		}
	case webexapi.StateDisconnected, webexapi.StateStopped:
		r.intake.disconnected()
		r.Bot.IntakeDown(r.now())
		ev = r.log.Warn()
	case webexapi.StateError:
		// A frame skipped, a device not refreshed: the connection lives on, and so does
		// readiness.
		ev = r.log.Warn()
	}
	if sc.Err != nil {
		ev = ev.Err(sc.Err)
	}
	ev.Str("state", string(sc.State)).Int("attempt", sc.Attempt).Dur("wait", sc.Wait).Msg("websocket")
}

// housekeeping forgets, now and then, old conversations, finished jobs (a week after, far
// beyond Webex's redelivery window, so de-duplication still holds) and idle rate limiters.
func (r *Runtime) housekeeping(ctx context.Context) {
	every := r.housekeepEvery
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		now := r.now()
		if n, err := r.Store.PurgeExpiredConversations(ctx, now); err == nil && n > 0 {
			r.log.Info().Int64("purged", n).Msg("old conversations forgotten")
		}
		// The outbox's rows carry the store's own wall-clock stamps (see awaitOtherAttempt),
		// not the runtime's clock (which `relais demo --now` and the tests move).
		if n, err := r.Store.PruneOutbox(ctx, wallNow().Add(-7*24*time.Hour)); err == nil && n > 0 {
			r.log.Info().Int64("pruned", n).Msg("finished jobs forgotten")
		}
		r.Bot.forgetIdleLimiters()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
