package bot_test

import (
	"context"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// reference is the tests' "now": Tuesday 16 June 2026, 09:00 in Toronto.
var reference = time.Date(2026, 6, 16, 9, 0, 0, 0, mustZone("America/Toronto"))

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// clock starts at a fixed instant and moves with real time, so the fake and the bot agree.
type clock struct {
	mu     sync.Mutex
	base   time.Time
	origin time.Time
}

func newClock(at time.Time) *clock { return &clock{base: at, origin: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.origin))
}

// Advance jumps the clock forward.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = c.base.Add(d)
}

type harness struct {
	t       *testing.T
	fake    *webextest.Server
	rt      *bot.Runtime
	clock   *clock
	cancel  context.CancelFunc
	done    chan error
	handled chan string
	mu      sync.Mutex
	seen    map[string]bool
}

type harnessOptions struct {
	mode      string // websocket (default) or webhook
	db        string
	fakeOpts  webextest.Options
	fake      *webextest.Server
	botConfig bot.Config
	meetings  string // meetings token override
	log       zerolog.Logger
	// apiURL replaces the fake's REST root (e.g. a proxy in front of it).
	apiURL string
	// orgOnly leaves the allowed domains empty: only the bot's organization may use it.
	orgOnly bool
	// wrapStore, when set, wraps the bot's store (fault injection).
	wrapStore func(store.Store) store.Store
	// onStats, when set, receives the timings of each handled event.
	onStats func(bot.EventStats)
	// clock, when set, is shared with an earlier harness (a restart on the same fake).
	clock *clock
	// deviceName, when set, names the websocket device (a new name: a new device).
	deviceName string
	// tune, when set, adjusts the runtime's configuration before it starts.
	tune func(*bot.RuntimeConfig)
	// admin serves /healthz, /readyz and /metrics on a loopback port (Runtime.AdminAddr).
	admin bool
	// beforeRun, when set, is called with the runtime just before it runs.
	beforeRun func(*bot.Runtime)
}

func newHarness(t *testing.T, o harnessOptions) *harness {
	t.Helper()
	h := &harness{t: t, handled: make(chan string, 1024), seen: map[string]bool{}}
	h.clock = o.clock
	if h.clock == nil {
		h.clock = newClock(reference)
	}
	if o.fake == nil {
		if o.fakeOpts.Clock == nil {
			o.fakeOpts.Clock = h.clock.Now
		}
		if o.fakeOpts.WebhookRetryDelay == 0 {
			o.fakeOpts.WebhookRetryDelay = 10 * time.Millisecond
		}
		o.fake = webextest.NewTestServer(t, o.fakeOpts)
	}
	h.fake = o.fake
	if o.db == "" {
		o.db = filepath.Join(t.TempDir(), "relais.db")
	}
	cfg := bot.RuntimeConfig{
		APIURL:           h.fake.APIURL(),
		CatalogURL:       h.fake.CatalogURL(),
		BotToken:         h.fake.BotToken(),
		MeetingsToken:    h.fake.MeetingsToken(),
		DB:               o.db,
		Mode:             o.mode,
		RatePerSecond:    1000,
		PingInterval:     time.Second,
		ReconnectBackoff: webexapi.Backoff{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond},
		Bot:              o.botConfig,
		DeviceName:       o.deviceName,
	}
	if o.meetings != "" {
		cfg.MeetingsToken = o.meetings
	}
	if o.apiURL != "" {
		cfg.APIURL = o.apiURL
	}
	if o.admin {
		cfg.AdminAddr = "127.0.0.1:0"
	}
	if cfg.Bot.PollInterval == 0 {
		cfg.Bot.PollInterval = 20 * time.Millisecond
	}
	if len(cfg.Bot.AllowedDomains) == 0 && !o.orgOnly {
		cfg.Bot.AllowedDomains = []string{"example.com"}
	}
	if o.mode == "webhook" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		cfg.ListenAddr = addr
		cfg.WebhookURL = "http://" + addr + "/webex/events"
		cfg.WebhookSecret = "a-webhook-secret-for-tests"
	}
	if o.tune != nil {
		o.tune(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rt, err := bot.NewRuntime(ctx, cfg, o.log, h.clock.Now)
	require.NoError(t, err)
	rt.Bot.OnHandled = func(id string) { h.handled <- id }
	if o.wrapStore != nil {
		bot.WrapStoreForTest(rt.Bot, o.wrapStore)
	}
	rt.Bot.OnStats = o.onStats
	if o.beforeRun != nil {
		o.beforeRun(rt)
	}
	h.rt, h.cancel, h.done = rt, cancel, make(chan error, 1)
	go func() { h.done <- rt.Run(ctx) }()
	t.Cleanup(h.stop)
	require.Eventually(t, func() bool { return rt.Ready(context.Background()) == nil }, 10*time.Second, 5*time.Millisecond, "bot never ready")
	return h
}

func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		require.NoError(h.t, err)
	case <-time.After(15 * time.Second):
		h.t.Error("runtime did not stop within 15 s")
	}
}

// say posts as a person and waits until the bot has fully handled that message.
func (h *harness) say(req webextest.SayRequest) string {
	h.t.Helper()
	id, err := h.fake.Say(req)
	require.NoError(h.t, err)
	h.waitHandled(id)
	return id
}

func (h *harness) waitHandled(id string) {
	h.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		h.mu.Lock()
		ok := h.seen[id]
		h.mu.Unlock()
		if ok {
			return
		}
		select {
		case got := <-h.handled:
			h.mu.Lock()
			h.seen[got] = true
			h.mu.Unlock()
		case <-deadline:
			h.t.Fatalf("message %s never handled", id)
		}
	}
}

// from says text in alice's 1:1 space and returns the bot's new replies there.
func (h *harness) dm(from, text string) []webextest.Message {
	h.t.Helper()
	before := len(h.fake.BotMessages(from))
	h.say(webextest.SayRequest{From: from, Text: text})
	return h.fake.BotMessages(from)[before:]
}
