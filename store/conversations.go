package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const conversationCols = `key, state, version, updated_at, expires_at`

func scanConversation(row interface{ Scan(...any) error }) (Conversation, error) {
	var (
		c                  Conversation
		updated, expiresAt int64
	)
	if err := row.Scan(&c.Key, &c.State, &c.Version, &updated, &expiresAt); err != nil {
		return Conversation{}, err
	}
	c.UpdatedAt, c.ExpiresAt = fromMs(updated), fromMs(expiresAt)
	return c, nil
}

func (q queries) GetConversation(ctx context.Context, key string) (Conversation, bool, error) {
	c, err := scanConversation(q.r.QueryRowContext(ctx,
		`SELECT `+conversationCols+` FROM conversations WHERE key = $1`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, false, nil
	}
	if err != nil {
		return Conversation{}, false, fmt.Errorf("get conversation: %w", err)
	}
	return c, true, nil
}

func (q queries) PutConversation(ctx context.Context, c Conversation, expectVersion int64) (int64, error) {
	if c.Key == "" {
		return 0, errors.New("put conversation: empty key")
	}
	updated := c.UpdatedAt
	if updated.IsZero() {
		updated = q.now()
	}
	var (
		res sql.Result
		err error
	)
	if expectVersion == 0 {
		res, err = q.w.ExecContext(ctx,
			`INSERT INTO conversations (key, state, version, updated_at, expires_at)
			 VALUES ($1, $2, 1, $3, $4) ON CONFLICT (key) DO NOTHING`,
			c.Key, nonNil(c.State), toMs(updated), toMs(c.ExpiresAt))
	} else {
		res, err = q.w.ExecContext(ctx,
			`UPDATE conversations SET state = $2, version = version + 1, updated_at = $3, expires_at = $4
			 WHERE key = $1 AND version = $5`,
			c.Key, nonNil(c.State), toMs(updated), toMs(c.ExpiresAt), expectVersion)
	}
	if err != nil {
		return 0, fmt.Errorf("put conversation: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("put conversation: %w", err)
	}
	if n == 0 {
		return 0, fmt.Errorf("put conversation (expected version %d): %w", expectVersion, ErrConflict)
	}
	return expectVersion + 1, nil
}

func (q queries) DeleteConversation(ctx context.Context, key string) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM conversations WHERE key = $1`, key); err != nil {
		return fmt.Errorf("delete conversation: %w", err)
	}
	return nil
}

func (q queries) ListExpiredConversations(ctx context.Context, now time.Time, limit int) ([]Conversation, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := q.r.QueryContext(ctx,
		`SELECT `+conversationCols+` FROM conversations
		 WHERE expires_at > 0 AND expires_at <= $1 ORDER BY expires_at, key LIMIT $2`,
		now.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("list expired conversations: %w", err)
	}
	defer rows.Close()
	var out []Conversation
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, fmt.Errorf("list expired conversations: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list expired conversations: %w", err)
	}
	return out, nil
}

func (q queries) PurgeExpiredConversations(ctx context.Context, now time.Time) (int64, error) {
	res, err := q.w.ExecContext(ctx,
		`DELETE FROM conversations WHERE expires_at > 0 AND expires_at <= $1`, now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("purge expired conversations: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("purge expired conversations: %w", err)
	}
	return n, nil
}
