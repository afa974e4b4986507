package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func (q queries) ClaimEvent(ctx context.Context, eventID string, now time.Time) (bool, error) {
	if eventID == "" {
		return false, errors.New("claim event: empty id")
	}
	res, err := q.w.ExecContext(ctx,
		`INSERT INTO processed_events (event_id, seen_at) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING`,
		eventID, now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("claim event: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return false, fmt.Errorf("claim event: %w", err)
	}
	return n == 1, nil
}

func (q queries) PruneEvents(ctx context.Context, before time.Time) (int64, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM processed_events WHERE seen_at < $1`, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune events: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("prune events: %w", err)
	}
	return n, nil
}
