package webextest

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// Options configures a fake Webex. The zero value is usable: every field has a default.
type Options struct {
	// BotToken is the bot's access token (default "bot-token"). /v1/people/me answers the bot
	// with it, and every /v1/meetings call made with it gets 403.
	BotToken string
	// MeetingsToken is a token with admin scheduling rights (default "meetings-token"):
	// meetings calls are allowed and hostEmail is accepted. It never expires.
	MeetingsToken string
	// ClientID, ClientSecret and RefreshToken are what POST /v1/access_token accepts for the
	// refresh_token grant (defaults "client-id", "client-secret", "refresh-token").
	ClientID, ClientSecret, RefreshToken string
	// MeetingsTokenTTL is the lifetime of the meetings tokens issued by /v1/access_token;
	// 0 means they never expire.
	MeetingsTokenTTL time.Duration
	// Directory replaces the default people directory. A person of type "bot" is the bot;
	// without one the default bot « Relais » is added.
	Directory []Person
	// Clock is the time source for meeting validation, token expiry and timestamps
	// (default time.Now).
	Clock func() time.Time
	// Logger receives the fake's own log lines (default zerolog.Nop()).
	Logger zerolog.Logger
	// Seed seeds the random source of fault injection, for reproducible fault sequences
	// (0 = a random seed).
	Seed uint64
	// WebhookAttempts is how many times one webhook delivery is tried (default 3).
	WebhookAttempts int
	// WebhookRetryDelay is the wait before the first retry of a delivery, doubled at each
	// retry (default 1s).
	WebhookRetryDelay time.Duration
	// WebhookDisableAfter is how many deliveries in a row may fail (all attempts) before the
	// webhook is disabled (default 5).
	WebhookDisableAfter int
	// HTTPClient delivers webhooks (default a client with a 10 s timeout).
	HTTPClient *http.Client
}

// Server is one fake Webex. Its state lives in memory and is shared with no other instance.
type Server struct {
	opts    Options
	log     zerolog.Logger
	clock   func() time.Time
	handler http.Handler
	client  *http.Client

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	urlMu sync.RWMutex // guards url alone, so URL() is safe under mu
	url   string

	mu    sync.Mutex
	state state

	oauth oauthState // user authorizations of the integration (oauth.go)

	faultsMu sync.Mutex
	faults   Faults
	rng      *rand.Rand
	counts   map[string]int
	lookups  int // conversation-service activity lookups

	wsAccepted atomic.Int64 // websocket connections accepted since start
}

// New builds a fake Webex that is not listening: serve s.Handler() yourself and call SetURL
// with the address it is reachable at.
func New(opts Options) *Server {
	if opts.BotToken == "" {
		opts.BotToken = "bot-token"
	}
	if opts.MeetingsToken == "" {
		opts.MeetingsToken = "meetings-token"
	}
	if opts.ClientID == "" {
		opts.ClientID = "client-id"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "client-secret"
	}
	if opts.RefreshToken == "" {
		opts.RefreshToken = "refresh-token"
	}
	if opts.WebhookAttempts <= 0 {
		opts.WebhookAttempts = 3
	}
	if opts.WebhookRetryDelay <= 0 {
		opts.WebhookRetryDelay = time.Second
	}
	if opts.WebhookDisableAfter <= 0 {
		opts.WebhookDisableAfter = 5
	}
	s := &Server{opts: opts, log: opts.Logger, clock: opts.Clock, client: opts.HTTPClient}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.client == nil {
		s.client = &http.Client{Timeout: 10 * time.Second}
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s.counts = map[string]int{}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.state.init(s.clock(), opts.Directory)
	s.handler = s.routes()
	return s
}

// NewTestServer starts a fake Webex on an httptest server; t.Cleanup closes both.
func NewTestServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s.Handler())
	s.SetURL(ts.URL)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s
}

// Handler serves the whole fake: /v1/, the catalog, the device service, the Mercury
// websocket, the conversation service and the /_sim/ control API.
func (s *Server) Handler() http.Handler { return s.handler }

// URL is the root URL of the fake, e.g. "http://127.0.0.1:PORT".
func (s *Server) URL() string {
	s.urlMu.RLock()
	defer s.urlMu.RUnlock()
	return s.url
}

// SetURL records the root URL the fake is reachable at (for a server started by hand).
func (s *Server) SetURL(u string) {
	s.urlMu.Lock()
	defer s.urlMu.Unlock()
	s.url = strings.TrimRight(u, "/")
}

// APIURL is the REST base URL, URL()+"/v1".
func (s *Server) APIURL() string { return s.URL() + "/v1" }

// CatalogURL is the service catalog (U2C) URL, URL()+"/u2c/api/v1/catalog".
func (s *Server) CatalogURL() string { return s.URL() + "/u2c/api/v1/catalog" }

// BotToken is the bot's token.
func (s *Server) BotToken() string { return s.opts.BotToken }

// MeetingsToken is the static meetings (admin scheduling) token.
func (s *Server) MeetingsToken() string { return s.opts.MeetingsToken }

// Close closes every websocket and stops webhook deliveries, waiting for them to end.
// The Server answers no more websocket connections afterwards.
func (s *Server) Close() {
	s.mu.Lock()
	s.state.closed = true
	conns := s.state.allConns()
	s.mu.Unlock()
	s.cancel()
	for _, c := range conns {
		c.kill()
	}
	s.wg.Wait()
}

// baseURL is the fake's root URL, taken from the request when SetURL was not called.
func (s *Server) baseURL(r *http.Request) string {
	if u := s.URL(); u != "" {
		return u
	}
	return "http://" + r.Host
}

// now is the injected clock's time in UTC.
func (s *Server) now() time.Time { return s.clock().UTC() }
