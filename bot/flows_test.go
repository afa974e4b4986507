package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// This file drives many whole scheduling flows at once against in-process runtimes, for the
// fault and replica tests.

const loadZone = "America/Toronto"

// loadClock starts at a fixed instant and moves with real time; Advance jumps it forward. The
// fake and every replica share one, so they agree on "now".
type loadClock struct {
	mu     sync.Mutex
	base   time.Time
	origin time.Time
}

func newLoadClock(at time.Time) *loadClock { return &loadClock{base: at, origin: time.Now()} }

func (c *loadClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.origin))
}

func (c *loadClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = c.base.Add(d)
}

// loadStart is the load tests' "now": Tuesday 16 June 2026, 09:00 in Toronto. Every flow asks
// for « demain à 11 h »: Wednesday 17 June, 11:00 to 12:00.
func loadStart(t *testing.T) time.Time {
	loc, err := time.LoadLocation(loadZone)
	require.NoError(t, err)
	return time.Date(2026, 6, 16, 9, 0, 0, 0, loc)
}

// syllables make unique, pronounceable last names of equal length (no name is a prefix of
// another), so that « Dana Bakemi » resolves to exactly one person.
var syllables = []string{"ba", "ke", "mi", "no", "ru", "si", "to", "la", "pe", "vu"}

func loadWord(i int) string {
	w := syllables[i/100%10] + syllables[i/10%10] + syllables[i%10]
	return strings.ToUpper(w[:1]) + w[1:]
}

func organizerEmail(i int) string { return fmt.Sprintf("orga.%03d@example.com", i) }
func designateEmail(i int) string { return fmt.Sprintf("dana.%03d@example.com", i) }
func designateName(i int) string  { return "Dana " + loadWord(i) }

// loadDirectory is the bot, n organizers and n designates, all in Toronto.
func loadDirectory(n int) []webextest.Person {
	dir := []webextest.Person{{Email: "relais@webex.bot", DisplayName: "Relais", FirstName: "Relais", Timezone: loadZone, Type: "bot"}}
	for i := range n {
		dir = append(dir,
			webextest.Person{Email: organizerEmail(i), DisplayName: "Orga " + loadWord(i), FirstName: "Orga", LastName: loadWord(i), Timezone: loadZone},
			webextest.Person{Email: designateEmail(i), DisplayName: designateName(i), FirstName: "Dana", LastName: loadWord(i), Timezone: loadZone},
		)
	}
	return dir
}

// handledSignals wakes the flow waiting on an event when a replica reports it handled.
type handledSignals struct {
	mu    sync.Mutex
	chans map[string]chan struct{}
	total int
	// onEach, when set, runs after each handled event with the running total (outside the lock).
	onEach func(total int)
}

func newHandledSignals() *handledSignals {
	return &handledSignals{chans: map[string]chan struct{}{}}
}

func (h *handledSignals) chanFor(id string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.chans[id]
	if !ok {
		c = make(chan struct{}, 1)
		h.chans[id] = c
	}
	return c
}

// handled is a replica's Bot.OnHandled.
func (h *handledSignals) handled(id string) {
	c := h.chanFor(id)
	select {
	case c <- struct{}{}:
	default:
	}
	h.mu.Lock()
	h.total++
	n, f := h.total, h.onEach
	h.mu.Unlock()
	if f != nil {
		f(n)
	}
}

// until waits until cond holds, re-checking whenever event id is reported handled (a failed
// attempt is reported too, then retried) and at least every 250 ms.
func (h *handledSignals) until(ctx context.Context, id string, cond func() bool) error {
	c := h.chanFor(id)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-c:
		case <-tick.C:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return nil
}

// replica is one in-process Relais runtime.
type replica struct {
	rt     *bot.Runtime
	cancel context.CancelFunc
	done   chan error
}

// startReplica runs a Runtime against the fake with the given clock and configuration (the
// fake's URLs and tokens are filled in) until the test ends, and waits until it is ready.
func startReplica(t *testing.T, fake *webextest.Server, now func() time.Time, cfg bot.RuntimeConfig, signals *handledSignals, log zerolog.Logger) *replica {
	t.Helper()
	if cfg.APIURL == "" {
		cfg.APIURL = fake.APIURL()
	}
	cfg.CatalogURL = fake.CatalogURL()
	cfg.BotToken, cfg.MeetingsToken = fake.BotToken(), fake.MeetingsToken()
	if cfg.DB == "" {
		cfg.DB = filepath.Join(t.TempDir(), "relais.db")
	}
	if cfg.RatePerSecond == 0 {
		cfg.RatePerSecond = 1000
	}
	if cfg.PingInterval == 0 {
		cfg.PingInterval = time.Second
	}
	if cfg.ReconnectBackoff.Base == 0 {
		cfg.ReconnectBackoff = webexapi.Backoff{Base: 5 * time.Millisecond, Max: 100 * time.Millisecond}
	}
	if cfg.Bot.PollInterval == 0 {
		cfg.Bot.PollInterval = 20 * time.Millisecond
	}
	if len(cfg.Bot.AllowedDomains) == 0 {
		cfg.Bot.AllowedDomains = []string{"example.com"}
	}
	ctx, cancel := context.WithCancel(context.Background())
	rt, err := bot.NewRuntime(ctx, cfg, log, now)
	if err != nil {
		cancel()
		require.NoError(t, err)
	}
	if signals != nil {
		rt.Bot.OnHandled = signals.handled
	}
	r := &replica{rt: rt, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- rt.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	require.Eventually(t, func() bool { return rt.Ready(context.Background()) == nil }, 20*time.Second, 5*time.Millisecond, "replica never ready")
	return r
}

// stop stops the replica gracefully (once).
func (r *replica) stop(t *testing.T) {
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		assert.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Error("replica did not stop within 30 s")
	}
}

