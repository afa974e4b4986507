package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
)

const outboxCols = `id, key, kind, payload, due_at, attempts, last_error, status, lease_owner,
	lease_until, created_at, updated_at`

func scanOutboxItem(row interface{ Scan(...any) error }) (OutboxItem, error) {
	var (
		it                                OutboxItem
		due, leaseUntil, created, updated int64
		status                            string
	)
	err := row.Scan(&it.ID, &it.Key, &it.Kind, &it.Payload, &due, &it.Attempts, &it.LastError, &status,
		&it.LeaseOwner, &leaseUntil, &created, &updated)
	if err != nil {
		return OutboxItem{}, err
	}
	it.DueAt, it.LeaseUntil, it.CreatedAt, it.UpdatedAt = fromMs(due), fromMs(leaseUntil), fromMs(created), fromMs(updated)
	it.Status = OutboxStatus(status)
	return it, nil
}

func (q queries) Enqueue(ctx context.Context, item OutboxItem) (bool, error) {
	if item.Key == "" || item.Kind == "" {
		return false, errors.New("enqueue: empty key or kind")
	}
	now := q.now().UnixMilli()
	due := toMs(item.DueAt)
	if due == 0 {
		due = now
	}
	id := item.ID
	if id == "" {
		id = uuid.NewString()
	}
	res, err := q.w.ExecContext(ctx,
		`INSERT INTO outbox (id, key, kind, payload, due_at, attempts, last_error, status, lease_owner,
			lease_until, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, 0, '', $6, '', 0, $7, $7)
		 ON CONFLICT (key) DO NOTHING`,
		id, item.Key, item.Kind, nonNil(item.Payload), due, string(OutboxPending), now)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", item.Kind, err)
	}
	n, err := affected(res)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", item.Kind, err)
	}
	return n == 1, nil
}

// claimSQL leases due items. On PostgreSQL, FOR UPDATE SKIP LOCKED lets concurrent claimers take
// disjoint rows; on SQLite the statement runs alone under the write lock.
func (q queries) claimSQL() string {
	return `UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3
		WHERE id IN (SELECT id FROM outbox
			WHERE status = $4 AND due_at <= $3 AND lease_until <= $3
			ORDER BY due_at, id LIMIT $5` + q.skipLocked() + `)
		RETURNING ` + outboxCols
}

// skipLocked ends the subquery that picks the rows a claim leases: on PostgreSQL, FOR UPDATE
// SKIP LOCKED; nothing on SQLite.
func (q queries) skipLocked() string {
	if q.dialect == DialectPostgres {
		return ` FOR UPDATE SKIP LOCKED`
	}
	return ""
}

// claimRows runs a claim (an UPDATE … RETURNING) and returns its rows by due time, then id
// (RETURNING keeps no order).
func claimRows[T any](ctx context.Context, q queries, op, query string, args []any,
	scan func(interface{ Scan(...any) error }) (T, error), due func(T) (time.Time, string)) ([]T, error) {
	rows, err := q.w.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		it, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	sort.Slice(out, func(i, j int) bool {
		ti, idi := due(out[i])
		tj, idj := due(out[j])
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return idi < idj
	})
	return out, nil
}

func (q queries) ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	if owner == "" || lease <= 0 {
		return nil, errors.New("claim due: empty owner or lease")
	}
	if limit <= 0 {
		return nil, nil
	}
	return claimRows(ctx, q, "claim due", q.claimSQL(),
		[]any{owner, now.Add(lease).UnixMilli(), now.UnixMilli(), string(OutboxPending), limit},
		scanOutboxItem, func(it OutboxItem) (time.Time, string) { return it.DueAt, it.ID })
}

func (q queries) setOutbox(ctx context.Context, op, id, set string, args ...any) error {
	args = append([]any{id, q.now().UnixMilli()}, args...)
	res, err := q.w.ExecContext(ctx,
		`UPDATE outbox SET updated_at = $2, lease_owner = '', lease_until = 0, `+set+` WHERE id = $1`, args...)
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

func (q queries) Complete(ctx context.Context, id string) error {
	return q.setOutbox(ctx, "complete outbox item", id, `status = $3`, string(OutboxDone))
}

func (q queries) Retry(ctx context.Context, id string, nextAt time.Time, lastErr string) error {
	return q.setOutbox(ctx, "retry outbox item", id, `status = $3, due_at = $4, last_error = $5`,
		string(OutboxPending), nextAt.UnixMilli(), lastErr)
}

func (q queries) Fail(ctx context.Context, id string, lastErr string) error {
	return q.setOutbox(ctx, "fail outbox item", id, `status = $3, last_error = $4`, string(OutboxFailed), lastErr)
}

func (q queries) CancelByKey(ctx context.Context, key string) error {
	_, err := q.w.ExecContext(ctx,
		`UPDATE outbox SET status = $2, lease_owner = '', lease_until = 0, updated_at = $3
		 WHERE key = $1 AND status = $4`,
		key, string(OutboxCancelled), q.now().UnixMilli(), string(OutboxPending))
	if err != nil {
		return fmt.Errorf("cancel outbox item: %w", err)
	}
	return nil
}

func (q queries) GetOutboxItem(ctx context.Context, key string) (OutboxItem, error) {
	it, err := scanOutboxItem(q.r.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE key = $1`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return OutboxItem{}, fmt.Errorf("get outbox item %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return OutboxItem{}, fmt.Errorf("get outbox item: %w", err)
	}
	return it, nil
}

func (q queries) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE status = $1`,
		string(OutboxPending)).Scan(&n); err != nil {
		return 0, fmt.Errorf("outbox depth: %w", err)
	}
	return n, nil
}

func (q queries) ScheduleReminder(ctx context.Context, meetingID string, at time.Time) error {
	if meetingID == "" || at.IsZero() {
		return errors.New("schedule reminder: empty meeting id or instant")
	}
	payload, err := json.Marshal(ReminderPayload{MeetingID: meetingID})
	if err != nil {
		return fmt.Errorf("schedule reminder: %w", err)
	}
	now := q.now().UnixMilli()
	_, err = q.w.ExecContext(ctx,
		`INSERT INTO outbox (id, key, kind, payload, due_at, attempts, last_error, status, lease_owner,
			lease_until, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, 0, '', $6, '', 0, $7, $7)
		 ON CONFLICT (key) DO UPDATE SET due_at = excluded.due_at, updated_at = excluded.updated_at
		 WHERE outbox.status = $6 AND outbox.lease_until <= $7`,
		uuid.NewString(), ReminderKey(meetingID), KindReminder, payload, at.UnixMilli(),
		string(OutboxPending), now)
	if err != nil {
		return fmt.Errorf("schedule reminder: %w", err)
	}
	return nil
}

func (q queries) CancelReminder(ctx context.Context, meetingID string) error {
	if err := q.CancelByKey(ctx, ReminderKey(meetingID)); err != nil {
		return fmt.Errorf("cancel reminder: %w", err)
	}
	return nil
}

// PruneOutbox deletes finished items (done, failed or cancelled) last updated before the given
// instant and returns how many. Pending items are never pruned.
func (q queries) PruneOutbox(ctx context.Context, before time.Time) (int64, error) {
	res, err := q.w.ExecContext(ctx,
		`DELETE FROM outbox WHERE status <> $1 AND updated_at < $2`, string(OutboxPending), before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune outbox: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("prune outbox: %w", err)
	}
	return int64(n), nil
}
