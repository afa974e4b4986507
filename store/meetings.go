package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

const meetingCols = `id, idempotency_key, organizer_email, organizer_name, designate_email, designate_name,
	webex_meeting_id, title, start_at, end_at, time_zone, lang, room_id, status, fail_reason,
	created_at, updated_at`

func scanMeeting(row interface{ Scan(...any) error }) (Meeting, error) {
	var (
		m                            Meeting
		start, end, created, updated int64
		status                       string
	)
	err := row.Scan(&m.ID, &m.IdempotencyKey, &m.OrganizerEmail, &m.OrganizerName, &m.DesignateEmail,
		&m.DesignateName, &m.WebexMeetingID, &m.Title, &start, &end, &m.TimeZone, &m.Lang, &m.RoomID,
		&status, &m.FailReason, &created, &updated)
	if err != nil {
		return Meeting{}, err
	}
	m.Start, m.End, m.CreatedAt, m.UpdatedAt = fromMs(start), fromMs(end), fromMs(created), fromMs(updated)
	m.Status = MeetingStatus(status)
	return m, nil
}

func (q queries) BeginMeeting(ctx context.Context, m Meeting) (Meeting, bool, error) {
	if m.IdempotencyKey == "" {
		return Meeting{}, false, errors.New("begin meeting: empty idempotency key")
	}
	now := q.now()
	m.ID = uuid.NewString()
	m.Status = MeetingPending
	m.WebexMeetingID, m.FailReason = "", ""
	m.CreatedAt, m.UpdatedAt = fromMs(now.UnixMilli()), fromMs(now.UnixMilli())
	m.Start, m.End = fromMs(toMs(m.Start)), fromMs(toMs(m.End))
	res, err := q.w.ExecContext(ctx,
		`INSERT INTO meetings (id, idempotency_key, organizer_email, organizer_key, organizer_name,
			designate_email, designate_name, webex_meeting_id, title, start_at, end_at, time_zone, lang,
			room_id, status, fail_reason, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9, $10, $11, $12, $13, $14, '', $15, $15)
		 ON CONFLICT (idempotency_key) DO NOTHING`,
		m.ID, m.IdempotencyKey, m.OrganizerEmail, normEmail(m.OrganizerEmail), m.OrganizerName,
		m.DesignateEmail, m.DesignateName, m.Title, toMs(m.Start), toMs(m.End), m.TimeZone, m.Lang,
		m.RoomID, string(m.Status), now.UnixMilli())
	if err != nil {
		return Meeting{}, false, fmt.Errorf("begin meeting: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return Meeting{}, false, fmt.Errorf("begin meeting: %w", err)
	}
	if n == 1 {
		return m, true, nil
	}
	// Read through the writer: in a transaction it is the transaction, and on SQLite it sees
	// the row the conflict came from.
	existing, err := scanMeeting(q.w.QueryRowContext(ctx,
		`SELECT `+meetingCols+` FROM meetings WHERE idempotency_key = $1`, m.IdempotencyKey))
	if err != nil {
		return Meeting{}, false, fmt.Errorf("begin meeting: existing: %w", err)
	}
	return existing, false, nil
}

func (q queries) setMeeting(ctx context.Context, op, id, set string, args ...any) error {
	args = append([]any{id, q.now().UnixMilli()}, args...)
	res, err := q.w.ExecContext(ctx, `UPDATE meetings SET updated_at = $2, `+set+` WHERE id = $1`, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	n, err := affected(res)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s %q: %w", op, id, ErrNotFound)
	}
	return nil
}

func (q queries) MarkMeetingCreated(ctx context.Context, id, webexMeetingID string) error {
	return q.setMeeting(ctx, "mark meeting created", id,
		`status = $3, webex_meeting_id = $4, fail_reason = ''`, string(MeetingCreated), webexMeetingID)
}

func (q queries) MarkMeetingFailed(ctx context.Context, id, reason string) error {
	return q.setMeeting(ctx, "mark meeting failed", id,
		`status = $3, fail_reason = $4`, string(MeetingFailed), reason)
}

func (q queries) MarkMeetingCancelled(ctx context.Context, id string) error {
	return q.setMeeting(ctx, "mark meeting cancelled", id, `status = $3`, string(MeetingCancelled))
}

func (q queries) getMeeting(ctx context.Context, op, where, arg string) (Meeting, error) {
	m, err := scanMeeting(q.r.QueryRowContext(ctx, `SELECT `+meetingCols+` FROM meetings WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Meeting{}, fmt.Errorf("%s %q: %w", op, arg, ErrNotFound)
	}
	if err != nil {
		return Meeting{}, fmt.Errorf("%s: %w", op, err)
	}
	return m, nil
}

func (q queries) GetMeeting(ctx context.Context, id string) (Meeting, error) {
	return q.getMeeting(ctx, "get meeting", `id = $1`, id)
}

func (q queries) GetMeetingByKey(ctx context.Context, idempotencyKey string) (Meeting, error) {
	return q.getMeeting(ctx, "get meeting by key", `idempotency_key = $1`, idempotencyKey)
}

func (q queries) GetMeetingByWebexID(ctx context.Context, webexMeetingID string) (Meeting, error) {
	if webexMeetingID == "" {
		return Meeting{}, fmt.Errorf("get meeting by webex id: %w", ErrNotFound)
	}
	return q.getMeeting(ctx, "get meeting by webex id",
		`webex_meeting_id = $1 ORDER BY created_at LIMIT 1`, webexMeetingID)
}

func (q queries) listMeetings(ctx context.Context, op, where string, args ...any) ([]Meeting, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+meetingCols+` FROM meetings WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

func (q queries) ListUpcomingMeetings(ctx context.Context, organizerEmail string, now time.Time, limit int) ([]Meeting, error) {
	if limit <= 0 {
		return nil, nil
	}
	return q.listMeetings(ctx, "list upcoming meetings",
		`organizer_key = $1 AND status = $2 AND end_at > $3 ORDER BY start_at, id LIMIT $4`,
		normEmail(organizerEmail), string(MeetingCreated), now.UnixMilli(), limit)
}

func (q queries) ListPendingMeetings(ctx context.Context, olderThan time.Time) ([]Meeting, error) {
	return q.listMeetings(ctx, "list pending meetings",
		`status = $1 AND updated_at <= $2 ORDER BY updated_at, id`,
		string(MeetingPending), olderThan.UnixMilli())
}

func (q queries) UpdateMeeting(ctx context.Context, id string, u MeetingUpdate) error {
	if u.Title == "" || u.DesignateEmail == "" || !u.End.After(u.Start) {
		return fmt.Errorf("update meeting %q: title, designate and a start before the end are required", id)
	}
	return q.setMeeting(ctx, "update meeting", id,
		`title = $3, start_at = $4, end_at = $5, designate_email = $6, designate_name = $7`,
		u.Title, toMs(u.Start), toMs(u.End), u.DesignateEmail, u.DesignateName)
}

func (q queries) MoveReminder(ctx context.Context, meetingID string, at time.Time) error {
	if err := q.ScheduleReminder(ctx, meetingID, at); err != nil {
		return fmt.Errorf("move reminder: %w", err)
	}
	_, err := q.w.ExecContext(ctx,
		`UPDATE outbox SET status = $1, due_at = $2, attempts = 0, last_error = '', lease_owner = '',
			lease_until = 0, updated_at = $3
		 WHERE key = $4 AND status = $5`,
		string(OutboxPending), at.UnixMilli(), q.now().UnixMilli(), ReminderKey(meetingID), string(OutboxDone))
	if err != nil {
		return fmt.Errorf("move reminder: %w", err)
	}
	return nil
}
