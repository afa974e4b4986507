package bot_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestManyOrganizersUnderFaults runs 200 whole flows at once (50 with -short) while the fake
// answers 20 % of the calls 429 (Retry-After: 1) and 5 % 503, and cuts the websocket several
// times: every organizer gets one meeting, every designate one message with the host key,
// nothing is lost, nothing is done twice.
func TestManyOrganizersUnderFaults(t *testing.T) {
	// Not parallel: it loads the machine on its own, and its wall time is reported.
	started := time.Now()
	defer func() { t.Logf("wall time %s", time.Since(started).Round(time.Millisecond)) }()
	n := 200
	if testing.Short() {
		n = 50
	}
	clock := newLoadClock(loadStart(t))
	fake := webextest.NewTestServer(t, webextest.Options{Directory: loadDirectory(n), Clock: clock.Now, Seed: 6})

	// Cut every websocket at a few points of progress (handled events), from the side.
	var dropping sync.WaitGroup
	signals := newHandledSignals()
	signals.onEach = func(total int) {
		switch total {
		case n / 4, n / 2, n, 3 * n / 2:
			dropping.Add(1)
			go func() {
				defer dropping.Done()
				fake.DropWebsockets()
			}()
		}
	}
	logs := &lockedLog{}
	r := startReplica(t, fake, clock.Now, bot.RuntimeConfig{}, signals, zerolog.New(logs).Level(zerolog.WarnLevel))
	defer func() {
		if t.Failed() {
			t.Logf("warnings and errors of the bot (last 20 kB):\n%s", logs.tail(20<<10))
		}
	}()
	fake.SetFaults(unkind(webextest.Faults{Rate429: 0.2, RetryAfterSeconds: 1, Rate5xx: 0.05}))

	// The deadlines follow the events handled and the outbox coming down (progress_test.go).
	ctx, cancel := signals.deadline(context.Background(), stallTimeout)
	defer cancel()
	runFlows(ctx, t, fake, signals, n)
	flowsDone := time.Since(started)

	// Every send finished: no pending event, designate message or notice.
	waitProgressing(t, signals, stallTimeout, func() int {
		d, err := r.rt.Store.OutboxDepth(context.Background())
		if err != nil {
			return -1
		}
		return d
	}, 0, "the outbox never drained")
	dropping.Wait()
	fake.SetFaults(webextest.Faults{})

	c := countFlows(t, fake, n, 1)
	assert.Equal(t, n, c.meetings, "meetings")
	assert.Zero(t, c.duplicateMeets, "organizers with two meetings")
	assert.Zero(t, c.missingMeets, "organizers without a meeting")
	assert.Zero(t, c.wrongInvitee, "meetings without their designate invited, or without join-before-host 15 min")
	assert.Equal(t, n, c.designateMsgs, "messages to designates")
	assert.Zero(t, c.noHostKey, "designate messages without their meeting's host key and link")
	assert.Equal(t, n, c.confirmations, "« C'est fait » replies")
	// Two turns, one reply each. A reply may be repeated only when an event is re-handled after
	// a failure half-way; with faults injected before Webex acts, that must not happen.
	assert.Equal(t, 2*n, c.organizerReplys, "replies to organizers")

	// The cuts counted by the fake (a cut of no open websocket does not count), and the
	// connections it accepted after them.
	ws := fake.WebsocketCounts()
	assert.GreaterOrEqual(t, ws.Cut, 3, "websockets the fake cut")
	connected := func() float64 {
		return counterValue(r.rt.Metrics.WebsocketEvents.WithLabelValues(string(webexapi.StateConnected)))
	}
	// The last cut may be recent: the reconnection follows.
	assert.Eventually(t, func() bool {
		return fake.WebsocketCounts().Opened >= ws.Cut+1 && connected() >= float64(ws.Cut+1)
	}, 10*time.Second, 10*time.Millisecond, "the bot reconnected after each cut (the fake accepted %d websockets, the bot connected %v times, %d cuts)",
		fake.WebsocketCounts().Opened, connected(), ws.Cut)
	reconnects := connected()
	counts := fake.CallCounts()
	calls := 0
	for _, v := range counts {
		calls += v
	}
	t.Logf("%d flows in %s, %d websocket cuts, %v connections, %d REST calls (faulted ones included), duplicate events dropped: %v",
		n, flowsDone.Round(time.Millisecond), ws.Cut, reconnects, calls, counterValue(r.rt.Metrics.EventsDuplicate))
}

