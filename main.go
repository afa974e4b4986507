// Command relais is a Webex bot that schedules a meeting for another person and hands that
// person the host key with the steps to claim the host role.
//
// main only parses the subcommand and wires packages together; each subcommand lives in a
// cmd_*.go file of its own.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", "run the bot against Webex (configuration from the environment)", runRun},
		{"demo", "chat with the bot against an in-process fake Webex (no account needed)", runDemo},
		{"fake-webex", "serve a fake Webex for manual and black-box tests", runFakeWebex},
		{"parse", "print what Relais understood from one sentence, as JSON", runParse},
		{"doctor", "check every setting against Webex and the database, with a fix for each failure", runDoctor},
		{"loadtest", "drive many organizers through whole flows against a fake Webex and print the figures", runLoadtest},
		{"healthcheck", "exit 0 when the admin /healthz answers 200 (container health check)", runHealthcheck},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "relais: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: relais COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.usage)
	}
}

func runVersion(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "relais %s\n", version)
	return 0
}
