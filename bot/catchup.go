package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// The catch-up: nothing depends on Webex sending an event twice. Webex promises no replay of
// the websocket frames a process did not acknowledge, and no retry of a webhook delivery that
// failed. So whenever the intake may have missed messages, the bot lists them itself: spaces by
// last activity, then their messages (in a 1:1 space the person's; in a group space those that
// mention the bot, the only ones Webex shows a bot), oldest first. Each message not recorded yet
// goes through the normal path, whose record under the message id drops duplicates.
//
// When: at start-up (since the mark, below), after every reconnection (since the disconnection),
// after an event could not be recorded (since that event), when asked (CatchUpSince), and every
// CatchUpConfig.Interval for the spaces with an open dialogue, as a safety net.
//
// The mark is the instant before which everything was seen or caught up; it is stored, so that
// a restart knows where to start. A database that has no mark yet (the first start) catches
// nothing up: it knows of nothing missed.

// CatchUpConfig bounds the catch-up. Zero fields take defaults.
type CatchUpConfig struct {
	// Window is how far back a catch-up looks at most (default 24 h).
	Window time.Duration
	// MaxSpaces is how many spaces one catch-up reads at most, most recently active first
	// (default 500).
	MaxSpaces int
	// PerSpace is how many messages of one space a catch-up reads at most (default 100).
	PerSpace int
	// Interval is how often the spaces with an open dialogue are checked (default 5 min).
	Interval time.Duration
	// Settle is how old a message must be before the periodic check takes it (it may still be
	// on its way through the intake), and the margin kept around every window (default 30 s).
	Settle time.Duration
}

func (c CatchUpConfig) withDefaults() CatchUpConfig {
	if c.Window <= 0 {
		c.Window = 24 * time.Hour
	}
	if c.MaxSpaces <= 0 {
		c.MaxSpaces = 500
	}
	if c.PerSpace <= 0 {
		c.PerSpace = 100
	}
	if c.Interval <= 0 {
		c.Interval = 5 * time.Minute
	}
	if c.Settle <= 0 {
		c.Settle = 30 * time.Second
	}
	return c
}

// Catch-up triggers, as logged and counted.
const (
	catchUpStartup   = "startup"
	catchUpReconnect = "reconnect"
	catchUpIntake    = "intake_failure"
	catchUpWebhook   = "webhook_reactivated"
	catchUpPeriodic  = "periodic"
)

// sourceCatchUp marks the events the catch-up found.
const sourceCatchUp webexapi.EventSource = "catchup"

// markKey stores the catch-up mark beside the conversations (its state is a JSON instant).
const markKey = "relais|catchup-mark"

// window is a span of time whose messages are caught up.
type window struct {
	since, until time.Time
	reason       string
	// rooms, when not nil, are the only spaces to read (those a failed catch-up could not
	// read); nil reads the spaces active in the window.
	rooms []webexapi.Room
}

// catchUp is the catch-up's state: the window waiting to be caught up, the intake's state and
// the spaces with an open dialogue.
type catchUp struct {
	metrics *catchUpMetrics
	wake    chan struct{}

	mu        sync.Mutex
	pending   *window
	up        bool      // the intake delivers events
	started   bool      // the intake was up once
	downSince time.Time // when it stopped delivering
	lastCheck time.Time // the last periodic check's upper bound
	open      map[string]openSpace
	// fresh: this process gave a new database its first mark (markFirstStart); its start-up
	// catch-up has nothing to look for.
	fresh bool
}

// openSpace is a space with an open dialogue, checked periodically until its dialogue expires.
type openSpace struct {
	roomType string
	until    time.Time
}

func newCatchUp(m *catchUpMetrics) *catchUp {
	return &catchUp{metrics: m, wake: make(chan struct{}, 1), open: map[string]openSpace{}}
}

