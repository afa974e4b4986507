package bot_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// testPostgresEnv names the variable that gives the PostgreSQL tests a database (CI sets it).
const testPostgresEnv = "RELAIS_TEST_POSTGRES"

// postgresSchemaDSN creates a fresh schema in the test database, drops it at cleanup, and returns
// a DSN whose search_path points at it. It skips the test, saying so, without a database.
func postgresSchemaDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv(testPostgresEnv)
	if base == "" {
		t.Skip(testPostgresEnv + " not set: the PostgreSQL replica test is skipped")
	}
	var b [6]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	schema := "bot_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	require.NoError(t, conn.Close(ctx))
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// TestTwoReplicasOnPostgres runs two runtimes on one PostgreSQL database through 200 whole
// flows (50 with -short): one meeting per organizer, one message per designate, every message
// answered once, then one reminder per designate when the reminders come due. The replicas are
// both on the websocket with their own device (every event reaches both), or both in webhook
// mode behind a round-robin load balancer, or on the websocket while the fake answers 20 % of
// the calls 429 and 5 % 503 and cuts the websockets.
func TestTwoReplicasOnPostgres(t *testing.T) {
	if os.Getenv(testPostgresEnv) == "" {
		t.Skip(testPostgresEnv + " not set: the PostgreSQL replica tests are skipped")
	}
	for _, tc := range []struct {
		name   string
		mode   string
		faults bool
	}{
		{"websocket", "websocket", false},
		{"webhook behind a load balancer", "webhook", false},
		{"websocket with faults", "websocket", true},
	} {
		t.Run(tc.name, func(t *testing.T) { twoReplicas(t, tc.mode, tc.faults) })
	}
}

