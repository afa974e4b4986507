package conversations

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relaisbot/relais/conversations/nlu"
)

// Step is the dialogue's transition: from a state and an input (a message of the organizer or
// the result of an effect), at now, it returns the next state, the replies to the organizer and
// the effects the bot must execute, in order. It is pure and never panics on any input.
func Step(st State, in Input, now time.Time, cfg Config) (State, []Reply, []Effect) {
	cfg = cfg.withDefaults()
	in.Text = strings.ToValidUTF8(in.Text, "\uFFFD") // the state must survive JSON
	loc, zone := location(in.TimeZone, cfg.DefaultTimeZone)
	d := &dialogue{st: st, in: in, now: now.In(loc), cfg: cfg, loc: loc, zone: zone}
	if d.st.Lang == "" {
		d.st.Lang = cfg.DefaultLang
	}
	stageBefore := d.st.Stage
	if in.Result != nil {
		d.onResult(*in.Result)
	} else if in.Card != nil {
		d.onCard()
	} else {
		if utf8.RuneCountInString(in.Text) > cfg.MaxMessage {
			return st, []Reply{{Markdown: msgTooLong(d.langOf(in.Text), cfg.MaxMessage)}}, nil
		}
		d.onMessage()
		if !in.Late.IsZero() {
			d.said = append([]string{msgLate(d.lang(), in.Late.In(loc), d.now)}, d.said...)
		}
	}
	d.gateOnAccount() // account.go
	if d.st.Stage == StageIdle {
		d.st = State{}
	} else {
		d.st.LastActive = now.UTC()
	}
	d.decorate(stageBefore)
	var replies []Reply
	if len(d.said) > 0 {
		replies = []Reply{{Markdown: strings.Join(d.said, "\n\n"), Card: d.card}}
	}
	return d.st, replies, d.effects
}

// dialogue is one Step under way.
type dialogue struct {
	st      State
	in      Input
	u       nlu.Understanding
	now     time.Time
	cfg     Config
	loc     *time.Location
	zone    string
	said    []string
	effects []Effect
	// card is the Adaptive Card sent with the step's reply (cards.go), or nil.
	card map[string]any
	// badDate: the message named a day that does not exist; say so once.
	badDate bool
	// plain: what cannot be right in the message was already said (sayPlainly).
	plain bool
}

// say adds paragraphs to the step's reply: one Step answers with at most one message.
func (d *dialogue) say(parts ...string) {
	for _, p := range parts {
		if p != "" {
			d.said = append(d.said, p)
		}
	}
}

func (d *dialogue) emit(e Effect) { d.effects = append(d.effects, e) }

func (d *dialogue) lang() nlu.Lang { return d.st.Lang }

// reset ends the dialogue.
func (d *dialogue) reset() { d.st = State{Lang: d.st.Lang} }

// location loads the organizer's zone, falling back on the default and then on UTC.
func location(name, fallback string) (*time.Location, string) {
	for _, n := range []string{name, fallback} {
		if n == "" || n == "Local" {
			continue
		}
		if loc, err := loadLocation(n); err == nil {
			return loc, n
		}
	}
	return time.UTC, "UTC"
}

// zones caches loaded time zones: time.LoadLocation reads and parses the zone file on every
// call, which was most of a Step's cost. A *time.Location never changes once loaded, so sharing
// them keeps Step pure; the cache only grows by the zones organizers have (a few).
var zones sync.Map // name → *time.Location

func loadLocation(name string) (*time.Location, error) {
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	if len(name) <= 64 {
		zones.Store(name, loc)
	}
	return loc, nil
}

// langOf guesses the language of a text too long to parse: English only when it says so.
func (d *dialogue) langOf(text string) nlu.Lang {
	if d.st.Active() {
		return d.st.Lang
	}
	head := text
	if len(head) > 200 {
		head = head[:200]
	}
	if u := nlu.Parse(strings.ToValidUTF8(head, ""), d.now, d.loc); u.Lang == nlu.English {
		return nlu.English
	}
	return d.cfg.DefaultLang
}