// want merges w into the window waiting to be caught up and wakes the catch-up.
func (c *catchUp) want(w window) {
	c.keep(w)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// keep merges w into the window waiting to be caught up.
func (c *catchUp) keep(w window) {
	c.mu.Lock()
	if c.pending == nil {
		c.pending = &w
	} else {
		if w.since.Before(c.pending.since) {
			c.pending.since = w.since
		}
		if w.until.After(c.pending.until) {
			c.pending.until = w.until
		}
		if c.pending.reason != w.reason {
			c.pending.reason = w.reason // the latest says why it runs now
		}
		if c.pending.rooms == nil || w.rooms == nil {
			c.pending.rooms = nil
		} else {
			c.pending.rooms = append(c.pending.rooms, w.rooms...)
		}
	}
	c.mu.Unlock()
}

// IntakeUp tells the bot that the intake (the websocket, the webhook receiver) delivers events
// since at. The first time, the bot catches up since the stored mark; after an interruption,
// since the interruption.
func (b *Bot) IntakeUp(at time.Time) {
	c := b.catchup
	c.mu.Lock()
	first := !c.started
	wasDown := !c.up
	down := c.downSince
	c.started, c.up, c.downSince = true, true, time.Time{}
	c.mu.Unlock()
	switch {
	case first:
		c.want(window{until: at, reason: catchUpStartup}) // since: the mark, read when it runs
	case wasDown:
		if down.IsZero() {
			down = at
		}
		c.want(window{since: down.Add(-b.cfg.CatchUp.Settle), until: at, reason: catchUpReconnect})
	}
}

// IntakeDown tells the bot that the intake stopped delivering events at at (the websocket was
// cut): events may be missed until it is up again.
func (b *Bot) IntakeDown(at time.Time) {
	c := b.catchup
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.up || c.downSince.IsZero() {
		c.downSince = at
	}
	c.up = false
}

// CatchUpSince asks for a catch-up of the messages written since the given instant: the webhook
// receiver was unreachable, Webex disabled the webhook, an event could not be recorded.
func (b *Bot) CatchUpSince(since time.Time, reason string) {
	b.catchup.want(window{since: since.Add(-b.cfg.CatchUp.Settle), until: b.now(), reason: reason})
}

// noteOpen keeps a space with an open dialogue in the periodic check until the dialogue would
// have expired.
func (b *Bot) noteOpen(roomID, roomType string) {
	c := b.catchup
	until := b.now().Add(b.cfg.Dialogue.IdleTimeout + time.Minute)
	if b.cfg.Dialogue.IdleTimeout <= 0 {
		until = until.Add(30 * time.Minute)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.open[roomID]; !ok && len(c.open) >= b.cfg.CatchUp.MaxSpaces {
		return // bounded; the others are still caught up after an interruption
	}
	c.open[roomID] = openSpace{roomType: roomType, until: until}
}

// runCatchUp catches up what is asked, and checks the spaces with an open dialogue every
// Interval, until ctx ends.
func (b *Bot) runCatchUp(ctx context.Context) {
	tick := time.NewTicker(b.cfg.CatchUp.Interval)
	defer tick.Stop()
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.catchup.wake:
		case <-retry.C:
		case <-tick.C:
			b.periodicCheck(ctx)
			continue
		}
		c := b.catchup
		c.mu.Lock()
		w := c.pending
		c.pending = nil
		c.mu.Unlock()
		if w == nil {
			continue
		}
		if left, err := b.catchUpWindow(ctx, *w); err != nil {
			if ctx.Err() != nil {
				return
			}
			// Try again later what could not be read (merged with anything asked meanwhile).
			failures++
			w.rooms = left
			c.keep(*w)
			retry.Reset(jobRetry.Delay(failures))
			continue
		}
		failures = 0
	}
}

// catchUpWindow reads the spaces active in w and hands over the messages not recorded yet;
// then it moves the mark to w.until. On failure it returns the spaces left to read (nil: all).
func (b *Bot) catchUpWindow(ctx context.Context, w window) ([]webexapi.Room, error) {
	if w.since.IsZero() {
		mark, ok, err := b.readMark(ctx)
		if err != nil {
			b.catchup.metrics.runs.WithLabelValues(w.reason, "error").Inc()
			return nil, fmt.Errorf("read the catch-up mark: %w", err)
		}
		b.catchup.mu.Lock()
		fresh := b.catchup.fresh && w.reason == catchUpStartup
		b.catchup.mu.Unlock()
		if !ok || fresh {
			// A new database: nothing is known to be missed.
			b.log.Info().Msg("catch-up: first start of this database, nothing to catch up")
			return nil, b.writeMark(ctx, w.until)
		}
		w.since = mark
	}
	if floor := b.now().Add(-b.cfg.CatchUp.Window); w.since.Before(floor) {
		b.log.Warn().Time("since", w.since).Time("floor", floor).Msg("catch-up: the window is older than RELAIS_CATCHUP_WINDOW; older messages are not caught up")
		w.since = floor
	}
	rooms := w.rooms
	var err error
	if rooms == nil {
		// A whole window: the spaces joined in it first (catchup_greeting.go); when that
		// fails, nothing was read yet and the whole window is tried again.
		err = b.greetMissed(ctx, w)
		if err == nil {
			rooms, err = b.activeSpaces(ctx, w.since)
		}
	}
	var left []webexapi.Room
	if err == nil {
		left, err = b.catchUpSpaces(ctx, w, rooms)
	}
	if err != nil {
		b.catchup.metrics.runs.WithLabelValues(w.reason, "error").Inc()
		b.log.Warn().Err(err).Str("trigger", w.reason).Int("left", len(left)).Msg("catch-up failed; will try again")
		return left, err
	}
	return nil, b.writeMark(ctx, w.until)
}

