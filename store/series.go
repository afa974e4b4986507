package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Series is what the ledger keeps about a meeting that is a Webex series.
type Series struct {
	// MeetingID is the ledger id (Meeting.ID).
	MeetingID string
	// Recurrence is the RRULE the series was created with.
	Recurrence string
	// LastEnd is the end of the last occurrence; zero when the series never ends.
	LastEnd time.Time
}

// KindOccurrenceReminder is the outbox kind of the reminder before one occurrence of a series.
// Its key is OccurrenceReminderKey, its payload an OccurrenceReminderPayload.
const KindOccurrenceReminder = "occurrenceReminder"

// OccurrenceReminderPayload is the payload of a KindOccurrenceReminder item.
type OccurrenceReminderPayload struct {
	// MeetingID is the ledger id of the series.
	MeetingID string `json:"meetingId"`
	// Occurrence is the start of the occurrence the reminder is for.
	Occurrence time.Time `json:"occurrence"`
}

// OccurrenceReminderKey returns the outbox key of the reminder of one occurrence of a series.
func OccurrenceReminderKey(meetingID string, occurrence time.Time) string {
	return "reminder:" + meetingID + "@" + occurrence.UTC().Format("20060102T150405Z")
}

func (q queries) SaveSeries(ctx context.Context, s Series) error {
	if s.MeetingID == "" || s.Recurrence == "" {
		return errors.New("save series: empty meeting id or recurrence")
	}
	_, err := q.w.ExecContext(ctx,
		`INSERT INTO meeting_series (meeting_id, recurrence, last_end_at, created_at) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (meeting_id) DO UPDATE SET recurrence = excluded.recurrence, last_end_at = excluded.last_end_at`,
		s.MeetingID, s.Recurrence, toMs(s.LastEnd), q.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("save series: %w", err)
	}
	return nil
}

func (q queries) GetSeries(ctx context.Context, meetingID string) (Series, error) {
	s := Series{MeetingID: meetingID}
	var last int64
	err := q.r.QueryRowContext(ctx, `SELECT recurrence, last_end_at FROM meeting_series WHERE meeting_id = $1`, meetingID).
		Scan(&s.Recurrence, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return Series{}, fmt.Errorf("get series %q: %w", meetingID, ErrNotFound)
	}
	if err != nil {
		return Series{}, fmt.Errorf("get series: %w", err)
	}
	s.LastEnd = fromMs(last)
	return s, nil
}

func (q queries) ListUpcomingSeries(ctx context.Context, organizerEmail string, now time.Time, limit int) ([]Meeting, error) {
	if limit <= 0 {
		return nil, nil
	}
	return q.listMeetings(ctx, "list upcoming series",
		`organizer_key = $1 AND status = $2 AND id IN (SELECT meeting_id FROM meeting_series WHERE last_end_at = 0 OR last_end_at > $3)
		 ORDER BY start_at, id LIMIT $4`,
		normEmail(organizerEmail), string(MeetingCreated), now.UnixMilli(), limit)
}
