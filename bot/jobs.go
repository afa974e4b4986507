package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/internal/backoff"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// Durable jobs. Whatever the bot must still do after a crash is an outbox item (store.OutboxItem):
// a kind, a unique key (recording the same key twice records it once), a JSON payload and a due
// time. The outbox poller claims due items with a lease and runs them (runJob). Every kind is one
// entry of jobKinds below: its payload type, the lane that orders it, and what runs it; a payload
// is written and read only through its kind's codec (jobCodec), never by decoding one kind's
// payload as another's.
//
// The kinds and keys are stored in databases: their strings never change.
//
//	kind                key                                   payload                  written by
//	event               event:<message id>                    webexapi.Event           acceptNow (event_life.go)
//	intake              intake:<activity id>                  webexapi.ActivityRef     recordIntake (intake_retry.go)
//	designate           designate:<ledger id>                 jobPayload               createMeeting (meeting_attempt.go)
//	designate           resend:<ledger id>:<event id>         jobPayload (Resend)      resendHostKey (effects.go)
//	reminder            reminder:<ledger id>                  store.ReminderPayload    store.ScheduleReminder
//	cancelnotice        cancelled:<ledger id>                 jobPayload               cancelMeeting (effects.go)
//	occurrenceReminder  store.OccurrenceReminderKey           store.OccurrenceReminderPayload  series.go
//	seriesnotice        seriesnotice:<ledger id>[@<start>]    jobPayload               sendSeriesNoticeOnce (series.go)
//	changed             changed:<ledger id>:<change key>      jobPayload (Before)      changeMeeting (change.go)
//	released            released:<ledger id>:<change key>     jobPayload (Before)      changeMeeting (change.go)
//	account             account:<pending authorization id>    accountPayload           accounts.Poll, by accountHandoff (accounts_carryon.go)
//	abandoned           abandoned:<ledger id>                 jobPayload               sweepAbandoned (sweep.go)
//
// A designate job keyed resend:… is a resend on request; rows written before jobPayload.Resend
// existed are told by their key alone, so both are read.

// Outbox kinds of the bot's durable jobs (store.KindReminder and store.KindOccurrenceReminder
// are the store's).
const (
	kindEvent        = "event"        // an incoming Webex event, kept until fully handled
	kindDesignate    = "designate"    // the designate's 1:1 message with the host key
	kindCancelNotice = "cancelnotice" // the designate is told their meeting was cancelled
)

func eventKey(id string) string         { return "event:" + id }
func designateKey(ledger string) string { return "designate:" + ledger }

// resendPrefix starts the key of a designate message resent on request.
const resendPrefix = "resend:"

func resendKey(ledger, eventID string) string { return resendPrefix + ledger + ":" + eventID }
func cancelledKey(ledger string) string       { return "cancelled:" + ledger }
func changedKey(ledger, change string) string { return "changed:" + ledger + ":" + change }
func releasedKey(ledger, change string) string {
	return "released:" + ledger + ":" + change
}

// jobPayload is the payload of the jobs about one ledger meeting (designate, cancel-notice,
// series-notice, changed and released jobs): ids only, never a host key or a password (they are
// fetched from Webex when the job runs).
type jobPayload struct {
	MeetingID string `json:"meetingId"`
	// Before is the meeting as it was before a change (changed and released jobs).
	Before *meetingBefore `json:"before,omitempty"`
	// Resend marks a designate message resent on request: sent whatever the space holds.
	Resend bool `json:"resend,omitempty"`
}

// jobCodec is one job kind with its payload type P: the one way to write and read that payload.
type jobCodec[P any] struct {
	kind string
	// valid reports whether a read payload can run (nil: any that decodes).
	valid func(P) bool
}

// errUnreadableJob is the error of a payload that does not decode, or not into a runnable job.
var errUnreadableJob = errors.New("unreadable payload")

// item is a new outbox item of this kind.
func (c jobCodec[P]) item(id, key string, p P, due time.Time) (store.OutboxItem, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return store.OutboxItem{}, fmt.Errorf("encode %s job: %w", c.kind, err)
	}
	return store.OutboxItem{ID: id, Key: key, Kind: c.kind, Payload: raw, DueAt: due}, nil
}