// periodicCheck catches up the spaces with an open dialogue since the previous check, and moves
// the mark when the intake has delivered all along.
func (b *Bot) periodicCheck(ctx context.Context) {
	c := b.catchup
	now := b.now()
	until := now.Add(-b.cfg.CatchUp.Settle)
	c.mu.Lock()
	since := c.lastCheck
	if since.IsZero() {
		since = until.Add(-b.cfg.CatchUp.Interval)
	}
	var rooms []webexapi.Room
	for id, s := range c.open {
		if now.After(s.until) {
			delete(c.open, id)
			continue
		}
		rooms = append(rooms, webexapi.Room{ID: id, Type: s.roomType})
	}
	healthy := c.up && c.pending == nil
	c.mu.Unlock()
	w := window{since: since.Add(-b.cfg.CatchUp.Settle), until: until, reason: catchUpPeriodic}
	if _, err := b.catchUpSpaces(ctx, w, rooms); err != nil {
		b.catchup.metrics.runs.WithLabelValues(w.reason, "error").Inc()
		b.log.Warn().Err(err).Msg("periodic catch-up failed; the next one covers its window")
		return
	}
	c.mu.Lock()
	c.lastCheck = until
	c.mu.Unlock()
	if healthy {
		if err := b.writeMark(ctx, until); err != nil {
			b.log.Warn().Err(err).Msg("cannot store the catch-up mark")
		}
	}
}

// activeSpaces lists the spaces active since the given instant, most recent first, bounded by
// MaxSpaces.
func (b *Bot) activeSpaces(ctx context.Context, since time.Time) ([]webexapi.Room, error) {
	var rooms []webexapi.Room
	opts := &webexapi.RoomListOptions{SortBy: "lastactivity", Max: min(100, b.cfg.CatchUp.MaxSpaces)}
	for r, err := range b.webex.Rooms.All(ctx, opts) {
		if err != nil {
			return nil, err
		}
		if at, err := time.Parse(time.RFC3339Nano, r.LastActivity); err == nil && at.Before(since) {
			break // most recent first: the rest is older still
		}
		if len(rooms) == b.cfg.CatchUp.MaxSpaces {
			b.log.Warn().Int("spaces", len(rooms)).Msg("catch-up: more spaces were active than RELAIS_CATCHUP_MAX_SPACES; the least recent are not caught up")
			break
		}
		rooms = append(rooms, r)
	}
	return rooms, nil
}

// catchUpWorkers is how many spaces a catch-up reads at once (the per-token rate still holds).
const catchUpWorkers = 8