func twoReplicas(t *testing.T, mode string, faults bool) {
	started := time.Now()
	defer func() { t.Logf("wall time %s", time.Since(started).Round(time.Millisecond)) }()
	dsn := postgresSchemaDSN(t)
	n := 200
	if testing.Short() {
		n = 50
	}
	clock := newLoadClock(loadStart(t))
	fake := webextest.NewTestServer(t, webextest.Options{Directory: loadDirectory(n), Clock: clock.Now, WebhookRetryDelay: 10 * time.Millisecond})
	signals := newHandledSignals()
	var drops atomic.Int32
	if faults {
		signals.onEach = func(total int) {
			switch total {
			case n / 4, n / 2, n, 3 * n / 2:
				drops.Add(1)
				go fake.DropWebsockets()
			}
		}
	}
	logs := &lockedLog{}
	defer func() {
		if t.Failed() {
			t.Logf("warnings and errors of the replicas (last 20 kB):\n%s", logs.tail(20<<10))
		}
	}()
	lb := newRoundRobin(t)
	const remindBefore = 30 * time.Minute
	var replicas []*replica
	for _, name := range []string{"a", "b"} {
		cfg := bot.RuntimeConfig{
			DB:         dsn,
			Mode:       mode,
			DeviceName: "relais-" + name,
			Bot:        bot.Config{Owner: "replica-" + name, ReminderBefore: remindBefore},
		}
		if mode == "webhook" {
			cfg.ListenAddr = "127.0.0.1:0"
			cfg.WebhookURL = lb.url + "/webex/events"
			cfg.WebhookSecret = "a-webhook-secret-for-the-replica-tests"
		}
		rlog := zerolog.New(logs).Level(zerolog.WarnLevel).With().Str("replica", name).Logger()
		r := startReplica(t, fake, clock.Now, cfg, signals, rlog)
		lb.add(r.rt.WebhookAddr())
		replicas = append(replicas, r)
	}
	if faults {
		fake.SetFaults(unkind(webextest.Faults{Rate429: 0.2, RetryAfterSeconds: 1, Rate5xx: 0.05}))
	} else {
		fake.SetFaults(unkind(webextest.Faults{}))
	}
	st := replicas[0].rt.Store
	depth := func() int {
		d, err := st.OutboxDepth(context.Background())
		if err != nil {
			return -1
		}
		return d
	}

	// The deadlines follow the events handled and the outbox coming down (progress_test.go).
	ctx, cancel := signals.deadline(context.Background(), stallTimeout)
	defer cancel()
	runFlows(ctx, t, fake, signals, n)
	flowsDone := time.Since(started)

	// Only the reminders are left to do.
	waitProgressing(t, signals, stallTimeout, depth, n, "the outbox never came down to the reminders")
	fake.SetFaults(webextest.Faults{})
	c := countFlows(t, fake, n, 1)
	assert.Equal(t, n, c.meetings, "meetings")
	assert.Zero(t, c.duplicateMeets, "organizers with two meetings")
	assert.Zero(t, c.missingMeets, "organizers without a meeting")
	assert.Zero(t, c.wrongInvitee, "meetings without their designate invited")
	assert.Equal(t, n, c.designateMsgs, "messages to designates")
	assert.Zero(t, c.noHostKey, "designate messages without their meeting's host key")
	assert.Equal(t, n, c.confirmations, "« C'est fait » replies")
	assert.Equal(t, 2*n, c.organizerReplys, "replies to organizers: one per message")
	dupA, dupB := counterValue(replicas[0].rt.Metrics.EventsDuplicate), counterValue(replicas[1].rt.Metrics.EventsDuplicate)
	if mode == "websocket" && !faults {
		// Each message reached both replicas: one handled it, the other dropped it. (Under
		// faults a replica may still be reconnecting, its copies replayed later.)
		assert.GreaterOrEqual(t, dupA+dupB, float64(2*n), "duplicates dropped")
	}
	handledA := counterValue(replicas[0].rt.Metrics.EventsReceived.WithLabelValues(sourceOf(mode))) - dupA
	handledB := counterValue(replicas[1].rt.Metrics.EventsReceived.WithLabelValues(sourceOf(mode))) - dupB
	assert.Positive(t, handledA, "replica a handled no message")
	assert.Positive(t, handledB, "replica b handled no message")

	// Every meeting starts Wednesday 17 June at 11:00; the reminders are due at 10:30.
	loc, err := time.LoadLocation(loadZone)
	require.NoError(t, err)
	clock.Advance(time.Date(2026, 6, 17, 10, 31, 0, 0, loc).Sub(clock.Now()))
	for _, r := range replicas {
		r.rt.Bot.Poke()
	}
	waitProgressing(t, signals, stallTimeout, depth, 0, "the reminders were never all sent")

	meetings := map[string]webextest.SimMeeting{}
	for _, m := range fake.Meetings() {
		meetings[m.Invitees[0].Email] = m
	}
	var wrong []string
	for i := range n {
		dms := fake.BotMessages(designateEmail(i))
		m := meetings[designateEmail(i)]
		if len(dms) != 2 || !strings.Contains(dms[1].Markdown, m.HostKey) || !strings.Contains(dms[1].Markdown, m.WebLink) {
			wrong = append(wrong, fmt.Sprintf("designate %d: %d messages", i, len(dms)))
		}
	}
	assert.Empty(t, wrong, "each designate gets exactly one reminder, with the host key")
	remA, remB := counterValue(replicas[0].rt.Metrics.RemindersSent), counterValue(replicas[1].rt.Metrics.RemindersSent)
	assert.Equal(t, float64(n), remA+remB, "reminders sent")
	t.Logf("%d flows on two replicas (%s) in %s; messages handled by a/b: %v/%v; reminders sent by a/b: %v/%v; websocket cuts: %d",
		n, mode, flowsDone.Round(time.Millisecond), handledA, handledB, remA, remB, drops.Load())
}

func sourceOf(mode string) string {
	if mode == "webhook" {
		return string(webexapi.SourceWebhook)
	}
	return string(webexapi.SourceWebsocket)
}

// roundRobin is a load balancer in front of the replicas' webhook receivers: one public URL,
// each request to the next replica.
type roundRobin struct {
	url   string
	next  atomic.Uint64
	mu    sync.Mutex
	addrs []string
}