// flowRequest is organizer i's request: everything in one sentence, the designate named by
// e-mail (even i) or by their unique name (odd i).
func flowRequest(i int) string {
	who := designateEmail(i)
	if i%2 == 1 {
		who = designateName(i)
	}
	return "programme une rencontre pour " + who + " demain à 11 h"
}

// runFlows runs n whole flows at once (request, then « oui » once the bot asks for the
// confirmation) and returns when every organizer has been told the meeting exists.
func runFlows(ctx context.Context, t *testing.T, fake *webextest.Server, signals *handledSignals, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := runFlow(ctx, fake, signals, i); err != nil {
				errs <- fmt.Errorf("organizer %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []string
	for err := range errs {
		all = append(all, err.Error())
	}
	require.Empty(t, all, "flows that did not finish")
}

func runFlow(ctx context.Context, fake *webextest.Server, signals *handledSignals, i int) error {
	org := organizerEmail(i)
	id, err := fake.Say(webextest.SayRequest{From: org, Text: flowRequest(i)})
	if err != nil {
		return err
	}
	asked := func() bool {
		for _, m := range fake.BotMessages(org) {
			// The summary names the designate (by the address as typed when the directory
			// could not be reached) and asks for « oui ».
			if (strings.Contains(m.Markdown, designateName(i)) || strings.Contains(m.Markdown, designateEmail(i))) &&
				strings.Contains(m.Markdown, "« oui »") {
				return true
			}
		}
		return false
	}
	if err := signals.until(ctx, id, asked); err != nil {
		return fmt.Errorf("never asked to confirm: %w (replies: %q)", err, allText(fake.BotMessages(org)))
	}
	id, err = fake.Say(webextest.SayRequest{From: org, Text: "oui"})
	if err != nil {
		return err
	}
	if err := signals.until(ctx, id, func() bool { return informed(fake, org) }); err != nil {
		return fmt.Errorf("never told the meeting exists: %w (replies: %q)", err, allText(fake.BotMessages(org)))
	}
	return nil
}

// flowCounts is what n flows left in the fake.
type flowCounts struct {
	meetings        int
	duplicateMeets  int // organizers with more than one meeting
	missingMeets    int // organizers with none
	wrongInvitee    int
	designateMsgs   int // messages to designates, all kinds
	noHostKey       int // designates whose first message lacks their meeting's host key
	confirmations   int // « C'est fait » replies to organizers
	organizerReplys int // every reply to organizers
}

// countFlows checks the fake's state after n flows; perDesignate is how many messages each
// designate must have (1, or 2 with a reminder).
func countFlows(t *testing.T, fake *webextest.Server, n, perDesignate int) flowCounts {
	t.Helper()
	var c flowCounts
	meetings := fake.Meetings()
	c.meetings = len(meetings)
	byHost := map[string][]webextest.SimMeeting{}
	for _, m := range meetings {
		byHost[m.HostEmail] = append(byHost[m.HostEmail], m)
	}
	for i := range n {
		org, des := organizerEmail(i), designateEmail(i)
		ms := byHost[org]
		switch {
		case len(ms) == 0:
			c.missingMeets++
		case len(ms) > 1:
			c.duplicateMeets++
		}
		dms := fake.BotMessages(des)
		c.designateMsgs += len(dms)
		if len(ms) > 0 {
			m := ms[0]
			if len(m.Invitees) != 1 || m.Invitees[0].Email != des || !m.EnabledJoinBeforeHost || m.JoinBeforeHostMinutes != 15 {
				c.wrongInvitee++
			}
			if len(dms) == 0 || !strings.Contains(dms[0].Markdown, m.HostKey) || !strings.Contains(dms[0].Markdown, m.WebLink) {
				c.noHostKey++
			}
		}
		if len(dms) != perDesignate {
			t.Logf("designate %d got %d messages, want %d", i, len(dms), perDesignate)
		}
		replies := fake.BotMessages(org)
		c.organizerReplys += len(replies)
		for _, r := range replies {
			if strings.Contains(r.Markdown, "C'est fait") {
				c.confirmations++
			}
		}
	}
	return c
}
