package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// maxInputBytes bounds what is read of one message; the dialogue refuses long messages politely.
const maxInputBytes = 16 << 10

// convoRetention is how long an idle conversation's state is kept (the dialogue itself expires
// much sooner; keeping the state lets the person be told their dialogue expired).
const convoRetention = 7 * 24 * time.Hour

// turn is what one event means for a conversation.
type turn struct {
	key        string
	roomID     string
	roomType   string
	threadRoot string // group spaces: the message whose thread holds the conversation
	personID   string
	organizer  webexapi.Person
	input      conversations.Input
	// cardMessage is the card message whose button made this turn (one of the dialogue's
	// cards), recorded as answered with the turn.
	cardMessage string
	// written is when the message was written (zero if unknown); recheck is set when the
	// event is handled again (after a failure or a crash): a reply of the earlier attempt
	// may be in the space already.
	written time.Time
	recheck bool
}

// process turns an event into a dialogue turn and runs it. It returns an outcome label and what
// to store once the event is done.
func (b *Bot) process(ctx context.Context, ev webexapi.Event, recheck, slowDown bool, log *zerolog.Logger) (outcome string, save saveFunc, err error) {
	if ev.Kind == webexapi.EventMembershipCreated {
		return b.greetSpace(ctx, ev, log) // cards.go
	}
	t, outcome, err := b.turnOf(ctx, ev)
	if err != nil || t == nil {
		return outcome, nil, err
	}
	if slowDown {
		b.metrics.EventsIgnored.WithLabelValues("rate_limited").Inc()
		return "rate_limited", nil, b.reply(ctx, t, conversations.SlowDownNotice(conversations.DetectLang(t.input.Text, b.cfg.DefaultLang)))
	}
	t.recheck = recheck
	*log = log.With().Str("conversation", t.key).Logger()
	return b.converse(b.asOrganizer(ctx, t), t, log) // meetings calls with the organizer's own token, if so configured
}

