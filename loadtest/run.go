package loadtest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// request is the organizer's first message: everything in one sentence, the designate by
// e-mail, so that the dialogue goes straight to the summary.
func request(i int) string {
	return fmt.Sprintf("programme une rencontre « Point %05d » pour %s demain à 14h pendant 30 minutes", i, designateEmail(i))
}

const confirm = "oui"

// flowResult is what the driver saw of one flow.
type flowResult struct {
	err      error
	total    time.Duration // request sent → « oui » handled
	request  time.Duration // request sent → handled
	confirm  time.Duration // « oui » sent → handled
	finished bool
}

// Run starts the fake and the bot, drives cfg.Flows flows, checks their outcome in the fake,
// optionally opens cfg.Dialogues waiting dialogues, and reports.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg = cfg.withDefaults()
	e, err := start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer e.close()
	rep := &Report{Config: cfg, Startup: e.startup}
	rep.MemStart = measureMemory()

	countsBefore := e.fake.CallCounts()
	connsBefore := e.conns.Load()
	cpuBefore, fakeBefore := processCPU(), e.fakeCPU()
	statsBefore := e.statsCount()
	began := time.Now()
	results := e.drive(ctx, cfg.Flows, cfg.Concurrency)
	rep.Wall = time.Since(began)
	rep.botOverhead(e.statsSince(statsBefore))
	rep.CPU = processCPU() - cpuBefore
	rep.FakeCPU = e.fakeCPU() - fakeBefore
	countsAfter := e.fake.CallCounts()
	rep.MemAfterFlows = measureMemory()
	rep.Limited = e.limited.Load()
	rep.Connections = e.conns.Load() - connsBefore

	rep.Calls = map[string]int{}
	for k, v := range countsAfter {
		if d := v - countsBefore[k]; d > 0 {
			rep.Calls[k] = d
		}
	}
	rep.StartupCalls = countsBefore
	rep.collect(results)
	rep.check(e.fake, cfg.Flows)

	if cfg.Dialogues > 0 {
		if err := rep.dialogues(ctx, e, cfg); err != nil {
			return rep, err
		}
	}
	if e.proc != nil {
		if err := e.proc.Err(); err != nil {
			return rep, err
		}
	}
	if cfg.HeapProfile != "" {
		if err := writeHeapProfile(cfg.HeapProfile); err != nil {
			return rep, fmt.Errorf("heap profile: %w", err)
		}
	}
	return rep, nil
}

// drive runs n flows, at most concurrency at once.
func (e *env) drive(ctx context.Context, n, concurrency int) []flowResult {
	results := make([]flowResult, n)
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = e.flow(ctx, i)
		}()
	}
	wg.Wait()
	return results
}

func (e *env) flow(ctx context.Context, i int) flowResult {
	org := organizerEmail(i)
	t0 := time.Now()
	t1, err := e.say(ctx, org, request(i))
	if err != nil {
		return flowResult{err: fmt.Errorf("flow %d request: %w", i, err)}
	}
	t2 := time.Now()
	t3, err := e.say(ctx, org, confirm)
	if err != nil {
		return flowResult{err: fmt.Errorf("flow %d confirmation: %w", i, err)}
	}
	return flowResult{finished: true, total: t3.Sub(t0), request: t1.Sub(t0), confirm: t3.Sub(t2)}
}

