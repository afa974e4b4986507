package bot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/time/rate"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// Config tunes the bot. Zero fields take sensible defaults (see withDefaults).
type Config struct {
	// DefaultTimeZone is used when the organizer's Webex profile has none.
	DefaultTimeZone string
	// DefaultLang answers messages whose language cannot be told.
	DefaultLang nlu.Lang
	// AllowedDomains are the e-mail domains of people who may use the bot and be designates;
	// empty means the bot's own organization.
	AllowedDomains []string
	// DesignatesFromOtherOrgs lets a designate in an allowed domain belong to another Webex
	// organization than the bot's (off by default: an e-mail domain alone is easy to claim).
	DesignatesFromOtherOrgs bool
	// Dialogue tunes the conversation (idle timeout, default duration…).
	Dialogue conversations.Config
	// ReminderBefore is how long before the start the designate is reminded; 0 disables
	// (DefaultReminderBefore is what an operator gets without saying).
	ReminderBefore time.Duration
	// MeetingsPerHour caps the meetings one organizer may create per hour.
	MeetingsPerHour int
	// Workers bounds how many conversations are handled at once, and the goroutines doing it.
	Workers int
	// SenderBurst is how many messages one person may have handled in a row (default 30);
	// after that, one more every SenderEvery (default 5 s). The first message over the limit
	// gets one polite notice; the next ones are dropped without a word until the allowance
	// comes back.
	SenderBurst int
	SenderEvery time.Duration
	// MaxQueue bounds the events waiting in one conversation (default 64); beyond, they are
	// dropped.
	MaxQueue int
	// WebhookFreshness is how old (by its signed created time) a webhook event may be and still
	// be acted on (default 2 h): a signed body replayed later does nothing, even once the
	// record of its first delivery has been pruned.
	WebhookFreshness time.Duration
	// Lease is how long a claimed job is owned before another worker may take it over.
	Lease time.Duration
	// PollInterval is how often the outbox is polled for due jobs (reminders, retries, recovery).
	PollInterval time.Duration
	// MaxSendAttempts bounds the tries of one send before the organizer is told it failed.
	MaxSendAttempts int
	// Owner names this replica in job leases.
	Owner string
	// LateAfter: a message answered more than this after it was written is answered with a
	// word that Relais was unavailable since then (default 2 min).
	LateAfter time.Duration
	// CatchUp bounds the catch-up of the messages the intake missed (see catchup.go).
	CatchUp CatchUpConfig
	// Failpoint, for crash tests only, names a point where the bot stops dead (it blocks
	// forever after printing "FAILPOINT <name>" on standard error, waiting to be killed):
	// "after-intent-recorded", "after-meeting-created", "after-designate-sent". It works only in
	// a binary built with the relais_failpoint tag (the crash tests build one); the shipped binary
	// ignores it.
	Failpoint string
}

// DefaultReminderBefore is the reminder's advance when the operator sets none. (Zero in Config
// means no reminder, so this default is applied by whoever reads the operator's settings.)
const DefaultReminderBefore = 30 * time.Minute

