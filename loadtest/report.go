package loadtest

import (
	"fmt"
	"io"
	"time"
)

// Report is what one run measured.
type Report struct {
	Config Config

	// Startup is NewRuntime until Ready (store opened and migrated, identity fetched, device
	// registered, websocket connected), against the fake without injected latency.
	Startup      time.Duration
	StartupCalls map[string]int

	Completed int // flows whose two messages were handled
	Errors    int // flows that did not finish (a message never handled)
	Verified  int // finished flows whose outcome in the fake is exactly right
	Problems  int // wrong outcomes other than duplicates
	Examples  []string

	DuplicateMeetings  int // meetings beyond one per flow
	DuplicateDesignate int // designate messages beyond one per flow
	DuplicateReplies   int // organizer replies beyond one per message

	Wall                      time.Duration
	FlowP50, FlowP99, FlowMax time.Duration
	// OverheadP50/P99: one event's time from the post to handled, minus the injected latency of
	// the /v1/ round trips it cannot avoid: the bot's overhead, websocket hop, the fake's own
	// work and any queueing included.
	OverheadP50, OverheadP99 time.Duration
	// BotOverhead*: the bot's own time per event, as the bot measures it (bot.EventStats): from
	// the event's hand-over by the websocket listener to handled, minus the time spent in Webex
	// calls. Queueing for the CPU and the workers is in it; the Webex round trips are not.
	BotOverheadP50, BotOverheadP99, BotOverheadMax time.Duration
	WebexPerEventP50                               time.Duration

	Calls   map[string]int // /v1/ calls during the flows, by endpoint
	Limited int64          // 429s answered by the fake-side rate limiter
	// Connections is how many TCP connections the bot opened to the fake during the flows (the
	// fake speaks HTTP/1.1 without TLS; Webex speaks HTTP/2 over TLS).
	Connections int64

	Events int
	CPU    time.Duration // process CPU during the flows (bot, driver, and the fake when in-process)
	// FakeCPU is the fake's process CPU during the flows, when it runs in a process of its own.
	FakeCPU time.Duration

	MemStart, MemAfterFlows               memory
	DialoguesOpened                       int
	MemBeforeDialogues, MemAfterDialogues memory
}

// CriticalPath is the flow's unavoidable Webex time at the run's latency.
func (r *Report) CriticalPath() time.Duration { return CriticalPath(r.Config.Latency) }

// CallsPerFlow is the /v1/ calls per completed flow, all endpoints together.
func (r *Report) CallsPerFlow() float64 {
	if r.Completed == 0 {
		return 0
	}
	n := 0
	for _, v := range r.Calls {
		n += v
	}
	return float64(n) / float64(r.Completed)
}

// CPUPerEvent is the process CPU per handled event.
func (r *Report) CPUPerEvent() time.Duration {
	if r.Events == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Events)
}

// BytesPerDialogue is the growth of the resident set and of the live Go heap per open dialogue.
func (r *Report) BytesPerDialogue() (rss, heap float64) {
	if r.DialoguesOpened == 0 {
		return 0, 0
	}
	n := float64(r.DialoguesOpened)
	return (float64(r.MemAfterDialogues.RSS) - float64(r.MemBeforeDialogues.RSS)) / n,
		(float64(r.MemAfterDialogues.HeapInUse) - float64(r.MemBeforeDialogues.HeapInUse)) / n
}

func ratio(d, of time.Duration) string {
	if of <= 0 {
		return "n/a (no latency)"
	}
	return fmt.Sprintf("%.2f", float64(d)/float64(of))
}