// decode reads an item's payload.
func (c jobCodec[P]) decode(it store.OutboxItem) (P, error) {
	var p P
	if err := json.Unmarshal(it.Payload, &p); err != nil {
		return p, fmt.Errorf("%w: %w", errUnreadableJob, err)
	}
	if c.valid != nil && !c.valid(p) {
		return p, errUnreadableJob
	}
	return p, nil
}

func hasMeeting(p jobPayload) bool { return p.MeetingID != "" }

func hasBefore(p jobPayload) bool { return p.MeetingID != "" && p.Before != nil }

// The codecs of the kinds.
var (
	eventJob              = jobCodec[webexapi.Event]{kind: kindEvent}
	intakeJob             = jobCodec[webexapi.ActivityRef]{kind: kindIntake, valid: func(r webexapi.ActivityRef) bool { return r.ActivityID != "" }}
	designateJob          = jobCodec[jobPayload]{kind: kindDesignate, valid: hasMeeting}
	reminderJob           = jobCodec[store.ReminderPayload]{kind: store.KindReminder, valid: func(p store.ReminderPayload) bool { return p.MeetingID != "" }}
	cancelNoticeJob       = jobCodec[jobPayload]{kind: kindCancelNotice, valid: hasMeeting}
	occurrenceReminderJob = jobCodec[store.OccurrenceReminderPayload]{kind: store.KindOccurrenceReminder,
		valid: func(p store.OccurrenceReminderPayload) bool { return p.MeetingID != "" && !p.Occurrence.IsZero() }}
	seriesNoticeJob = jobCodec[jobPayload]{kind: kindSeriesNotice, valid: hasMeeting}
	changedJob      = jobCodec[jobPayload]{kind: kindChanged, valid: hasBefore}
	releasedJob     = jobCodec[jobPayload]{kind: kindReleased, valid: hasBefore}
)

// jobRetry is the wait before a failed job is tried again: 2 s doubling, capped at 10 min,
// exact (jobs made due by one failure keep their order).
var jobRetry = backoff.Policy{Base: 2 * time.Second, Cap: 10 * time.Minute}

// meetingJobCodec is the codec of a kind whose payload is a jobPayload.
func meetingJobCodec(kind string) (jobCodec[jobPayload], bool) {
	for _, c := range []jobCodec[jobPayload]{designateJob, cancelNoticeJob, seriesNoticeJob, changedJob, releasedJob} {
		if c.kind == kind {
			return c, true
		}
	}
	return jobCodec[jobPayload]{kind: kind, valid: hasMeeting}, false
}

// jobKind is one entry of the registry: it reads a claimed item and hands it to its lane.
type jobKind interface {
	start(ctx context.Context, b *Bot, it store.OutboxItem, log *zerolog.Logger)
	// meetingID is the ledger meeting the item is about ("" for none, or unreadable).
	meetingID(it store.OutboxItem) string
}

// jobDef is a job kind: its codec, the lane that orders its jobs (jobs of one lane run one at a
// time, in claim order), its runner, which runs in that lane, and the meeting it is about.
type jobDef[P any] struct {
	codec jobCodec[P]
	// lane is nil for a job that only needs to run once at a time: its lane is its own.
	lane func(it store.OutboxItem, p P) string
	run  func(b *Bot, ctx context.Context, it store.OutboxItem, p P, log *zerolog.Logger)
	// meeting is nil for a job about no meeting.
	meeting func(p P) string
}

func (d jobDef[P]) start(ctx context.Context, b *Bot, it store.OutboxItem, log *zerolog.Logger) {
	p, err := d.codec.decode(it)
	if err != nil {
		log.Error().Err(err).Str("kind", it.Kind).Msg("unreadable job dropped")
		_ = b.store.Fail(ctx, it.ID, "unreadable payload")
		return
	}
	lane := "job|" + it.Key
	if d.lane != nil {
		lane = d.lane(it, p)
	}
	b.lanes.submit(ctx, lane, func(ctx context.Context) { d.run(b, ctx, it, p, log) })
}

