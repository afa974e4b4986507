package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// env is the fake Webex and the bot of one run.
type env struct {
	cfg     Config
	fake    fakeWebex
	proc    *fakeProcess // the fake's process, when it runs in one
	srv     *http.Server
	rt      *bot.Runtime
	cancel  context.CancelFunc
	done    chan error
	tmp     string
	limited atomic.Int64 // 429s answered by the fake-side rate limiter
	conns   atomic.Int64 // TCP connections the fake accepted

	mu      sync.Mutex
	handled map[string]chan struct{}
	times   map[string]time.Time
	stats   []bot.EventStats // every handled event's timings, in handling order

	startup time.Duration
}

func organizerEmail(i int) string { return fmt.Sprintf("org%05d@example.com", i) }
func designateEmail(i int) string { return fmt.Sprintf("des%05d@example.com", i) }

// directory holds the bot, n organizers and n designates.
func directory(n int) []webextest.Person {
	const tz = "America/Toronto"
	people := make([]webextest.Person, 0, 2*n+1)
	people = append(people, webextest.Person{Email: "relais@webex.bot", DisplayName: "Relais", FirstName: "Relais", Timezone: tz, Type: "bot"})
	for i := range n {
		people = append(people,
			webextest.Person{Email: organizerEmail(i), DisplayName: fmt.Sprintf("Organisatrice %05d", i), FirstName: "Organisatrice", LastName: fmt.Sprintf("%05d", i), Timezone: tz},
			webextest.Person{Email: designateEmail(i), DisplayName: fmt.Sprintf("Désignée %05d", i), FirstName: "Désignée", LastName: fmt.Sprintf("%05d", i), Timezone: tz})
	}
	return people
}

// start serves the fake on a loopback port and starts the bot on its websocket; it returns
// once the bot is ready. The fake injects no latency yet: start-up is measured without the
// network.
func start(ctx context.Context, cfg Config) (*env, error) {
	e := &env{cfg: cfg, handled: map[string]chan struct{}{}, times: map[string]time.Time{}}
	var err error
	e.tmp, err = os.MkdirTemp("", "relais-loadtest-")
	if err != nil {
		return nil, err
	}
	people := directory(cfg.Flows + cfg.Dialogues)
	if len(cfg.FakeCommand) > 0 {
		if cfg.FakeRateLimit > 0 {
			e.close()
			return nil, errors.New("the fake-side rate limiter needs the in-process fake")
		}
		e.proc, err = startFakeProcess(ctx, cfg.FakeCommand, e.tmp, people)
		if err != nil {
			e.close()
			return nil, err
		}
		e.fake = e.proc
	} else {
		inproc := webextest.New(webextest.Options{Directory: people})
		e.fake = inproc
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			e.close()
			return nil, fmt.Errorf("listen: %w", err)
		}
		var h http.Handler = inproc.Handler()
		if cfg.FakeRateLimit > 0 {
			h = e.limit(h, cfg.FakeRateLimit)
		}
		e.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				e.conns.Add(1)
			}
		}}
		go func() { _ = e.srv.Serve(ln) }()
		inproc.SetURL("http://" + ln.Addr().String())
	}

	db := cfg.DB
	if db == "" {
		db = filepath.Join(e.tmp, "relais.db")
	}
	rcfg := bot.RuntimeConfig{
		APIURL:        e.fake.APIURL(),
		CatalogURL:    e.fake.CatalogURL(),
		BotToken:      e.fake.BotToken(),
		MeetingsToken: e.fake.MeetingsToken(),
		DB:            db,
		RatePerSecond: cfg.BotRate,
		// Everything else at the defaults of relais run (one meeting per organizer stays far
		// below the per-organizer hourly cap).
		Bot: bot.Config{AllowedDomains: []string{"example.com"}, Workers: cfg.Workers},
	}
	if cfg.Mode == "webhook" {
		// The fake posts signed webhooks to the bot's receiver on a loopback port.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			e.close()
			return nil, fmt.Errorf("listen: %w", err)
		}
		addr := ln.Addr().String()
		if err := ln.Close(); err != nil {
			e.close()
			return nil, fmt.Errorf("listen: %w", err)
		}
		rcfg.Mode, rcfg.ListenAddr = "webhook", addr
		rcfg.WebhookURL = "http://" + addr + "/webex/events"
		rcfg.WebhookSecret = "relais-loadtest-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e.cancel = cancel
	began := time.Now()
	e.rt, err = bot.NewRuntime(rctx, rcfg, cfg.Log, nil)
	if err != nil {
		e.close()
		return nil, fmt.Errorf("start the bot: %w", err)
	}
	e.rt.Bot.OnHandled = e.onHandled
	e.rt.Bot.OnStats = e.onStats
	e.done = make(chan error, 1)
	go func() { e.done <- e.rt.Run(rctx) }()
	if err := e.waitReady(ctx, 30*time.Second); err != nil {
		e.close()
		return nil, err
	}
	e.startup = time.Since(began)
	e.fake.SetFaults(webextest.Faults{
		LatencyMs:         int(cfg.Latency / time.Millisecond),
		Rate429:           cfg.Rate429,
		RetryAfterSeconds: int((cfg.RetryAfter + time.Second - 1) / time.Second),
	})
	return e, nil
}

