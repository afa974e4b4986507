package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/loadtest"
)

// runLoadtest drives many organizers concurrently through whole flows against an in-process
// fake Webex with injected latency, and prints what it measured (see BENCHMARKS.md).
func runLoadtest(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flows := fs.Int("flows", 1000, "organizers driven through a whole flow (request, summary, « oui », meeting, designate message)")
	concurrency := fs.Int("concurrency", 0, "flows in flight at once (default: all of them)")
	latency := fs.Duration("latency", 50*time.Millisecond, "latency the fake adds to every /v1/ REST call")
	rate429 := fs.Float64("rate429", 0, "share (0..1) of /v1/ calls the fake answers 429")
	retryAfter := fs.Duration("retry-after", time.Second, "Retry-After of the injected 429s")
	fakeLimit := fs.Float64("fake-rate-limit", 0, "/v1/ calls per second and per token the fake accepts before answering 429 (0 = no limit)")
	botRate := fs.Float64("bot-rate", 10000, "the bot's per-token call rate (RELAIS_WEBEX_RATE); high by default to measure the bot, not its politeness")
	workers := fs.Int("workers", 0, "conversations the bot handles at once (default: max(64, concurrency))")
	mode := fs.String("mode", "websocket", "how the bot receives events: websocket or webhook")
	db := fs.String("db", "", "SQLite path or postgres:// URL (default: SQLite in a temporary directory)")
	dialogues := fs.Int("dialogues", 0, "open this many more dialogues left at the summary and measure their memory")
	timeout := fs.Duration("timeout", 2*time.Minute, "longest wait for one message to be handled")
	fakeProcess := fs.Bool("fake-process", false, "run the fake Webex in a process of its own (relais fake-webex), so that CPU and memory figures are the bot's alone")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := fs.String("memprofile", "", "write the live heap's profile to this file at the end of the run, before the bot and the fake stop")
	blockProfile := fs.String("blockprofile", "", "write a profile of where goroutines waited (channels, locks, select) to this file")
	verbose := fs.Bool("v", false, "show the bot's log (warnings and errors) on standard error")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: relais loadtest [--flows N] [--concurrency N] [--latency 50ms] [--rate429 0] [--fake-rate-limit N] [--mode websocket|webhook] [--db PATH|postgres://…] [--dialogues N]")
		fmt.Fprintln(stderr, "Drive organizers concurrently through whole flows against an in-process fake Webex and print the figures.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	switch {
	case *flows < 1:
		fmt.Fprintln(stderr, "relais loadtest: --flows must be at least 1")
		return 2
	case *concurrency < 0 || *workers < 0 || *dialogues < 0 || *latency < 0 || *fakeLimit < 0 || *botRate <= 0:
		fmt.Fprintln(stderr, "relais loadtest: counts, rates and durations must not be negative (and --bot-rate must be positive)")
		return 2
	case *rate429 < 0 || *rate429 > 1:
		fmt.Fprintln(stderr, "relais loadtest: --rate429 is a share between 0 and 1")
		return 2
	case *mode != "websocket" && *mode != "webhook":
		fmt.Fprintln(stderr, "relais loadtest: --mode is websocket or webhook")
		return 2
	}
	log := zerolog.Nop()
	if *verbose {
		log = newLogger(stderr, "warn", "console")
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "relais loadtest: %v\n", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "relais loadtest: %v\n", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	if *blockProfile != "" {
		runtime.SetBlockProfileRate(int(100 * time.Microsecond))
		defer func() {
			if err := writeProfile("block", *blockProfile); err != nil {
				fmt.Fprintf(stderr, "relais loadtest: %v\n", err)
			}
		}()
	}
	var fakeCommand []string
	if *fakeProcess {
		exe, err := os.Executable()
		if err != nil {
			fmt.Fprintf(stderr, "relais loadtest: --fake-process: %v\n", err)
			return 1
		}
		fakeCommand = []string{exe, "fake-webex"}
	}
	rep, err := loadtest.Run(ctx, loadtest.Config{
		FakeCommand: fakeCommand,
		Flows:       *flows, Concurrency: *concurrency, Latency: *latency, Rate429: *rate429, RetryAfter: *retryAfter,
		FakeRateLimit: *fakeLimit, BotRate: *botRate, Workers: *workers, Mode: *mode, DB: *db, Dialogues: *dialogues,
		Timeout: *timeout, Log: log, HeapProfile: *memProfile,
	})
	if rep != nil {
		rep.Write(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "relais loadtest: %v\n", err)
		return 1
	}
	if rep.Errors > 0 || rep.Problems > 0 || rep.DuplicateMeetings+rep.DuplicateDesignate+rep.DuplicateReplies > 0 {
		return 1
	}
	return 0
}

func writeProfile(name, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