func (d jobDef[P]) meetingID(it store.OutboxItem) string {
	if d.meeting == nil {
		return ""
	}
	p, err := d.codec.decode(it)
	if err != nil {
		return ""
	}
	return d.meeting(p)
}

func (p jobPayload) meetingID() string { return p.MeetingID }

// jobKinds is the registry of the job kinds the poller runs.
var jobKinds = map[string]jobKind{
	kindEvent: jobDef[webexapi.Event]{codec: eventJob,
		lane: func(_ store.OutboxItem, ev webexapi.Event) string { return laneKey(ev) },
		run:  (*Bot).resumeEvent},
	kindIntake: jobDef[webexapi.ActivityRef]{codec: intakeJob,
		lane: func(_ store.OutboxItem, ref webexapi.ActivityRef) string { return "intake|" + ref.OrderKey() },
		run:  (*Bot).resolveIntake},
	kindDesignate: jobDef[jobPayload]{codec: designateJob, run: (*Bot).runSend, meeting: jobPayload.meetingID},
	store.KindReminder: jobDef[store.ReminderPayload]{codec: reminderJob,
		run: func(b *Bot, ctx context.Context, it store.OutboxItem, p store.ReminderPayload, log *zerolog.Logger) {
			if b.remindWithoutAccount(ctx, it, p.MeetingID, time.Time{}, log) { // accounts_reminders.go
				return
			}
			b.runSend(ctx, it, jobPayload{MeetingID: p.MeetingID}, log)
		},
		meeting: func(p store.ReminderPayload) string { return p.MeetingID }},
	kindCancelNotice: jobDef[jobPayload]{codec: cancelNoticeJob, run: (*Bot).runSend, meeting: jobPayload.meetingID},
	store.KindOccurrenceReminder: jobDef[store.OccurrenceReminderPayload]{codec: occurrenceReminderJob,
		run: func(b *Bot, ctx context.Context, it store.OutboxItem, p store.OccurrenceReminderPayload, log *zerolog.Logger) {
			if b.remindWithoutAccount(ctx, it, p.MeetingID, p.Occurrence, log) { // accounts_reminders.go
				return
			}
			b.runSeriesJob(ctx, it, log, func(ctx context.Context) error { return b.remindOccurrence(ctx, p, it.Attempts > 1, log) })
		},
		meeting: func(p store.OccurrenceReminderPayload) string { return p.MeetingID }},
	kindSeriesNotice: jobDef[jobPayload]{codec: seriesNoticeJob,
		run: func(b *Bot, ctx context.Context, it store.OutboxItem, _ jobPayload, log *zerolog.Logger) {
			b.runSeriesJob(ctx, it, log, func(ctx context.Context) error { return b.resendSeriesNotice(ctx, it) })
		},
		meeting: jobPayload.meetingID},
	kindChanged:  jobDef[jobPayload]{codec: changedJob, run: (*Bot).runChangeJob, meeting: jobPayload.meetingID},
	kindReleased: jobDef[jobPayload]{codec: releasedJob, run: (*Bot).runChangeJob, meeting: jobPayload.meetingID},
	kindAccount:  jobDef[accountPayload]{codec: accountJob, lane: accountLane, run: (*Bot).runAccountJob},

	kindAbandoned: jobDef[jobPayload]{codec: abandonedJob, run: (*Bot).runAbandoned, meeting: jobPayload.meetingID}, // sweep.go
}

// jobMeetingID is the ledger meeting a claimed item is about ("" for none, or unreadable).
func jobMeetingID(it store.OutboxItem) string {
	if k, ok := jobKinds[it.Kind]; ok {
		return k.meetingID(it)
	}
	return ""
}

