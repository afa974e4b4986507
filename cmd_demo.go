package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// runDemo runs the whole bot against an in-process fake Webex over the real websocket path:
// you type as the organizer, you see the bot's replies and every 1:1 message a designate gets.
func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	as := fs.String("as", "alex.martin@example.com", "the organizer you type as (a person of the directory)")
	nowFlag := fs.String("now", "", "start the clock at this RFC 3339 instant (default: now)")
	room := fs.String("room", "", "talk in this group space (mentioning the bot) instead of the 1:1 space")
	directory := fs.String("directory", "", "a JSON people directory replacing the default one")
	verbose := fs.Bool("v", false, "show the bot's log on standard error")
	ownAccount := fs.Bool("own-account", false, "meetings are created with your own Webex account (RELAIS_MEETINGS_AUTH=user): press Enter to approve the code Relais gives you")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: relais demo [--as EMAIL] [--now RFC3339] [--room TITLE] [--directory FILE] [--own-account] [-v]")
		fmt.Fprintln(stderr, "Chat with Relais against a built-in fake Webex; no account needed. One message per line; end with Ctrl-D.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	start := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			fmt.Fprintf(stderr, "relais demo: --now %q is not an RFC 3339 instant (e.g. 2026-06-16T09:00:00-04:00)\n", *nowFlag)
			return 2
		}
		start = t
	}
	origin := time.Now()
	now := func() time.Time { return start.Add(time.Since(origin)) }

	opts := webextest.Options{Clock: now}
	if *directory != "" {
		people, err := webextest.LoadDirectory(*directory)
		if err != nil {
			fmt.Fprintf(stderr, "relais demo: %v\n", err)
			return 2
		}
		opts.Directory = people
	}
	d, err := startDemo(ctx, opts, now, *verbose, *ownAccount, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "relais demo: %v\n", err)
		return 1
	}
	defer d.close()

	organizer := d.personName(*as)
	if organizer == "" {
		fmt.Fprintf(stderr, "relais demo: %s is not in the directory (try --as alex.martin@example.com)\n", *as)
		return 2
	}
	interactive := isTerminal(stdin)
	fmt.Fprintf(stdout, "Relais demo — fake Webex at %s, clock at %s.\n", d.fake.URL(), now().Format("Mon 2006-01-02 15:04 MST"))
	fmt.Fprintf(stdout, "You are %s <%s>%s. People you can name: %s.\n", organizer, *as, where(*room), strings.Join(d.others(*as), ", "))
	fmt.Fprintln(stdout, "Try: programme une rencontre pour Marie demain à 14h   ·   formulaire   ·   aide   ·   ! (fill in a card)   ·   Ctrl-D to quit")
	fmt.Fprintln(stdout)
	if *room != "" { // Relais is added to the space: its greeting
		id, err := d.fake.AddBot(webextest.AddRequest{Room: *room, By: *as})
		if err != nil {
			fmt.Fprintf(stderr, "relais demo: %v\n", err)
			return 1
		}
		d.wait(ctx, id, 30*time.Second)
		d.printNew(stdout, *as, *room)
	}

	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		if interactive {
			fmt.Fprint(stdout, "> ")
		}
		if !sc.Scan() {
			break
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			if *ownAccount { // Enter approves the code, as the organizer would in their browser
				d.approve(ctx, stdout, *as, *room)
			}
			continue
		}
		if !interactive {
			fmt.Fprintf(stdout, "> %s\n", line)
		}
		if strings.HasPrefix(line, "!") { // fill in the last card (cmd_demo_cards.go)
			if err := d.pressCard(ctx, stdout, sc, interactive, *as, line); err != nil {
				fmt.Fprintf(stderr, "relais demo: %v\n", err)
				return 1
			}
			d.printNew(stdout, *as, *room)
			continue
		}
		id, err := d.fake.Say(webextest.SayRequest{From: *as, Text: line, Room: *room})
		if err != nil {
			fmt.Fprintf(stderr, "relais demo: %v\n", err)
			return 1
		}
		if !d.wait(ctx, id, 30*time.Second) {
			fmt.Fprintln(stdout, "(no answer within 30 s)")
		}
		d.printNew(stdout, *as, *room)
		if *ownAccount {
			d.offerApproval(stdout, *as)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "relais demo: reading input: %v\n", err)
		return 1
	}
	// Replies still due (e.g. a send retried by the outbox) are waited for briefly.
	d.rt.Bot.Wait()
	d.printNew(stdout, *as, *room)
	return 0
}

func where(room string) string {
	if room == "" {
		return ", in your 1:1 space with Relais"
	}
	return fmt.Sprintf(", in the group space « %s »", room)
}

type demo struct {
	fake    *webextest.Server
	srv     *http.Server
	rt      *bot.Runtime
	cancel  context.CancelFunc
	done    chan error
	dir     string
	people  []webextest.Person
	mu      sync.Mutex
	handled map[string]chan struct{}
	printed map[string]int
	card    *demoCard // the last card shown to the organizer
}

