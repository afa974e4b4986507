// Package loadtest drives many organizers concurrently through whole Relais flows — the request
// in one sentence, the summary, « oui », the meeting and the designate's 1:1 message — against
// an in-process fake Webex, over the real websocket path, and measures what it costs: flow
// times against the critical path, Webex calls per flow against the minimum, CPU per event,
// resident memory and memory per open dialogue.
//
// The fake runs in the same process as the bot by default: process CPU and memory figures then
// include the fake's own work and are upper bounds for the bot. Config.FakeCommand runs it in a
// process of its own instead (see BENCHMARKS.md).
package loadtest

import (
	"time"

	"github.com/rs/zerolog"
)

// Config is one load run. The zero value is a small run without latency; relais loadtest sets
// the documented defaults (1,000 flows, 50 ms).
type Config struct {
	// Flows is how many organizers go through a whole flow (default 1).
	Flows int
	// Concurrency is how many flows are in flight at once (default Flows: all at once).
	Concurrency int
	// Latency is added by the fake to every /v1/ REST call.
	Latency time.Duration
	// Rate429 is the share (0..1) of /v1/ calls the fake answers 429 with RetryAfter.
	Rate429 float64
	// RetryAfter is the Retry-After of injected 429s, whole seconds (default 1 s).
	RetryAfter time.Duration
	// FakeRateLimit, when positive, makes the fake accept at most that many /v1/ calls per
	// second and per access token (a token bucket with a one-second burst), and answer 429 with
	// Retry-After: 1 beyond.
	FakeRateLimit float64
	// BotRate is the bot's per-token call rate, RuntimeConfig.RatePerSecond (default 10,000:
	// effectively unlimited, so that the run measures the bot, not its politeness).
	BotRate float64
	// Workers is bot.Config.Workers, the conversations handled at once (default
	// max(64, Concurrency)).
	Workers int
	// Mode is how the bot receives events: "websocket" (default, the Mercury websocket) or
	// "webhook" (signed webhooks the fake posts to the bot's receiver).
	Mode string
	// DB is the database: a SQLite path or a postgres:// URL (default a SQLite file in a
	// temporary directory, removed afterwards).
	DB string
	// FakeCommand, when set, runs the fake Webex in a process of its own, e.g.
	// ["/usr/local/bin/relais", "fake-webex"] (it gets --addr and --directory): the process CPU
	// and memory figures are then the bot's alone. FakeRateLimit needs the in-process fake.
	FakeCommand []string
	// Dialogues, when positive, opens that many more dialogues left waiting at the summary
	// after the flows, and measures the memory they hold.
	Dialogues int
	// HeapProfile, when set, is a file the live heap's profile is written to at the end of the
	// run, before the bot and the fake stop (to tell the bot's memory from the fake's).
	HeapProfile string
	// Timeout bounds the wait for one message to be handled (default 2 minutes).
	Timeout time.Duration
	// Log receives the bot's log (default none).
	Log zerolog.Logger
}

func (c Config) withDefaults() Config {
	if c.Flows <= 0 {
		c.Flows = 1
	}
	if c.Concurrency <= 0 || c.Concurrency > c.Flows {
		c.Concurrency = c.Flows
	}
	if c.Latency < 0 {
		c.Latency = 0
	}
	if c.RetryAfter <= 0 {
		c.RetryAfter = time.Second
	}
	if c.BotRate <= 0 {
		c.BotRate = 10000
	}
	if c.Mode == "" {
		c.Mode = "websocket"
	}
	if c.Workers <= 0 {
		c.Workers = max(64, c.Concurrency)
	}
	if c.Timeout <= 0 {
		c.Timeout = 2 * time.Minute
	}
	if c.Dialogues < 0 {
		c.Dialogues = 0
	}
	return c
}