// pollOutbox runs due jobs: reminders, retries of failed sends, events and sends left behind by
// a process that stopped.
func (b *Bot) pollOutbox(ctx context.Context) {
	t := time.NewTicker(b.cfg.PollInterval)
	defer t.Stop()
	var swept time.Time
	for {
		if now := b.now(); now.Sub(swept) >= b.sweepEvery() { // sweep.go
			b.sweepAbandoned(ctx)
			swept = now
		}
		b.runDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-b.poke:
		}
	}
}

func (b *Bot) runDue(ctx context.Context) {
	for ctx.Err() == nil {
		// Claim only what the lanes can start soon: a job that waits in a lane longer than
		// its lease would be claimed again by another worker.
		room := 50 - b.lanes.pending()
		if room <= 0 {
			return
		}
		items, err := b.store.ClaimDue(ctx, b.cfg.Owner, b.now(), b.cfg.Lease, room)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Error().Err(err).Msg("cannot claim due jobs")
			}
			return
		}
		for _, it := range items {
			b.runJob(ctx, it)
		}
		if len(items) < room {
			return
		}
	}
}

// runJob hands a claimed item to its kind's runner.
func (b *Bot) runJob(ctx context.Context, it store.OutboxItem) {
	log := b.log.With().Str("job", it.Key).Int("attempt", it.Attempts).Logger()
	// Jobs run with the bot's context, not the poller's: a stopping poller must not cut them.
	ctx = context.WithoutCancel(ctx)
	ctx = b.asJobOrganizer(ctx, it) // accounts.go: the organizer's own token, if so configured
	k, ok := jobKinds[it.Kind]
	if !ok {
		log.Error().Str("kind", it.Kind).Msg("unknown job kind dropped")
		_ = b.store.Fail(ctx, it.ID, "unknown kind")
		return
	}
	k.start(ctx, b, it, &log)
}

// isResend reports whether a designate job is a resend on request (see the table above).
func isResend(it store.OutboxItem, p jobPayload) bool {
	return p.Resend || strings.HasPrefix(it.Key, resendPrefix)
}

// jobMeeting reads a claimed job's ledger meeting. ok is false when the job must not run (taken
// over meanwhile; its meeting gone: failed; the store unavailable: retried later).
func (b *Bot) jobMeeting(ctx context.Context, it store.OutboxItem, meetingID string, log *zerolog.Logger) (ledger store.Meeting, ok bool) {
	if !b.stillMine(ctx, it) {
		log.Warn().Msg("job taken over or finished meanwhile; skipped")
		return ledger, false
	}
	ledger, err := b.store.GetMeeting(ctx, meetingID)
	if errors.Is(err, store.ErrNotFound) {
		_ = b.store.Fail(ctx, it.ID, "meeting not in the ledger")
		return ledger, false
	}
	if err != nil {
		b.retryJob(ctx, it, err, log)
		return ledger, false
	}
	return ledger, true
}

// retryJob makes a job due again later, or gives it up and tells the organizer.
func (b *Bot) retryJob(ctx context.Context, it store.OutboxItem, cause error, log *zerolog.Logger) {
	if it.Attempts < b.cfg.MaxSendAttempts {
		log.Warn().Err(cause).Msg("job failed; will retry")
		_ = b.store.Retry(ctx, it.ID, b.now().Add(jobRetry.Delay(it.Attempts)), cause.Error())
		return
	}
	log.Error().Err(cause).Msg("job given up")
	_ = b.store.Fail(ctx, it.ID, cause.Error())
	if it.Kind != kindDesignate && it.Kind != kindChanged {
		return
	}
	codec, _ := meetingJobCodec(it.Kind)
	p, err := codec.decode(it)
	if err != nil {
		return
	}
	ledger, err := b.store.GetMeeting(ctx, p.MeetingID)
	if err != nil || ledger.RoomID == "" {
		return
	}
	notice := conversations.DeliveryFailedNotice(nlu.Lang(ledger.Lang), ledgerDetails(ledger))
	if err := b.webex.Messages.Send(ctx, &webexapi.MessageRequest{ToPersonEmail: ledger.OrganizerEmail, Markdown: notice}); err != nil {
		log.Error().Err(err).Msg("cannot tell the organizer the designate was not reached")
	}
}