// TestRedeliveredEventsHandledOnce delivers each message of a flow three times (the websocket,
// then twice as webhook retries would, concurrently): one answer per message, one meeting, one
// designate message.
func TestRedeliveredEventsHandledOnce(t *testing.T) {
	t.Parallel()
	const org, des = "alex.martin@example.com", "jean.dupont@example.com"
	clock := newLoadClock(loadStart(t))
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clock.Now})
	signals := newHandledSignals()
	r := startReplica(t, fake, clock.Now, bot.RuntimeConfig{}, signals, zerolog.Nop())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	redeliver := func(id string) {
		t.Helper()
		msg, err := r.rt.Webex.Messages.Get(ctx, id)
		require.NoError(t, err)
		ev := webexapi.Event{Kind: webexapi.EventMessageCreated, Source: webexapi.SourceWebhook, ID: id,
			RoomID: msg.RoomID, RoomType: msg.RoomType, PersonID: msg.PersonID, PersonEmail: msg.PersonEmail}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.rt.Bot.Submit(ctx, ev)
			}()
		}
		wg.Wait()
	}
	dupBefore := counterValue(r.rt.Metrics.EventsDuplicate)

	id, err := fake.Say(webextest.SayRequest{From: org, Text: crashRequest})
	require.NoError(t, err)
	redeliver(id)
	require.NoError(t, signals.until(ctx, id, func() bool { return len(fake.BotMessages(org)) >= 1 }))

	id, err = fake.Say(webextest.SayRequest{From: org, Text: "oui"})
	require.NoError(t, err)
	redeliver(id)
	require.NoError(t, signals.until(ctx, id, func() bool { return informed(fake, org) }))
	r.rt.Bot.Wait()
	require.Eventually(t, func() bool {
		d, err := r.rt.Store.OutboxDepth(context.Background())
		return err == nil && d == 0
	}, 30*time.Second, 10*time.Millisecond, "the outbox never drained")

	// Each message reached the bot three times; two of them were dropped as duplicates. The
	// websocket's copy may still be on its way (its lookup runs apart from the redeliveries):
	// wait for it, then no more than the two copies of each may have been counted.
	require.Eventually(t, func() bool { return counterValue(r.rt.Metrics.EventsDuplicate)-dupBefore >= 4 },
		30*time.Second, 5*time.Millisecond, "the websocket's copies were never dropped as duplicates")
	assert.Equal(t, 4.0, counterValue(r.rt.Metrics.EventsDuplicate)-dupBefore, "duplicates dropped")
	replies := fake.BotMessages(org)
	require.Len(t, replies, 2, "one answer per message:\n%s", allText(replies))
	require.Len(t, fake.Meetings(), 1)
	require.Len(t, fake.BotMessages(des), 1)
}

// lockedLog collects log lines from many goroutines.
type lockedLog struct {
	mu  sync.Mutex
	buf []byte
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	return len(p), nil
}

func (l *lockedLog) tail(max int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) > max {
		return string(l.buf[len(l.buf)-max:])
	}
	return string(l.buf)
}

// counterValue reads a Prometheus counter.
func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

// TestSlowEventHandledOnce makes every Webex call slow, so that handling one message takes
// longer than the job lease: the outbox poller must not take the message over and handle it a
// second time while (or after) the first handling runs. Two replicas share the database, so a
// takeover would run concurrently on the other replica.
func TestSlowEventHandledOnce(t *testing.T) {
	t.Parallel()
	const org, des = "alex.martin@example.com", "jean.dupont@example.com"
	clock := newLoadClock(loadStart(t))
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clock.Now})
	signals := newHandledSignals()
	db := filepath.Join(t.TempDir(), "relais.db")
	var replicas []*replica
	for _, name := range []string{"a", "b"} {
		cfg := bot.RuntimeConfig{DB: db, DeviceName: "relais-" + name,
			Bot: bot.Config{Owner: "replica-" + name, Lease: time.Second, ReminderBefore: 30 * time.Minute}}
		replicas = append(replicas, startReplica(t, fake, clock.Now, cfg, signals, zerolog.Nop()))
	}
	// About four calls per message: well over the one-second lease.
	fake.SetFaults(unkind(webextest.Faults{LatencyMs: 500}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	id, err := fake.Say(webextest.SayRequest{From: org, Text: crashRequest})
	require.NoError(t, err)
	require.NoError(t, signals.until(ctx, id, func() bool { return len(fake.BotMessages(org)) >= 1 }))
	id, err = fake.Say(webextest.SayRequest{From: org, Text: "oui"})
	require.NoError(t, err)
	require.NoError(t, signals.until(ctx, id, func() bool { return informed(fake, org) }))
	drained := func(want int) func() bool {
		return func() bool {
			d, err := replicas[0].rt.Store.OutboxDepth(context.Background())
			return err == nil && d == want
		}
	}
	require.Eventually(t, drained(1), 30*time.Second, 10*time.Millisecond, "only the reminder should be left")

	replies := fake.BotMessages(org)
	assert.Len(t, replies, 2, "one answer per message:\n%s", allText(replies))
	assert.Len(t, fake.Meetings(), 1, "one meeting")
	assert.Len(t, fake.BotMessages(des), 1, "one designate message")

	// The reminder (due at 10:30 the next day) is slow to send too: sent once all the same.
	loc, err := time.LoadLocation(loadZone)
	require.NoError(t, err)
	fake.SetFaults(unkind(webextest.Faults{LatencyMs: 1200})) // two calls: over twice the lease
	clock.Advance(time.Date(2026, 6, 17, 10, 31, 0, 0, loc).Sub(clock.Now()))
	require.Eventually(t, drained(0), 30*time.Second, 10*time.Millisecond, "the reminder was never sent")
	for _, r := range replicas {
		r.rt.Bot.Wait()
	}
	assert.Len(t, fake.BotMessages(des), 2, "the designate message and one reminder")
}
