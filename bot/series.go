package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/rrule"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// Recurring meetings. A series is one Webex meeting with a `recurrence`; the ledger keeps its
// RRULE (store.Series). Webex renews the host key after each occurrence, so each occurrence has
// its own reminder carrying the key fetched for that occurrence; the reminders are chained (the
// next one is scheduled when the previous one is done), so a series never has more than one
// pending. Cancelling one occurrence deletes that scheduled meeting in Webex; cancelling the
// series deletes the series.

// kindSeriesNotice is the outbox kind of the designate's notice that one occurrence, or the
// whole series, was cancelled. The key carries the occurrence: seriesnotice:<id>[@<start>].
const kindSeriesNotice = "seriesnotice"

// occurrenceLayout writes an occurrence's start in keys, as Webex writes it in occurrence ids.
const occurrenceLayout = "20060102T150405Z"

// errDropJob marks a job that can never succeed (unreadable, its meeting gone from the ledger).
var errDropJob = errors.New("job cannot run")

// seriesOf returns the series of a ledger meeting; ok is false for one meeting.
func (b *Bot) seriesOf(ctx context.Context, ref string) (store.Series, bool) {
	s, err := b.store.GetSeries(ctx, ref)
	return s, err == nil
}

func zoneOf(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

// seriesRecords are the writes that go with the creation of a series: the series itself and the
// reminder before its first occurrence (unless it starts too soon for one: the designate has just
// received the key).
func (b *Bot) seriesRecords(ledger store.Meeting, recurrence string) []saveFunc {
	if recurrence == "" {
		return nil
	}
	rule, err := rrule.Parse(recurrence)
	if err != nil {
		b.log.Error().Err(err).Str("meeting", ledger.ID).Msg("unreadable recurrence: no per-occurrence reminders")
		return nil
	}
	start := ledger.Start.In(zoneOf(ledger.TimeZone))
	s := store.Series{MeetingID: ledger.ID, Recurrence: recurrence}
	if last, ok := rule.Last(start); ok {
		s.LastEnd = last.Add(ledger.End.Sub(ledger.Start))
	}
	out := []saveFunc{func(ctx context.Context, q store.Queries) error { return q.SaveSeries(ctx, s) }}
	if occ, at, ok := b.nextReminder(rule, start, time.Time{}, true); ok {
		out = append(out, func(ctx context.Context, q store.Queries) error {
			return scheduleOccurrenceReminder(ctx, q, ledger.ID, occ, at)
		})
	}
	return out
}

// nextReminder finds the first occurrence after `after` that is still ahead, and when to remind
// the designate of it. strict skips occurrences whose reminder time has passed (at creation);
// otherwise a late reminder is due at once.
func (b *Bot) nextReminder(rule rrule.Rule, first, after time.Time, strict bool) (occ, at time.Time, ok bool) {
	if b.cfg.ReminderBefore <= 0 {
		return time.Time{}, time.Time{}, false
	}
	now := b.now()
	for _, o := range rule.Occurrences(first, 5000) {
		if !o.After(after) || !o.After(now) {
			continue
		}
		at = o.Add(-b.cfg.ReminderBefore)
		if !at.After(now) {
			if strict {
				continue
			}
			at = now
		}
		return o, at, true
	}
	return time.Time{}, time.Time{}, false
}

func scheduleOccurrenceReminder(ctx context.Context, q store.Queries, meetingID string, occ, at time.Time) error {
	item, err := occurrenceReminderJob.item("", store.OccurrenceReminderKey(meetingID, occ),
		store.OccurrenceReminderPayload{MeetingID: meetingID, Occurrence: occ.UTC()}, at)
	if err != nil {
		return err
	}
	_, err = q.Enqueue(ctx, item)
	return err
}

// getCurrent is how to read a ledger meeting's key fresh: for a series, the current or next
// occurrence's (current=true), since Webex renews the key after each occurrence.
func (b *Bot) getCurrent(ctx context.Context, m store.Meeting) *webexapi.MeetingGetOptions {
	_, series := b.seriesOf(ctx, m.ID)
	return &webexapi.MeetingGetOptions{HostEmail: m.OrganizerEmail, Current: series}
}

// findOccurrence returns the scheduled meeting of a series that starts at `at`, read fresh from
// Webex (its host key is that occurrence's); nil when there is none (it was cancelled).
func (b *Bot) findOccurrence(ctx context.Context, ledger store.Meeting, at time.Time) (*webexapi.Meeting, error) {
	page, err := b.meetings.Meetings.List(ctx, &webexapi.MeetingListOptions{
		MeetingSeriesID: ledger.WebexMeetingID, MeetingType: "scheduledMeeting", HostEmail: ledger.OrganizerEmail,
		From: webexapi.FormatTime(at.Add(-time.Minute)), To: webexapi.FormatTime(at.Add(time.Minute)),
	})
	if webexapi.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, item := range page.Items {
		if !item.StartTime().Equal(at) {
			continue
		}
		m, err := b.meetings.Meetings.Get(ctx, item.ID, &webexapi.MeetingGetOptions{HostEmail: ledger.OrganizerEmail})
		if webexapi.IsNotFound(err) {
			return nil, nil
		}
		return m, err
	}
	return nil, nil
}

// runSeriesJob runs an occurrence's reminder or a series notice (work).
func (b *Bot) runSeriesJob(ctx context.Context, it store.OutboxItem, log *zerolog.Logger, work func(context.Context) error) {
	if !b.stillMine(ctx, it) {
		log.Warn().Msg("job taken over or finished meanwhile; skipped")
		return
	}
	hold := b.holdLease(ctx, it.ID, time.Time{})
	err := work(ctx)
	hold.release()
	switch {
	case errors.Is(err, errDropJob):
		log.Error().Err(err).Msg("series job dropped")
		_ = b.store.Fail(ctx, it.ID, err.Error())
	case err != nil:
		b.retryJob(ctx, it, err, log)
	default:
		_ = b.store.Complete(ctx, it.ID)
		log.Info().Msg("job done")
	}
}

// remindOccurrence sends the designate the reminder of one occurrence with that occurrence's
// host key, fetched now, after scheduling the reminder of the next occurrence.
func (b *Bot) remindOccurrence(ctx context.Context, p store.OccurrenceReminderPayload, again bool, log *zerolog.Logger) error {
	ledger, err := b.store.GetMeeting(ctx, p.MeetingID)
	if errors.Is(err, store.ErrNotFound) {
		return errDropJob
	}
	if err != nil {
		return err
	}
	if ledger.Status != store.MeetingCreated {
		return nil // the series was cancelled: no reminder, and no next one
	}
	series, err := b.store.GetSeries(ctx, ledger.ID)
	if err != nil {
		return errors.Join(errDropJob, err)
	}
	rule, err := rrule.Parse(series.Recurrence)
	if err != nil {
		return errors.Join(errDropJob, err)
	}
	// The next reminder first: scheduling it twice is harmless (same key), losing it is not.
	if occ, at, ok := b.nextReminder(rule, ledger.Start.In(zoneOf(ledger.TimeZone)), p.Occurrence, false); ok {
		if err := scheduleOccurrenceReminder(ctx, b.store, ledger.ID, occ, at); err != nil {
			return err
		}
		b.Poke()
	}
	if !b.now().Before(p.Occurrence) {
		log.Info().Msg("occurrence reminder come due too late; dropped")
		return nil
	}
	// Checked against the settings of now, as for a single meeting's reminder: the designate
	// may have left the allowed domains or organization since the series was created.
	if ok, err := b.designateEmailAllowed(ctx, ledger.DesignateEmail); err != nil {
		return err
	} else if !ok {
		log.Warn().Str("meeting", ledger.ID).Msg("the designate is no longer allowed: their key is not sent")
		return nil
	}
	m, err := b.findOccurrence(ctx, ledger, p.Occurrence)
	if err != nil {
		// Webex refusing the organizer's own token: forgotten, so that the next attempt sends
		// the reminder without the key and tells the organizer why (remindWithoutAccount).
		b.meetingsFailure(ctx, ledger.OrganizerEmail, err, log)
		return err
	}
	if m == nil {
		log.Info().Str("meeting", ledger.ID).Msg("occurrence cancelled: no reminder")
		return nil
	}
	d := detailsOf(m, ledger)
	d.Recurrence = ""
	// An earlier attempt may have reached Webex.
	reminder := conversations.ReminderMessage(nlu.Lang(ledger.Lang), d, b.cfg.ReminderBefore)
	if sent, err := b.sendTextOnce(ctx, ledger.DesignateEmail, reminder, again); err != nil || !sent {
		return err
	}
	b.metrics.RemindersSent.Inc()
	log.Info().Str("meeting", ledger.ID).Time("occurrence", p.Occurrence).Msg("occurrence reminder sent")
	return nil
}

// cancelInSeries cancels one occurrence of a series (e.Occurrence set) or the whole series, and
// tells the designate.
func (b *Bot) cancelInSeries(ctx context.Context, e conversations.Effect, series store.Series, t *turn, log *zerolog.Logger) conversations.Result {
	res := conversations.Result{Kind: conversations.MeetingCancelled}
	m, f := b.ownMeeting(ctx, e.Ref, t)
	if f != nil {
		res.Err = f
		return res
	}
	del := &webexapi.MeetingDeleteOptions{HostEmail: m.OrganizerEmail, SendEmail: webexapi.Bool(true)}
	details := ledgerDetails(m)
	details.Recurrence = series.Recurrence
	if e.Occurrence.IsZero() {
		if err := b.meetings.Meetings.Delete(ctx, m.WebexMeetingID, del); err != nil && !webexapi.IsNotFound(err) {
			log.Error().Err(err).Str("meeting", m.ID).Msg("cannot cancel the series")
			res.Err, _ = b.meetingsFailure(ctx, m.OrganizerEmail, err, log) // accounts_failures.go
			return res
		}
		cancelled := func(ctx context.Context, q store.Queries) error { return q.MarkMeetingCancelled(ctx, m.ID) }
		b.sendSeriesNoticeOnce(ctx, m, time.Time{}, log, cancelled)
		log.Info().Str("meeting", m.ID).Msg("series cancelled")
		res.Meeting = &details
		return res
	}
	occ, err := b.findOccurrence(ctx, m, e.Occurrence)
	if err == nil && occ == nil && !isOccurrence(series, m, e.Occurrence) {
		res.Err = &conversations.Failure{Kind: conversations.FailureNotFound, Detail: "no such occurrence"}
		return res
	}
	// A date of the series no longer in Webex was deleted already: by an attempt that stopped
	// before the designate's notice was recorded (handled again now), or in Webex itself. The
	// designate is told all the same, once (the notice's key).
	if err == nil && occ != nil {
		err = b.meetings.Meetings.Delete(ctx, occ.ID, del)
	}
	if err != nil && !webexapi.IsNotFound(err) {
		log.Error().Err(err).Str("meeting", m.ID).Msg("cannot cancel the occurrence")
		res.Err, _ = b.meetingsFailure(ctx, m.OrganizerEmail, err, log)
		return res
	}
	// The occurrence's reminder, if pending, finds it gone and only schedules the next one.
	b.sendSeriesNoticeOnce(ctx, m, e.Occurrence, log)
	log.Info().Str("meeting", m.ID).Time("occurrence", e.Occurrence).Msg("occurrence cancelled")
	details.Start, details.End = e.Occurrence, e.Occurrence.Add(m.End.Sub(m.Start))
	details.Recurrence = ""
	res.Meeting = &details
	return res
}

func seriesNoticeKey(meetingID string, occ time.Time) string {
	key := kindSeriesNotice + ":" + meetingID
	if !occ.IsZero() {
		key += "@" + occ.UTC().Format(occurrenceLayout)
	}
	return key
}

// sendSeriesNoticeOnce tells the designate, exactly once, that an occurrence (or the series when
// occ is zero) was cancelled.
func (b *Bot) sendSeriesNoticeOnce(ctx context.Context, ledger store.Meeting, occ time.Time, log *zerolog.Logger, with ...saveFunc) {
	b.sendJobOnce(ctx, kindSeriesNotice, seriesNoticeKey(ledger.ID, occ), ledger, func(ctx context.Context) error {
		return b.sendText(ctx, ledger.DesignateEmail, b.seriesNotice(ctx, ledger, occ))
	}, log, with...)
}

func (b *Bot) seriesNotice(ctx context.Context, ledger store.Meeting, occ time.Time) string {
	d := ledgerDetails(ledger)
	lang := nlu.Lang(ledger.Lang)
	if occ.IsZero() {
		if s, err := b.store.GetSeries(ctx, ledger.ID); err == nil {
			d.Recurrence = s.Recurrence
		}
		return conversations.SeriesCancelledNotice(lang, d)
	}
	d.Start, d.End = occ, occ.Add(ledger.End.Sub(ledger.Start))
	return conversations.OccurrenceCancelledNotice(lang, d)
}

// seriesNoticeOf reads a series notice's key (seriesNoticeKey): its meeting and occurrence (zero:
// the whole series). The occurrence is carried by the key only.
func seriesNoticeOf(key string) (meetingID string, occ time.Time, err error) {
	rest := strings.TrimPrefix(key, kindSeriesNotice+":")
	id, at, _ := strings.Cut(rest, "@")
	if at != "" {
		if occ, err = time.Parse(occurrenceLayout, at); err != nil {
			return "", time.Time{}, err
		}
	}
	return id, occ, nil
}

// resendSeriesNotice retries a series notice from the outbox.
func (b *Bot) resendSeriesNotice(ctx context.Context, it store.OutboxItem) error {
	id, occ, err := seriesNoticeOf(it.Key)
	if err != nil {
		return errDropJob
	}
	ledger, err := b.store.GetMeeting(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return errDropJob
	}
	if err != nil {
		return err
	}
	// Its first attempt, right after the cancellation, may have reached Webex.
	_, err = b.sendTextOnce(ctx, ledger.DesignateEmail, b.seriesNotice(ctx, ledger, occ), true)
	return err
}

// withSeries completes the organizer's list: a series shows once, at its next occurrence (read
// from Webex, which knows the cancelled ones), including a series whose first occurrence has
// passed.
func (b *Bot) withSeries(ctx context.Context, t *turn, ms []conversations.MeetingSummary) []conversations.MeetingSummary {
	if more, err := b.store.ListUpcomingSeries(ctx, t.organizer.Email(), b.now(), 20); err == nil {
		for _, m := range more {
			if !slices.ContainsFunc(ms, func(s conversations.MeetingSummary) bool { return s.Ref == m.ID }) {
				ms = append(ms, summaryOf(m))
			}
		}
	}
	now := b.now()
	for i := range ms {
		s, err := b.store.GetSeries(ctx, ms[i].Ref)
		if err != nil {
			continue
		}
		length := ms[i].End.Sub(ms[i].Start)
		ms[i].Recurrence, ms[i].SeriesStart = s.Recurrence, ms[i].Start
		if ledger, err := b.store.GetMeeting(ctx, ms[i].Ref); err == nil {
			cur, err := b.meetings.Meetings.Get(ctx, ledger.WebexMeetingID, &webexapi.MeetingGetOptions{HostEmail: ledger.OrganizerEmail, Current: true})
			if err == nil && !cur.StartTime().IsZero() {
				ms[i].Start, ms[i].End = cur.StartTime().UTC(), cur.EndTime().UTC()
				continue
			}
		}
		if rule, err := rrule.Parse(s.Recurrence); err == nil { // Webex unreachable: the rule's next date
			for _, o := range rule.Occurrences(ms[i].Start.In(zoneOf(ms[i].TimeZone)), 5000) {
				if o.Add(length).After(now) {
					ms[i].Start, ms[i].End = o.UTC(), o.Add(length).UTC()
					break
				}
			}
		}
	}
	slices.SortStableFunc(ms, func(a, b conversations.MeetingSummary) int { return a.Start.Compare(b.Start) })
	return ms
}

// isOccurrence reports whether at is one of the dates of a series' rule.
func isOccurrence(s store.Series, m store.Meeting, at time.Time) bool {
	rule, err := rrule.Parse(s.Recurrence)
	if err != nil {
		return false
	}
	for _, o := range rule.Occurrences(m.Start.In(zoneOf(m.TimeZone)), 5000) {
		if o.Equal(at) {
			return true
		}
		if o.After(at) {
			return false
		}
	}
	return false
}