func (c Config) withDefaults() Config {
	if c.DefaultTimeZone == "" {
		c.DefaultTimeZone = conversations.DefaultTimeZone
	}
	if c.DefaultLang == "" {
		c.DefaultLang = conversations.DefaultConfig().DefaultLang
	}
	c.Dialogue.DefaultLang = c.DefaultLang
	if c.Dialogue.DefaultTimeZone == "" {
		c.Dialogue.DefaultTimeZone = c.DefaultTimeZone
	}
	if c.MeetingsPerHour <= 0 {
		c.MeetingsPerHour = 20
	}
	if c.Workers <= 0 {
		c.Workers = 64
	}
	if c.SenderBurst <= 0 {
		c.SenderBurst = 30
	}
	if c.SenderEvery <= 0 {
		c.SenderEvery = 5 * time.Second
	}
	if c.MaxQueue <= 0 {
		c.MaxQueue = 64
	}
	if c.WebhookFreshness <= 0 {
		c.WebhookFreshness = 2 * time.Hour
	}
	if c.Lease <= 0 {
		c.Lease = 5 * time.Minute
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.MaxSendAttempts <= 0 {
		c.MaxSendAttempts = 8
	}
	if c.Owner == "" {
		c.Owner = "relais"
	}
	if c.LateAfter <= 0 {
		c.LateAfter = 2 * time.Minute
	}
	c.CatchUp = c.CatchUp.withDefaults()
	for i, d := range c.AllowedDomains {
		c.AllowedDomains[i] = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
	}
	return c
}

// Deps are the bot's collaborators.
type Deps struct {
	// Webex is the client with the bot's token (messages, people, rooms).
	Webex *webexapi.Client
	// Meetings is the client with the meetings credential (a bot token cannot create meetings).
	Meetings *webexapi.Client
	Store    store.Store
	Log      zerolog.Logger
	// Now is the clock; nil means time.Now.
	Now     func() time.Time
	Metrics *Metrics
	// Lookups reads activities the websocket listener handed over unresolved; give it a retry
	// policy that waits little (the bot's shared intake backoff does the waiting). Nil: Webex.
	Lookups *webexapi.Client
	// Accounts, when set, keeps each organizer's own Webex account (RELAIS_MEETINGS_AUTH=user):
	// Meetings then serves every organizer with their own token (accounts.go).
	Accounts *accounts.Accounts
}

// Bot is Relais: it turns Webex events into dialogue steps and the dialogue's effects into
// Webex calls, recording everything in the store so that nothing is lost or done twice.
type Bot struct {
	cfg      Config
	webex    *webexapi.Client
	meetings *webexapi.Client
	store    store.Store
	log      zerolog.Logger
	now      func() time.Time
	metrics  *Metrics

	me    webexapi.Person
	lanes *lanes
	poke  chan struct{}

	lookups     *webexapi.Client // resolves unresolved activities (intake_retry.go)
	intakeWait  intakeBackoff
	intakeOrder intakeOrder

	profiles profileCache
	catchup  *catchUp

	// accounts keeps each organizer's own account; nil: the Service App's credential (accounts.go).
	accounts *accounts.Accounts

	limMu    sync.Mutex
	limiters map[string]*rate.Limiter
	senders  *senderLimits

	// OnHandled, when set before Run, is called after each event has been fully handled
	// (replies sent, state stored), with the event id. The demo and tests wait on it.
	OnHandled func(eventID string)
	// OnStats, when set before Run, is called with each handled event's timings, before
	// OnHandled. The load command reads the bot's overhead from it.
	OnStats func(EventStats)
}

// EventStats are the timings of one handled event.
type EventStats struct {
	EventID string
	// Total runs from the event's arrival (ready to be handed over by the websocket listener or
	// the webhook receiver: webexapi.Event.Ready) to handled: queueing, storage, dialogue and
	// Webex calls.
	Total time.Duration
	// Webex is the time spent in Webex calls while handling it (see webexapi.CallTime).
	Webex time.Duration
	// Overhead is Total minus Webex: Relais's own time.
	Overhead time.Duration
}

// New builds a bot. Call Start before Run.
func New(cfg Config, d Deps) (*Bot, error) {
	if d.Webex == nil || d.Meetings == nil || d.Store == nil {
		return nil, errors.New("bot: Webex, Meetings and Store are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics(nil)
	}
	b := &Bot{
		cfg:      cfg.withDefaults(),
		webex:    d.Webex,
		meetings: d.Meetings,
		store:    d.Store,
		log:      d.Log,
		now:      d.Now,
		metrics:  d.Metrics,
		lookups:  d.Lookups,
		accounts: d.Accounts,
		poke:     make(chan struct{}, 1),
		limiters: make(map[string]*rate.Limiter),
	}
	if b.lookups == nil {
		b.lookups = b.webex
	}
	b.cfg.Dialogue.OwnAccount = b.accounts != nil
	b.profiles = newProfileCache(b.now, time.Hour, 10000)
	b.catchup = newCatchUp(newCatchUpMetrics(b.metrics.Registry))
	b.senders = newSenderLimits(b.cfg.SenderBurst, b.cfg.SenderEvery)
	b.lanes = newLanes(b.cfg.Workers, func(key string, v any, stack []byte) {
		b.metrics.Panics.Inc()
		b.log.Error().Str("conversation", key).Str("panic", fmt.Sprint(v)).Bytes("stack", stack).Msg("handler panicked; the bot goes on")
	})
	b.lanes.maxQueue = b.cfg.MaxQueue
	return b, nil
}

// Start learns the bot's own identity (once: it never changes while running).
func (b *Bot) Start(ctx context.Context) error {
	me, err := b.webex.People.Me(ctx)
	if err != nil {
		if webexapi.IsUnauthorized(err) {
			return fmt.Errorf("the bot token was refused by Webex (check WEBEX_BOT_TOKEN): %w", err)
		}
		return fmt.Errorf("who am I: %w", err)
	}
	b.me = *me
	b.log.Info().Str("bot", me.DisplayName).Str("email", me.Email()).Msg("bot identity")
	return nil
}

// Me is the bot's own Webex identity (after Start).
func (b *Bot) Me() webexapi.Person { return b.me }

// Workers is how many conversations the bot handles at once.
func (b *Bot) Workers() int { return b.cfg.Workers }

// Run consumes events until ctx ends or events is closed, and polls the outbox for due jobs
// (reminders, retries, work left by a crash). It returns after in-flight work has finished.
func (b *Bot) Run(ctx context.Context, events <-chan webexapi.Event) error {
	b.markFirstStart(ctx) // catchup.go
	pollCtx, stopPolling := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		b.pollOutbox(pollCtx)
	}()
	go func() {
		defer wg.Done()
		b.runCatchUp(pollCtx)
	}()
	wg.Go(func() { b.pollAccounts(pollCtx) }) // accounts.go
	defer func() {
		stopPolling()
		wg.Wait()
		b.lanes.wait()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			b.accept(ctx, ev)
		}
	}
}