func mb(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// Write prints the report for people.
func (r *Report) Write(w io.Writer) {
	c := r.Config
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	where := "fake Webex and bot in one process"
	if len(c.FakeCommand) > 0 {
		where = "fake Webex in its own process"
	}
	p("relais loadtest — %s, %s path, %s", where, c.Mode, dbName(c.DB))
	p("  flows %d, concurrency %d, latency %s per /v1/ call, rate429 %.2f, fake rate limit %s, bot rate %.0f/s, workers %d",
		c.Flows, c.Concurrency, c.Latency, c.Rate429, perSecond(c.FakeRateLimit), c.BotRate, c.Workers)
	p("")
	p("start-up to ready        %s (no injected latency; /v1/ calls: %d)", r.Startup.Round(time.Millisecond), total(r.StartupCalls))
	p("flows completed          %d / %d, errors %d, outcome verified %d, wrong outcomes %d", r.Completed, c.Flows, r.Errors, r.Verified, r.Problems)
	p("duplicates               meetings %d, designate messages %d, organizer replies %d", r.DuplicateMeetings, r.DuplicateDesignate, r.DuplicateReplies)
	for _, ex := range r.Examples {
		p("  e.g. %s", ex)
	}
	p("wall time                %s (%.1f flows/s)", r.Wall.Round(time.Millisecond), float64(r.Completed)/r.Wall.Seconds())
	cp := r.CriticalPath()
	p("critical path            %d round trips × %s = %s", CriticalCalls, c.Latency, cp)
	p("flow time p50            %s (ratio %s)", r.FlowP50.Round(time.Millisecond), ratio(r.FlowP50, cp))
	p("flow time p99            %s (ratio %s)", r.FlowP99.Round(time.Millisecond), ratio(r.FlowP99, cp))
	p("flow time max            %s (ratio %s)", r.FlowMax.Round(time.Millisecond), ratio(r.FlowMax, cp))
	p("event time − latency     p50 %s, p99 %s (post to handled, minus %d × latency: websocket hop, fake and queueing included)", r.OverheadP50.Round(10*time.Microsecond), r.OverheadP99.Round(10*time.Microsecond), CriticalCallsPerEvent)
	p("bot overhead per event   p50 %s, p99 %s, max %s (the bot's own time: arrival to handled minus its Webex calls, p50 %s)",
		r.BotOverheadP50.Round(time.Microsecond), r.BotOverheadP99.Round(time.Microsecond), r.BotOverheadMax.Round(time.Microsecond), r.WebexPerEventP50.Round(time.Millisecond))
	p("")
	p("Webex /v1/ calls per flow %.2f (minimum %d)", r.CallsPerFlow(), minimumTotal())
	for _, k := range sortedKeys(union(r.Calls, MinimumCalls)) {
		per := 0.0
		if r.Completed > 0 {
			per = float64(r.Calls[k]) / float64(r.Completed)
		}
		mark := ""
		if per > float64(MinimumCalls[k])+0.005 {
			mark = "  ← above the minimum"
		}
		p("  %-28s %6.2f  (minimum %d)%s", k, per, MinimumCalls[k], mark)
	}
	if len(c.FakeCommand) == 0 {
		p("  TCP connections opened to the fake during the flows: %d", r.Connections)
	}
	if c.FakeRateLimit > 0 || c.Rate429 > 0 {
		p("  429 answered: by the rate limiter %d (calls above include the injected 429s)", r.Limited)
	}
	p("")
	if len(c.FakeCommand) > 0 {
		p("CPU per handled event    %s (bot process CPU %s over %d events; the fake's process used %s more)", r.CPUPerEvent().Round(time.Microsecond), r.CPU.Round(time.Millisecond), r.Events, r.FakeCPU.Round(time.Millisecond))
	} else {
		p("CPU per handled event    %s (process CPU %s over %d events; fake included)", r.CPUPerEvent().Round(time.Microsecond), r.CPU.Round(time.Millisecond), r.Events)
	}
	p("resident memory          %s at start, %s after the flows (Go heap %s → %s)", mb(r.MemStart.RSS), mb(r.MemAfterFlows.RSS), mb(r.MemStart.HeapInUse), mb(r.MemAfterFlows.HeapInUse))
	if r.DialoguesOpened > 0 {
		rss, heap := r.BytesPerDialogue()
		p("open dialogues           %d: resident %s → %s, Go heap %s → %s", r.DialoguesOpened, mb(r.MemBeforeDialogues.RSS), mb(r.MemAfterDialogues.RSS),
			mb(r.MemBeforeDialogues.HeapInUse), mb(r.MemAfterDialogues.HeapInUse))
		incl := " (fake's messages and rooms included)"
		if len(c.FakeCommand) > 0 {
			incl = " (the bot's alone)"
		}
		p("memory per dialogue      %.1f KB resident, %.1f KB Go heap%s", rss/1024, heap/1024, incl)
	}
}

func dbName(db string) string {
	if db == "" {
		return "SQLite in a temporary directory"
	}
	if len(db) > 11 && db[:11] == "postgres://" {
		return "PostgreSQL"
	}
	return "SQLite " + db
}

func perSecond(v float64) string {
	if v <= 0 {
		return "none"
	}
	return fmt.Sprintf("%.0f/s", v)
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func union(a, b map[string]int) map[string]int {
	out := map[string]int{}
	for k := range a {
		out[k] = 0
	}
	for k := range b {
		out[k] = 0
	}
	return out
}