// turnOf reads the event's message or card submission, filters out what the bot must ignore,
// and builds the dialogue input. A nil turn with a nil error means "ignore".
func (b *Bot) turnOf(ctx context.Context, ev webexapi.Event) (*turn, string, error) {
	var (
		roomID, roomType, personID, personEmail, text, parentID, msgID string
		mentioned                                                      []string
		card                                                           *conversations.CardInput
		cardMsg, written                                               string
	)
	switch ev.Kind {
	case webexapi.EventMessageCreated:
		msg := ev.Message
		if msg == nil {
			m, err := b.webex.Messages.Get(ctx, ev.ID)
			if webexapi.IsNotFound(err) {
				return nil, "deleted", nil
			}
			if err != nil {
				return nil, "", fmt.Errorf("get message: %w", err)
			}
			msg = m
		}
		roomID, roomType, personID, personEmail = msg.RoomID, msg.RoomType, msg.PersonID, msg.PersonEmail
		text, parentID, msgID, mentioned = msg.Text, msg.ParentID, msg.ID, msg.MentionedPeople
		written = msg.Created
	case webexapi.EventCardSubmitted:
		act := ev.Action
		if act == nil {
			a, err := b.webex.AttachmentActions.Get(ctx, ev.ID)
			if webexapi.IsNotFound(err) {
				return nil, "deleted", nil
			}
			if err != nil {
				return nil, "", fmt.Errorf("get attachment action: %w", err)
			}
			act = a
		}
		roomID, personID = act.RoomID, act.PersonID
		written = act.Created // a press handled again finds its replies posted since then
		roomType = ev.RoomType
		if roomType == "" {
			// Webhooks for card submissions carry no room type: ask, since secrets are
			// shown only in a space known to be 1:1.
			room, err := b.webex.Rooms.Get(ctx, roomID)
			if err != nil {
				return nil, "", fmt.Errorf("get room: %w", err)
			}
			roomType = room.Type
		}
		text = act.InputString("text")
		if text == "" {
			text = act.InputString("answer")
		}
		// A card submission is no message: the conversation continues in its space,
		// and in a group space the answer goes in the card's thread.
		parentID, msgID = act.MessageID, ev.ID
		c, ours, err := b.cardInput(ctx, act)
		if err != nil {
			return nil, "", err
		}
		if ours {
			card, cardMsg = c, act.MessageID
			if roomType != webexapi.RoomTypeDirect {
				// The dialogue's cards are answers, posted in the request's thread.
				if parentID, err = b.cardThread(ctx, act.MessageID); err != nil {
					return nil, "", err
				}
			}
		}
	default:
		b.metrics.EventsIgnored.WithLabelValues("kind").Inc()
		return nil, "ignored", nil
	}
	if b.isSelf(personID, personEmail) {
		b.metrics.EventsIgnored.WithLabelValues("self").Inc()
		return nil, "self", nil
	}
	if strings.HasSuffix(strings.ToLower(personEmail), "@webex.bot") {
		b.metrics.EventsIgnored.WithLabelValues("bot").Inc()
		return nil, "bot", nil
	}
	organizer, err := b.person(ctx, personID)
	if err != nil {
		return nil, "", fmt.Errorf("get organizer: %w", err)
	}
	if organizer.Type != "" && organizer.Type != "person" {
		b.metrics.EventsIgnored.WithLabelValues("bot").Inc()
		return nil, "bot", nil
	}
	// Only a space Webex says is 1:1 is treated as one: anything else may be seen by others.
	group := roomType != "direct"
	threadRoot := ""
	if group {
		threadRoot = parentID
		if threadRoot == "" {
			// A top-level message continues the person's open dialogue in this space, if
			// any (people rarely answer in the thread); otherwise it starts one here.
			threadRoot = msgID
			if root, ok := b.openThread(ctx, roomID, personID); ok {
				threadRoot = root
			}
		}
		text = b.stripMention(text)
	}
	if len(text) > maxInputBytes {
		// Keep the dialogue's refusal meaningful without reading megabytes.
		cut := maxInputBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	t := &turn{
		key:        conversationKey(roomID, roomType, threadRoot, personID),
		roomID:     roomID,
		roomType:   roomType,
		threadRoot: threadRoot,
		personID:   personID,
		organizer:  organizer,
	}
	if at, err := time.Parse(time.RFC3339Nano, written); err == nil {
		t.written = at
	}
	if !b.allowed(organizer) {
		b.metrics.EventsIgnored.WithLabelValues("not_allowed").Inc()
		lang := conversations.DetectLang(text, b.cfg.DefaultLang)
		return nil, "not_allowed", b.reply(ctx, t, conversations.NotAllowedMessage(lang))
	}
	var mentions []conversations.Person
	for _, id := range mentioned {
		if id == b.me.ID || id == personID {
			continue
		}
		p, err := b.person(ctx, id)
		if err != nil {
			return nil, "", fmt.Errorf("get mentioned person: %w", err)
		}
		if !b.designateAllowed(p) {
			continue // an outsider is never a designate; the dialogue will look the name up
		}
		mentions = append(mentions, personOf(p))
	}
	tz := organizer.Timezone
	if tz == "" {
		tz = b.cfg.DefaultTimeZone
	}
	t.input = conversations.Input{
		Text:      text,
		EventID:   msgID,
		Organizer: personOf(organizer),
		TimeZone:  tz,
		Group:     group,
		Mentions:  mentions,
		Card:      card,
		Late:      b.lateSince(written),
	}
	if card != nil && card.Action != conversations.CardOpenForm {
		t.cardMessage = cardMsg // answered once (cards.go)
	}
	if !group && card == nil {
		first, err := b.firstContact(ctx, roomID, personID)
		if err != nil {
			return nil, "", err
		}
		t.input.FirstContact = first
	}
	return t, "", nil
}

// stripMention removes the bot's name that starts a group-space message mentioning it.
func (b *Bot) stripMention(text string) string {
	text = strings.TrimSpace(text)
	for _, name := range []string{b.me.DisplayName, b.me.FirstName, b.me.NickName} {
		if name == "" {
			continue
		}
		if len(text) >= len(name) && strings.EqualFold(text[:len(name)], name) {
			return strings.TrimLeft(text[len(name):], " ,:\u00a0")
		}
	}
	return text
}

func personOf(p webexapi.Person) conversations.Person {
	return conversations.Person{Email: p.Email(), DisplayName: p.DisplayName, FirstName: p.FirstName, LastName: p.LastName}
}

// converse runs the dialogue for one turn: the step, then each effect and the step that takes
// its result, until no effect is left; then the replies are sent. It returns the state to
// store, which the caller stores with the event's completion. Replies go out before the state
// is stored: after a crash a reply may come twice, never zero times; meetings and designate
// messages are idempotent on their own.
func (b *Bot) converse(ctx context.Context, t *turn, log *zerolog.Logger) (string, saveFunc, error) {
	conv, found, err := b.store.GetConversation(ctx, t.key)
	if err != nil {
		return "", nil, fmt.Errorf("load conversation: %w", err)
	}
	var st conversations.State
	if found && len(conv.State) > 0 {
		if err := json.Unmarshal(conv.State, &st); err != nil {
			log.Warn().Err(err).Msg("unreadable dialogue state dropped")
			st = conversations.State{}
		}
	}
	before := st.Active()
	st, replies, effects := conversations.Step(st, t.input, b.now(), b.cfg.Dialogue)
	secrets := newSecrets()
	outcome := "replied"
	for steps := 0; len(effects) > 0; steps++ {
		if steps == maxEffectsPerTurn {
			log.Error().Int("left", len(effects)).Msg("the dialogue kept asking for effects; turn cut short")
			break
		}
		e := effects[0]
		effects = effects[1:]
		res := b.execute(ctx, e, t, secrets, log)
		switch {
		case res.Kind == conversations.MeetingCreated && res.Err == nil:
			outcome = "scheduled"
			b.metrics.Dialogues.WithLabelValues("scheduled").Inc()
		case res.Kind == conversations.MeetingFailed:
			outcome = "meeting_failed"
		}
		in := t.input
		in.Text = ""
		in.Result = &res
		var more []conversations.Reply
		var next []conversations.Effect
		st, more, next = conversations.Step(st, in, b.now(), b.cfg.Dialogue)
		replies = append(replies, more...)
		effects = append(effects, next...)
	}
	if st.Active() {
		b.noteOpen(t.roomID, t.roomType)
	}
	if before && !st.Active() && outcome == "replied" {
		outcome = "ended"
		b.metrics.Dialogues.WithLabelValues("ended").Inc()
	}
	msgs := joinReplies(replies, maxReplyBytes)
	card := secrets.guardCard(lastCard(replies), t.roomType != "direct", log)
	for i, msg := range msgs {
		var c map[string]any
		if i == len(msgs)-1 {
			c = card // the dialogue's current card goes with its last message
		}
		if err := b.replyWith(ctx, t, secrets.guard(msg, t.roomType != "direct", log), c); err != nil {
			return "", nil, err
		}
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return "", nil, fmt.Errorf("encode dialogue state: %w", err)
	}
	save := func(ctx context.Context, q store.Queries) error {
		if err := b.saveState(ctx, q, t.key, st.Active(), raw, conv.Version, found, log); err != nil {
			return err
		}
		if err := b.saveMarkers(ctx, q, t); err != nil {
			return err
		}
		if t.roomType != "direct" {
			return b.setOpenThread(ctx, q, t, st.Active())
		}
		return nil
	}
	return outcome, save, nil
}

func openThreadKey(roomID, personID string) string { return "gp|" + roomID + "|" + personID }

// openThread returns the thread of the person's open dialogue in a group space.
func (b *Bot) openThread(ctx context.Context, roomID, personID string) (string, bool) {
	c, found, err := b.store.GetConversation(ctx, openThreadKey(roomID, personID))
	if err != nil || !found {
		return "", false
	}
	var root string
	if json.Unmarshal(c.State, &root) != nil || root == "" {
		return "", false
	}
	conv, found, err := b.store.GetConversation(ctx, conversationKey(roomID, "group", root, personID))
	if err != nil || !found {
		return "", false
	}
	var st conversations.State
	if json.Unmarshal(conv.State, &st) != nil || !st.Active() {
		return "", false
	}
	return root, true
}

// setOpenThread remembers (or forgets) the thread of the person's open dialogue in a group space.
func (b *Bot) setOpenThread(ctx context.Context, q store.Queries, t *turn, active bool) error {
	key := openThreadKey(t.roomID, t.personID)
	if !active {
		return q.DeleteConversation(ctx, key)
	}
	raw, _ := json.Marshal(t.threadRoot)
	c, found, err := q.GetConversation(ctx, key)
	if err != nil {
		return err
	}
	var version int64
	if found {
		if string(c.State) == string(raw) {
			return nil
		}
		version = c.Version
	}
	now := b.now()
	_, err = q.PutConversation(ctx, store.Conversation{Key: key, State: raw, UpdatedAt: now, ExpiresAt: now.Add(convoRetention)}, version)
	if errors.Is(err, store.ErrConflict) {
		return nil // another turn of this person set it meanwhile
	}
	return err
}

// saveState stores the encoded dialogue state of key, read at version (found false: none was).
func (b *Bot) saveState(ctx context.Context, q store.Queries, key string, active bool, raw []byte, version int64, found bool, log *zerolog.Logger) error {
	if !active && !found {
		return nil
	}
	if !found {
		version = 0
	}
	now := b.now()
	_, err := q.PutConversation(ctx, store.Conversation{Key: key, State: raw, UpdatedAt: now, ExpiresAt: now.Add(convoRetention)}, version)
	if errors.Is(err, store.ErrConflict) {
		// Another replica moved this conversation meanwhile: its turn stands, ours was
		// answered; keep theirs rather than overwrite.
		log.Warn().Msg("conversation changed concurrently; keeping the newer state")
		return nil
	}
	if err != nil {
		return fmt.Errorf("store conversation: %w", err)
	}
	return nil
}

// maxEffectsPerTurn bounds the effects one message may trigger (a request needs at most three:
// look the person up, create, and a retry), so a dialogue bug can never loop on Webex.
const maxEffectsPerTurn = 8

// maxReplyBytes keeps joined replies well under Webex's 7,439-byte message limit.
const maxReplyBytes = 7000

// joinReplies sends the replies of one turn as few messages as possible: one Webex call instead
// of several, and the organizer reads one answer.
func joinReplies(replies []conversations.Reply, limit int) []string {
	var out []string
	cur := ""
	for _, r := range replies {
		if r.Markdown == "" {
			continue
		}
		switch {
		case cur == "":
			cur = r.Markdown
		case len(cur)+2+len(r.Markdown) <= limit:
			cur += "\n\n" + r.Markdown
		default:
			out = append(out, cur)
			cur = r.Markdown
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// reply posts markdown to the organizer, in the thread of the request in a group space. In a
// 1:1 space, after an unclear failure or when the event is handled again, it first looks whether
// the reply is there already (see actOnce); a bot cannot read its own replies in a group space.
func (b *Bot) reply(ctx context.Context, t *turn, markdown string) error {
	return b.replyWith(ctx, t, markdown, nil)
}

// replyWith posts markdown and, when card is not nil, the card (markdown is then its fallback).
func (b *Bot) replyWith(ctx context.Context, t *turn, markdown string, card map[string]any) error {
	if markdown == "" {
		return nil
	}
	req := &webexapi.MessageRequest{RoomID: t.roomID, Markdown: markdown}
	if err := attachCard(req, card); err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	var look func(context.Context) (bool, error)
	if t.roomType != "direct" {
		req.ParentID = t.threadRoot
	} else {
		since := t.written
		if since.IsZero() {
			since = b.now().Add(-time.Minute)
		}
		look = func(ctx context.Context) (bool, error) { return b.inRoom(ctx, t.roomID, markdown, since) }
		if t.recheck {
			done, err := look(ctx)
			if err == nil && !done && !t.input.Late.IsZero() {
				// Handled again late, the reply opens with the late notice; the earlier
				// attempt may have sent it without.
				if _, rest, ok := strings.Cut(markdown, "\n\n"); ok {
					done, err = b.inRoom(ctx, t.roomID, rest, since)
				}
			}
			if err == nil && done {
				return nil
			}
		}
	}
	if err := b.actOnce(ctx, func(ctx context.Context) error { return b.webex.Messages.Send(ctx, req) }, look); err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	return nil
}

// secrets collects the host keys and passwords seen while handling one turn, so that no reply to
// a group space can carry one, whatever the dialogue produced.
type secrets struct{ values []string }

func newSecrets() *secrets { return &secrets{} }

func (s *secrets) add(v ...string) {
	for _, x := range v {
		if len(x) >= 4 {
			s.values = append(s.values, x)
		}
	}
}

func (s *secrets) guard(markdown string, group bool, log *zerolog.Logger) string {
	if !group {
		return markdown
	}
	for _, v := range s.values {
		if strings.Contains(markdown, v) {
			log.Error().Msg("a reply to a group space carried a meeting secret; redacted")
			markdown = strings.ReplaceAll(markdown, v, "••••••")
		}
	}
	return markdown
}
