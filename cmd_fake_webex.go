package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// runFakeWebex serves a fake Webex until ctx ends, after printing the environment variables
// `relais run` needs to use it.
func runFakeWebex(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fake-webex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: relais fake-webex [flags]

Serves a fake Webex (REST, device service, websocket, webhooks) and its control API:
  POST /_sim/say {"from","text","room"?,"files"?…}   a person writes (files: a "share")
  POST /_sim/cards, POST /_sim/delete {"messageId"}, GET /_sim/messages?person=|room=
  POST /_sim/faults, GET /_sim/faults                  faults, off by default: latencyMs,
      rate429, retryAfterSeconds, rate5xx, status5xx, actThenFailRate, actThenFailMode,
      conversationRate429, conversationRetryAfterSeconds, conversationRate5xx,
      replay ("all"|"none"), replayWindowSeconds, webhookRetries, dropWebsocket
  GET /_sim/counts                                     calls, websocketConnections, conversationLookups
  GET /_sim/authorizations, POST /_sim/approve {"userCode","as"}, POST /_sim/deny {"userCode"},
  POST /_sim/revoke {"email"}, GET /_sim/tokens         organizers' own authorizations (device grant)
See webexapi/webextest/doc.go.

Flags:
`)
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8765", "listen address HOST:PORT (port 0 picks a free one)")
	dirFile := fs.String("directory", "", "JSON file with the people directory (array of {email,displayName,firstName,lastName,timezone})")
	botToken := fs.String("bot-token", "bot-token", "the bot's access token")
	meetingsToken := fs.String("meetings-token", "meetings-token", "the meetings (admin scheduling) access token")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "relais fake-webex: unexpected arguments %q\n", fs.Args())
		return 2
	}
	opts := webextest.Options{BotToken: *botToken, MeetingsToken: *meetingsToken}
	if *dirFile != "" {
		people, err := webextest.LoadDirectory(*dirFile)
		if err != nil {
			fmt.Fprintf(stderr, "relais fake-webex: %v\n", err)
			return 1
		}
		opts.Directory = people
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "relais fake-webex: %v\n", err)
		return 1
	}
	fake := webextest.New(opts)
	defer fake.Close()
	fake.SetURL("http://" + ln.Addr().String())
	srv := &http.Server{Handler: fake.Handler(), ReadHeaderTimeout: 10 * time.Second}

	fmt.Fprintf(stdout, "WEBEX_API_URL=%s\n", fake.APIURL())
	fmt.Fprintf(stdout, "WEBEX_BOT_TOKEN=%s\n", fake.BotToken())
	fmt.Fprintf(stdout, "WEBEX_MEETINGS_TOKEN=%s\n", fake.MeetingsToken())
	fmt.Fprintf(stdout, "WEBEX_CATALOG_URL=%s\n", fake.CatalogURL())
	fmt.Fprintf(stdout, "WEBEX_INTEGRATION_CLIENT_ID=%s\n", fake.IntegrationClientID())
	fmt.Fprintf(stdout, "WEBEX_INTEGRATION_CLIENT_SECRET=%s\n", fake.IntegrationClientSecret())
	fmt.Fprintf(stderr, "relais fake-webex: serving on %s (control API under %s/_sim/)\n", fake.URL(), fake.URL())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "relais fake-webex: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	fake.Close() // websockets are hijacked: Shutdown does not wait for them
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "relais fake-webex: shutdown: %v\n", err)
		return 1
	}
	return 0
}