func (e *env) waitReady(ctx context.Context, timeout time.Duration) error {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for e.rt.Ready(ctx) != nil {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return errors.New("the bot did not connect to the fake Webex in time")
		case err := <-e.done:
			return fmt.Errorf("the bot stopped: %w", err)
		case <-tick.C:
		}
	}
	return nil
}

// limit answers 429 with Retry-After: 1 to the /v1/ calls of a token beyond perSecond: like
// Webex, it limits each access token on its own (the bot's and the meetings credential's).
func (e *env) limit(next http.Handler, perSecond float64) http.Handler {
	var mu sync.Mutex
	limiters := map[string]*rate.Limiter{}
	allow := func(token string) bool {
		mu.Lock()
		defer mu.Unlock()
		l := limiters[token]
		if l == nil {
			l = rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond)))
			limiters[token] = l
		}
		return l.Allow()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/") && !allow(r.Header.Get("Authorization")) {
			e.limited.Add(1)
			w.Header().Set("Retry-After", strconv.Itoa(1))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"message":"Too Many Requests","trackingId":"LOADTEST_LIMITER"}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (e *env) onStats(s bot.EventStats) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats = append(e.stats, s)
}

// statsSince returns the timings of the events handled after the first n.
func (e *env) statsSince(n int) []bot.EventStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.stats[min(n, len(e.stats)):])
}

func (e *env) statsCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.stats)
}

func (e *env) onHandled(id string) {
	now := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, seen := e.times[id]; !seen {
		e.times[id] = now
	}
	ch, ok := e.handled[id]
	if !ok {
		ch = make(chan struct{})
		e.handled[id] = ch
	}
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// say posts text as from and waits until the bot has handled it; it returns when it was
// handled (the first time).
func (e *env) say(ctx context.Context, from, text string) (time.Time, error) {
	id, err := e.fake.Say(webextest.SayRequest{From: from, Text: text})
	if err != nil {
		return time.Time{}, err
	}
	e.mu.Lock()
	ch, ok := e.handled[id]
	if !ok {
		ch = make(chan struct{})
		e.handled[id] = ch
	}
	e.mu.Unlock()
	t := time.NewTimer(e.cfg.Timeout)
	defer t.Stop()
	select {
	case <-ch:
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	case <-t.C:
		return time.Time{}, fmt.Errorf("message %q of %s not handled within %s", text, from, e.cfg.Timeout)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	at := e.times[id]
	delete(e.times, id)
	delete(e.handled, id)
	return at, nil
}

func (e *env) close() {
	if e.cancel != nil {
		e.cancel()
		if e.done != nil {
			select {
			case <-e.done:
			case <-time.After(15 * time.Second):
			}
		}
	}
	if e.srv != nil {
		_ = e.srv.Close()
	}
	if e.fake != nil {
		e.fake.Close()
	}

	if e.tmp != "" {
		_ = os.RemoveAll(e.tmp)
	}
}

// fakeCPU is the CPU time of the fake's own process (0 when it runs in this one).
func (e *env) fakeCPU() time.Duration {
	if e.proc == nil {
		return 0
	}
	return e.proc.CPU()
}