func startDemo(ctx context.Context, opts webextest.Options, now func() time.Time, verbose, ownAccount bool, stderr io.Writer) (*demo, error) {
	d := &demo{handled: map[string]chan struct{}{}, printed: map[string]int{}}
	d.people = opts.Directory
	if d.people == nil {
		d.people = webextest.DefaultDirectory()
	}
	d.fake = webextest.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d.srv = &http.Server{Handler: d.fake.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = d.srv.Serve(ln) }()
	d.fake.SetURL("http://" + ln.Addr().String())

	d.dir, err = os.MkdirTemp("", "relais-demo-")
	if err != nil {
		d.close()
		return nil, err
	}
	log := zerolog.Nop()
	if verbose {
		log = newLogger(stderr, "debug", "console")
	}
	cfg := bot.RuntimeConfig{
		APIURL:        d.fake.APIURL(),
		CatalogURL:    d.fake.CatalogURL(),
		BotToken:      d.fake.BotToken(),
		MeetingsToken: d.fake.MeetingsToken(),
		DB:            filepath.Join(d.dir, "relais.db"),
		RatePerSecond: 100,
		// The reminder relais run has by default (RELAIS_REMINDER_BEFORE), so that the
		// designate's message shown is the one a designate gets.
		Bot: bot.Config{PollInterval: 200 * time.Millisecond, ReminderBefore: 30 * time.Minute},
	}
	if ownAccount {
		if err := d.ownAccount(&cfg); err != nil {
			d.close()
			return nil, err
		}
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	d.rt, err = bot.NewRuntime(rctx, cfg, log, now)
	if err != nil {
		cancel()
		d.close()
		return nil, err
	}
	d.cancel = cancel
	d.rt.Bot.OnHandled = func(id string) {
		d.mu.Lock()
		defer d.mu.Unlock()
		ch, ok := d.handled[id]
		if !ok {
			ch = make(chan struct{})
			d.handled[id] = ch
		}
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
	d.done = make(chan error, 1)
	go func() { d.done <- d.rt.Run(rctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for d.rt.Ready(ctx) != nil {
		if time.Now().After(deadline) {
			d.close()
			return nil, errors.New("the bot did not connect to the fake Webex within 10 s")
		}
		select {
		case <-ctx.Done():
			d.close()
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return d, nil
}

// wait blocks until the bot has handled message id.
func (d *demo) wait(ctx context.Context, id string, timeout time.Duration) bool {
	d.mu.Lock()
	ch, ok := d.handled[id]
	if !ok {
		ch = make(chan struct{})
		d.handled[id] = ch
	}
	d.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	case <-time.After(timeout):
		return false
	}
}

func (d *demo) personName(email string) string {
	for _, p := range d.people {
		if strings.EqualFold(p.Email, email) {
			return p.DisplayName
		}
	}
	return ""
}

func (d *demo) others(me string) []string {
	var names []string
	for _, p := range d.people {
		if !strings.EqualFold(p.Email, me) && !strings.HasSuffix(p.Email, "@webex.bot") {
			names = append(names, p.DisplayName)
		}
	}
	return names
}

// printNew prints the bot's messages not shown yet: in the organizer's space first, then every
// 1:1 message a designate received.
func (d *demo) printNew(w io.Writer, organizer, room string) {
	show := func(key, header string, msgs []webextest.Message) {
		for _, m := range msgs[min(d.printed[key], len(msgs)):] {
			fmt.Fprintf(w, "\n%s\n", header)
			body := m.Markdown
			if body == "" {
				body = m.Text
			}
			for _, line := range strings.Split(body, "\n") {
				fmt.Fprintf(w, "  │ %s\n", line)
			}
			if card := cardOf(m); card != nil {
				mine := key == organizer || key == "room:"+room
				if mine {
					d.card = &demoCard{messageID: m.ID, card: card}
				}
				renderCard(w, card, mine && hasSubmit(card))
			}
		}
		d.printed[key] = len(msgs)
	}
	if room != "" {
		show("room:"+room, fmt.Sprintf("Relais → « %s » (espace de groupe) :", room), d.fake.RoomMessages(room))
	}
	show(organizer, "Relais → vous :", d.fake.BotMessages(organizer))
	for _, p := range d.people {
		if strings.EqualFold(p.Email, organizer) || strings.HasSuffix(p.Email, "@webex.bot") {
			continue
		}
		show(p.Email, fmt.Sprintf("Relais → %s (message privé 1:1) :", p.DisplayName), d.fake.BotMessages(p.Email))
	}
	fmt.Fprintln(w)
}

func (d *demo) close() {
	if d.cancel != nil {
		d.cancel()
		select {
		case <-d.done:
		case <-time.After(12 * time.Second):
		}
	}
	if d.srv != nil {
		_ = d.srv.Close()
	}
	if d.fake != nil {
		d.fake.Close()
	}
	if d.dir != "" {
		_ = os.RemoveAll(d.dir)
	}
}
