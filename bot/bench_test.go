package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// benchBot is a Runtime on the websocket of an in-process fake without latency: what a
// benchmark measures is the bot's own work per event (and the fake's, in the same process).
type benchBot struct {
	fake    *webextest.Server
	handled chan string
}

const benchOrganizers = 64

func benchOrganizer(i int) string { return fmt.Sprintf("org%03d@example.com", i%benchOrganizers) }

func newBenchBot(b *testing.B) *benchBot {
	b.Helper()
	const tz = "America/Toronto"
	people := []webextest.Person{{Email: "relais@webex.bot", DisplayName: "Relais", FirstName: "Relais", Timezone: tz, Type: "bot"},
		{Email: "marie.tremblay@example.com", DisplayName: "Marie Tremblay", FirstName: "Marie", LastName: "Tremblay", Timezone: tz}}
	for i := range benchOrganizers {
		people = append(people, webextest.Person{Email: benchOrganizer(i), DisplayName: fmt.Sprintf("Organisatrice %03d", i), FirstName: "Organisatrice", LastName: fmt.Sprintf("%03d", i), Timezone: tz})
	}
	fake := webextest.NewTestServer(b, webextest.Options{Directory: people})
	cfg := bot.RuntimeConfig{
		APIURL:        fake.APIURL(),
		CatalogURL:    fake.CatalogURL(),
		BotToken:      fake.BotToken(),
		MeetingsToken: fake.MeetingsToken(),
		DB:            filepath.Join(b.TempDir(), "relais.db"),
		RatePerSecond: 1e6,
		Bot:           bot.Config{AllowedDomains: []string{"example.com"}, MeetingsPerHour: 1 << 20},
	}
	ctx, cancel := context.WithCancel(context.Background())
	rt, err := bot.NewRuntime(ctx, cfg, zerolog.Nop(), nil)
	if err != nil {
		b.Fatal(err)
	}
	bb := &benchBot{fake: fake, handled: make(chan string, 16)}
	rt.Bot.OnHandled = func(id string) { bb.handled <- id }
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	b.Cleanup(func() {
		cancel()
		<-done
	})
	ready := time.NewTicker(time.Millisecond)
	defer ready.Stop()
	for rt.Ready(ctx) != nil {
		<-ready.C
	}
	return bb
}

// say posts text and waits until the bot has handled it.
func (bb *benchBot) say(b *testing.B, from, text string) {
	id, err := bb.fake.Say(webextest.SayRequest{From: from, Text: text})
	if err != nil {
		b.Fatal(err)
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case got := <-bb.handled:
			if got == id {
				return
			}
		case <-timeout:
			b.Fatalf("%q never handled", text)
		}
	}
}

// BenchmarkHandleHelp: one event end to end through the websocket, the lanes, the store and a
// reply: « aide » (GET message, POST reply; the organizer's profile is cached).
func BenchmarkHandleHelp(b *testing.B) {
	bb := newBenchBot(b)
	for i := range benchOrganizers {
		bb.say(b, benchOrganizer(i), "aide") // warm the profile cache
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		bb.say(b, benchOrganizer(i), "aide")
	}
}

// BenchmarkHandleFlow: a whole flow, two events: the request in one sentence (resolve the
// designate, summary), then « oui » (meeting, designate message, confirmation). ns/op is per
// flow; ns/event is half of it.
func BenchmarkHandleFlow(b *testing.B) {
	bb := newBenchBot(b)
	for i := range benchOrganizers {
		bb.say(b, benchOrganizer(i), "aide")
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		org := benchOrganizer(i)
		bb.say(b, org, fmt.Sprintf("programme une rencontre « Point %d » pour marie.tremblay@example.com demain à 14h pendant 30 minutes", i))
		bb.say(b, org, "oui")
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(2*b.N), "ns/event")
}