// Wait blocks until every accepted event has been handled.
func (b *Bot) Wait() { b.lanes.wait() }

// Poke asks the outbox poller to look for due jobs now.
func (b *Bot) Poke() {
	select {
	case b.poke <- struct{}{}:
	default:
	}
}

// failpoint stops the bot dead at a named point when a crash test asks for it.
func (b *Bot) failpoint(name string) {
	if !failpointsBuilt || b.cfg.Failpoint != name {
		return
	}
	fmt.Fprintf(os.Stderr, "FAILPOINT %s\n", name)
	select {}
}

// limiter returns the organizer's meetings-per-hour limiter.
func (b *Bot) allowMeeting(organizer string) bool {
	b.limMu.Lock()
	defer b.limMu.Unlock()
	l, ok := b.limiters[organizer]
	if !ok {
		per := rate.Every(time.Hour / time.Duration(b.cfg.MeetingsPerHour))
		l = rate.NewLimiter(per, b.cfg.MeetingsPerHour)
		b.limiters[organizer] = l
	}
	return l.AllowN(b.now(), 1)
}

// forgetIdleLimiters drops the limiters of organizers who have their whole hourly allowance
// back: they would behave exactly like new ones.
func (b *Bot) forgetIdleLimiters() {
	now := b.now()
	b.senders.forget(now)
	b.limMu.Lock()
	defer b.limMu.Unlock()
	for k, l := range b.limiters {
		if l.TokensAt(now) >= float64(l.Burst()) {
			delete(b.limiters, k)
		}
	}
}