// catchUpSpaces hands over, space by space, the messages of w not recorded yet, oldest first in
// each space. It returns the spaces it could not read, with the first error.
func (b *Bot) catchUpSpaces(ctx context.Context, w window, rooms []webexapi.Room) ([]webexapi.Room, error) {
	start := b.now()
	var (
		mu           sync.Mutex
		found, known int
		left         []webexapi.Room
		firstErr     error
		wg           sync.WaitGroup
	)
	next := make(chan webexapi.Room)
	for range min(catchUpWorkers, len(rooms)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for room := range next {
				f, k, err := b.catchUpSpace(ctx, w, room)
				mu.Lock()
				found, known = found+f, known+k
				if err != nil {
					left = append(left, room)
					if firstErr == nil {
						firstErr = err
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, room := range rooms {
		select {
		case next <- room:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	b.catchup.metrics.messages.WithLabelValues("recovered").Add(float64(found))
	b.catchup.metrics.messages.WithLabelValues("known").Add(float64(known))
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return left, firstErr
	}
	b.catchup.metrics.runs.WithLabelValues(w.reason, "ok").Inc()
	b.catchup.metrics.duration.Observe(b.now().Sub(start).Seconds())
	if found > 0 || w.reason != catchUpPeriodic {
		b.log.Info().Str("trigger", w.reason).Time("since", w.since).Time("until", w.until).Int("spaces", len(rooms)).
			Int("recovered", found).Int("known", known).Dur("duration", b.now().Sub(start)).Msg("catch-up done")
	}
	return nil, nil
}

// catchUpSpace hands over the messages of one space written in w and not recorded yet, oldest
// first; it counts them, and those recorded already.
func (b *Bot) catchUpSpace(ctx context.Context, w window, room webexapi.Room) (found, known int, err error) {
	msgs, err := b.missedIn(ctx, room, w)
	if webexapi.IsNotFound(err) || webexapi.IsForbidden(err) {
		b.log.Debug().Err(err).Str("room", room.ID).Msg("catch-up: space no longer readable; skipped")
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	b.catchup.metrics.spaces.Inc()
	for _, m := range msgs {
		if ctx.Err() != nil {
			return found, known, ctx.Err()
		}
		_, err := b.store.GetOutboxItem(ctx, eventKey(m.ID))
		if errors.Is(err, store.ErrNotFound) {
			// Not read yet by the intake, which may have it waiting (intake_retry.go).
			_, err = b.store.GetOutboxItem(ctx, intakeKey(webexapi.UUIDOf(m.ID)))
		}
		if err == nil {
			known++
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return found, known, fmt.Errorf("read the event record: %w", err)
		}
		found++
		b.log.Info().Str("event", m.ID).Str("trigger", w.reason).Str("written", m.Created).Msg("catch-up: a missed message is handled now")
		msg := m
		if msg.RoomType == "" {
			msg.RoomType = room.Type
		}
		created, _ := time.Parse(time.RFC3339Nano, msg.Created)
		// Handled with the bot's context: a stopping catch-up must not cut it. Handled only
		// once recorded: a message the store cannot record now is caught up again later,
		// rather than answered without a record (and answered again by the next catch-up).
		recorded := make(chan error, 1)
		b.accept(context.WithoutCancel(ctx), webexapi.Event{
			Kind: webexapi.EventMessageCreated, Source: sourceCatchUp, ID: msg.ID,
			RoomID: msg.RoomID, RoomType: msg.RoomType, PersonID: msg.PersonID, PersonEmail: msg.PersonEmail,
			ParentID: msg.ParentID, Created: created, Message: &msg, Ready: wallNow(), Accepted: recorded,
		})
		select {
		case err := <-recorded:
			if err != nil {
				return found - 1, known, fmt.Errorf("record a missed message: %w", err)
			}
		default:
		}
	}
	return found, known, nil
}

// missedIn lists the messages of a space written in w, oldest first, the bot's own left out: in a
// 1:1 space all of them, in a group space those that mention the bot.
func (b *Bot) missedIn(ctx context.Context, room webexapi.Room, w window) ([]webexapi.Message, error) {
	opts := &webexapi.MessageListOptions{RoomID: room.ID, Max: min(50, b.cfg.CatchUp.PerSpace)}
	if room.Type != webexapi.RoomTypeDirect {
		opts.MentionedPeople = []string{"me"}
	}
	var out []webexapi.Message
	read := 0
	for m, err := range b.webex.Messages.All(ctx, opts) {
		if err != nil {
			return nil, err
		}
		read++
		at, perr := time.Parse(time.RFC3339Nano, m.Created)
		if perr == nil && at.Before(w.since) {
			break // newest first: the rest is older still
		}
		if (perr == nil && at.After(w.until)) || b.isSelf(m.PersonID, m.PersonEmail) {
			continue
		}
		out = append(out, m)
		if read >= b.cfg.CatchUp.PerSpace {
			b.log.Warn().Str("room", room.ID).Int("read", read).Msg("catch-up: more messages than RELAIS_CATCHUP_PER_SPACE in one space; the oldest are not caught up")
			break
		}
	}
	slices.Reverse(out)
	return out, nil
}

// markFirstStart stores the catch-up mark of a new database before anything is taken in: the
// first start's own catch-up runs apart, and a process stopped before it ran would leave a
// database with events but no mark, which the next start would take for a first start (and so
// catch nothing up, missing what was said while it was stopped).
func (b *Bot) markFirstStart(ctx context.Context) {
	if _, ok, err := b.readMark(ctx); err == nil && !ok {
		if err := b.writeMark(ctx, b.now()); err != nil {
			b.log.Warn().Err(err).Msg("cannot store the first catch-up mark")
			return
		}
		b.catchup.mu.Lock()
		b.catchup.fresh = true
		b.catchup.mu.Unlock()
	}
}

// readMark returns the stored catch-up mark; ok is false when none was ever stored.
func (b *Bot) readMark(ctx context.Context) (mark time.Time, ok bool, err error) {
	c, found, err := b.store.GetConversation(ctx, markKey)
	if err != nil || !found {
		return time.Time{}, false, err
	}
	if err := json.Unmarshal(c.State, &mark); err != nil {
		return time.Time{}, false, nil
	}
	return mark, true, nil
}

// writeMark moves the stored mark forward to at (never back: another replica may be ahead).
func (b *Bot) writeMark(ctx context.Context, at time.Time) error {
	for range 3 {
		c, found, err := b.store.GetConversation(ctx, markKey)
		if err != nil {
			return err
		}
		var cur time.Time
		if found && json.Unmarshal(c.State, &cur) == nil && !cur.Before(at) {
			return nil
		}
		raw, _ := json.Marshal(at.UTC())
		version := int64(0)
		if found {
			version = c.Version
		}
		_, err = b.store.PutConversation(ctx, store.Conversation{Key: markKey, State: raw, UpdatedAt: b.now()}, version)
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return nil
}