func newRoundRobin(t *testing.T) *roundRobin {
	lb := &roundRobin{}
	srv := httptest.NewServer(lb)
	t.Cleanup(srv.Close)
	lb.url = srv.URL
	return lb
}

func (lb *roundRobin) add(addr string) {
	if addr == "" {
		return
	}
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.addrs = append(lb.addrs, addr)
}

func (lb *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lb.mu.Lock()
	addrs := lb.addrs
	lb.mu.Unlock()
	if len(addrs) == 0 {
		http.Error(w, "no replica yet", http.StatusBadGateway)
		return
	}
	addr := addrs[int(lb.next.Add(1)%uint64(len(addrs)))]
	proxy := &httputil.ReverseProxy{
		Rewrite:  func(pr *httputil.ProxyRequest) { pr.SetURL(&url.URL{Scheme: "http", Host: addr}) },
		ErrorLog: log.New(io.Discard, "", 0), // a replica stopping at the end of the test
	}
	proxy.ServeHTTP(w, r)
}

// TestDoubleConfirmationOnTwoReplicas sends « oui » twice in a row to two replicas behind a
// round-robin load balancer (webhook mode, one SQLite database), while Webex takes a second to
// create a meeting, so that both confirmations are handled at the same time: still one meeting
// and one designate message.
func TestDoubleConfirmationOnTwoReplicas(t *testing.T) {
	t.Parallel()
	const org, des = "alex.martin@example.com", "jean.dupont@example.com"
	clock := newLoadClock(loadStart(t))
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clock.Now, WebhookRetryDelay: 10 * time.Millisecond})
	fake.SetFaults(unkind(webextest.Faults{}))
	signals := newHandledSignals()
	db := filepath.Join(t.TempDir(), "relais.db")
	lb := newRoundRobin(t)
	slowCreate := newSlowMeetingCreation(t, fake, time.Second)
	var replicas []*replica
	for _, name := range []string{"a", "b"} {
		cfg := bot.RuntimeConfig{DB: db, Mode: "webhook", ListenAddr: "127.0.0.1:0", APIURL: slowCreate + "/v1",
			WebhookURL: lb.url + "/webex/events", WebhookSecret: "a-webhook-secret-for-the-replica-tests",
			Bot: bot.Config{Owner: "replica-" + name}}
		r := startReplica(t, fake, clock.Now, cfg, signals, zerolog.Nop())
		lb.add(r.rt.WebhookAddr())
		replicas = append(replicas, r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	id, err := fake.Say(webextest.SayRequest{From: org, Text: crashRequest})
	require.NoError(t, err)
	require.NoError(t, signals.until(ctx, id, func() bool { return len(fake.BotMessages(org)) >= 1 }))
	first, err := fake.Say(webextest.SayRequest{From: org, Text: "oui"})
	require.NoError(t, err)
	second, err := fake.Say(webextest.SayRequest{From: org, Text: "oui"})
	require.NoError(t, err)
	for _, id := range []string{first, second} {
		require.NoError(t, signals.until(ctx, id, func() bool { return informed(fake, org) }))
	}
	for _, r := range replicas {
		require.Eventually(t, func() bool {
			d, err := r.rt.Store.OutboxDepth(context.Background())
			return err == nil && d == 0
		}, 30*time.Second, 10*time.Millisecond, "the outbox never drained")
		r.rt.Bot.Wait()
	}
	assert.Len(t, fake.Meetings(), 1, "one confirmation, one meeting")
	assert.Len(t, fake.BotMessages(des), 1, "one designate message")
	t.Logf("organizer's replies:\n%s", allText(fake.BotMessages(org)))
}

// newSlowMeetingCreation is a proxy to the fake that holds every POST /v1/meetings for delay
// (Webex is much slower to create a meeting than to list or read one); it returns its URL.
func newSlowMeetingCreation(t *testing.T, fake *webextest.Server, delay time.Duration) string {
	target, err := url.Parse(fake.URL())
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/meetings" {
			timer := time.NewTimer(delay)
			select {
			case <-timer.C:
			case <-r.Context().Done():
				timer.Stop()
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