func (d *dialogue) onMessage() {
	text := strings.TrimSpace(d.in.Text)
	expired := false
	if d.st.Active() && d.now.Sub(d.st.LastActive) > d.cfg.IdleTimeout {
		d.say(msgExpired(d.lang(), d.st, d.cfg.IdleTimeout))
		d.reset()
		expired = true
	}
	d.u = nlu.Parse(text, d.now, d.loc)
	d.chooseLang(text)
	if d.onAccountMessage(text) { // account.go
		return
	}
	d.plain = d.sayPlainly()

	if l, ok := formRequest(text); ok && d.st.Stage != StageCreating && d.st.Stage != StageResolving {
		if !d.st.Active() {
			d.st.Lang = l
		}
		d.showForm(d.draftValues(), "", "")
		return
	}
	switch {
	case d.st.Stage.scheduling():
		d.onScheduling(text)
	case d.st.Stage.changing():
		d.onChanging(text)
	case d.st.Stage == StagePicking || d.st.Stage == StageConfirmCancel:
		d.onPicking(text)
	case d.st.Stage == StageListing || d.st.Stage == StageCancelling || d.st.Stage == StageResending:
		d.onBusyCommand()
	default:
		d.onIdle(text, expired)
	}
}

// chooseLang sets the dialogue's language: the message's at the start of a dialogue; later only
// when the person clearly switches (a sentence of three words or more in the other language).
func (d *dialogue) chooseLang(text string) {
	l := d.u.Lang
	if l != nlu.French && l != nlu.English {
		return
	}
	if !d.st.Active() {
		if text == "" {
			return
		}
		d.st.Lang = l
		return
	}
	if l != d.st.Lang && len(strings.Fields(text)) >= 3 {
		d.st.Lang = l
	}
}

func (d *dialogue) onIdle(text string, expired bool) {
	u := d.u
	if d.in.FirstContact && !d.in.Group && greetingLang(text, "") != "" {
		d.greet(text) // « bonjour », "hi" (which otherwise asks for help)
		return
	}
	if !expired && d.greetGroup(text) { // « @Relais » alone, « @Relais bonjour »
		return
	}
	if l := greetingLang(text, ""); l != "" {
		d.st.Lang = l // "hello" is too short for the general guess
	}
	switch u.Intent {
	case nlu.IntentHelp:
		d.say(msgHelp(d.lang()))
		if d.in.Group {
			d.say(msgPrivateOnly(d.lang())) // the list, changes and cancellations are not done here
		}
		d.card = formCard(d.lang(), FormValues{}, "", "")
		return
	case nlu.IntentList, nlu.IntentCancel, nlu.IntentResend, nlu.IntentChange, nlu.IntentHandOver:
		if d.in.Group {
			// Titles and names of delegated meetings can be confidential: not in front of
			// the whole space.
			d.say(msgPrivateOnly(d.lang()))
			return
		}
	}
	switch u.Intent {
	case nlu.IntentList:
		d.startListing(PurposeList, 0)
		return
	case nlu.IntentCancel:
		d.startListing(PurposeCancel, u.Number)
		return
	case nlu.IntentResend:
		d.startListing(PurposeResend, u.Number)
		return
	case nlu.IntentChange, nlu.IntentHandOver:
		d.startChange()
		return
	case nlu.IntentAbort:
		if !expired {
			d.say(msgNothingToAbort(d.lang()))
		}
		return
	}
	if u.Intent == nlu.IntentSchedule || (u.Intent == nlu.IntentUnknown && hasSlots(u, d.in)) {
		d.startScheduling()
		return
	}
	if expired {
		d.say(msgStartOver(d.lang()))
		return
	}
	if d.plain {
		return // « pour moi », « à 25 h »: already answered
	}
	if d.in.FirstContact && !d.in.Group {
		d.greet(text)
		return
	}
	d.say(msgHint(d.lang()))
}

// hasSlots reports whether a message describes a meeting without saying "schedule".
func hasSlots(u nlu.Understanding, in Input) bool {
	return u.Designate != "" || u.Date != nil || u.Time != nil || len(in.Mentions) > 0
}

func (d *dialogue) startScheduling() {
	id := d.in.EventID
	if id == "" {
		id = fmt.Sprintf("%s@%d", d.in.Organizer.Email, d.now.UnixNano())
	}
	d.st = State{Stage: StageAskWho, Lang: d.st.Lang, DialogueID: id}
	d.merge()
	d.advance()
}

// onBusyCommand answers a message while a list, cancel or resend is being executed.
func (d *dialogue) onBusyCommand() {
	if d.u.Intent == nlu.IntentAbort && d.st.Stage == StageListing {
		d.reset()
		d.say(msgAbandoned(d.lang()))
		return
	}
	d.say(msgWorking(d.lang()))
}