// check counts, in the fake, what each flow produced: one meeting with the designate invited,
// one 1:1 message to the designate, one reply per organizer message.
func (r *Report) check(fake fakeWebex, n int) {
	byHost := map[string][]webextest.SimMeeting{}
	for _, m := range fake.Meetings() {
		byHost[strings.ToLower(m.HostEmail)] = append(byHost[strings.ToLower(m.HostEmail)], m)
	}
	for i := range n {
		org, des := organizerEmail(i), designateEmail(i)
		ms := byHost[org]
		dms := fake.BotMessages(des)
		replies := fake.BotMessages(org)
		ok := true
		switch {
		case len(ms) == 0:
			r.problem(i, "no meeting")
			ok = false
		case len(ms) > 1:
			r.DuplicateMeetings += len(ms) - 1
			ok = false
		case len(ms[0].Invitees) != 1 || !strings.EqualFold(ms[0].Invitees[0].Email, des):
			r.problem(i, "the designate is not the meeting's invitee")
			ok = false
		case !ms[0].EnabledJoinBeforeHost || ms[0].JoinBeforeHostMinutes != 15:
			r.problem(i, "join before host is not 15 minutes")
			ok = false
		}
		switch {
		case len(dms) == 0:
			r.problem(i, "the designate got no message")
			ok = false
		case len(dms) > 1:
			r.DuplicateDesignate += len(dms) - 1
			ok = false
		case len(ms) == 1 && !strings.Contains(dms[0].Markdown, ms[0].HostKey):
			r.problem(i, "the designate's message lacks the host key")
			ok = false
		}
		switch {
		case len(replies) < 2:
			r.problem(i, fmt.Sprintf("the organizer got %d replies to 2 messages", len(replies)))
			ok = false
		case len(replies) > 2:
			r.DuplicateReplies += len(replies) - 2
			ok = false
		}
		if ok {
			r.Verified++
		}
	}
}

func (r *Report) problem(i int, what string) {
	r.Problems++
	if len(r.Examples) < 5 {
		r.Examples = append(r.Examples, fmt.Sprintf("flow %d: %s", i, what))
	}
}

// collect turns the flows' timings into the report's figures.
func (r *Report) collect(results []flowResult) {
	var total, events []time.Duration
	for _, fr := range results {
		if !fr.finished {
			r.Errors++
			if len(r.Examples) < 5 {
				r.Examples = append(r.Examples, fr.err.Error())
			}
			continue
		}
		r.Completed++
		total = append(total, fr.total)
		events = append(events, fr.request, fr.confirm)
	}
	r.Events = 2 * r.Completed
	slices.Sort(total)
	slices.Sort(events)
	r.FlowP50, r.FlowP99, r.FlowMax = quantile(total, 0.50), quantile(total, 0.99), quantile(total, 1)
	webex := CriticalCallsPerEvent * r.Config.Latency
	r.OverheadP50 = max(0, quantile(events, 0.50)-webex)
	r.OverheadP99 = max(0, quantile(events, 0.99)-webex)
}

// botOverhead summarizes the bot's own timings of the events handled during the flows.
func (r *Report) botOverhead(stats []bot.EventStats) {
	own := make([]time.Duration, 0, len(stats))
	webex := make([]time.Duration, 0, len(stats))
	for _, s := range stats {
		own = append(own, s.Overhead)
		webex = append(webex, s.Webex)
	}
	slices.Sort(own)
	slices.Sort(webex)
	r.BotOverheadP50, r.BotOverheadP99, r.BotOverheadMax = quantile(own, 0.50), quantile(own, 0.99), quantile(own, 1)
	r.WebexPerEventP50 = quantile(webex, 0.50)
}

// dialogues opens cfg.Dialogues dialogues left at the summary and measures what they hold.
// They run without injected latency: memory does not depend on it.
func (r *Report) dialogues(ctx context.Context, e *env, cfg Config) error {
	e.fake.SetFaults(webextest.Faults{})
	before := measureMemory()
	results := make([]error, cfg.Dialogues)
	sem := make(chan struct{}, min(cfg.Dialogues, 64))
	var wg sync.WaitGroup
	for j := range cfg.Dialogues {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			i := cfg.Flows + j
			_, results[j] = e.say(ctx, organizerEmail(i), request(i))
		}()
	}
	wg.Wait()
	after := measureMemory()
	for _, err := range results {
		if err != nil {
			return fmt.Errorf("open dialogues: %w", err)
		}
	}
	r.DialoguesOpened = cfg.Dialogues
	r.MemBeforeDialogues, r.MemAfterDialogues = before, after
	return nil
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func sortedKeys(m map[string]int) []string {
	return slices.Sorted(maps.Keys(m))
}
