package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// maxTxAttempts bounds the retries of a transaction the database asked to retry.
const maxTxAttempts = 5

type txQueries struct{ queries }

func (s *sqlStore) WithTx(ctx context.Context, fn func(tx Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = s.runTx(ctx, fn)
		if err == nil || !s.retryable(err) || attempt >= maxTxAttempts {
			break
		}
		s.log.Debug().Err(err).Int("attempt", attempt).Msg("store: transaction retried")
		wait := time.Duration(attempt*attempt)*10*time.Millisecond +
			time.Duration(rand.Int64N(int64(10*time.Millisecond)))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("transaction: %w", errors.Join(err, ctx.Err()))
		case <-t.C:
		}
	}
	return err
}

func (s *sqlStore) retryable(err error) bool {
	if s.dialect == DialectPostgres {
		return isPostgresRetryable(err)
	}
	return isSQLiteBusy(err)
}

// runTx runs fn once in a transaction. The errors of fn are returned as they are.
func (s *sqlStore) runTx(ctx context.Context, fn func(tx Tx) error) (err error) {
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback() // the panic is what matters
			panic(p)
		}
	}()
	q := s.queries
	q.w, q.r = sqlTx, sqlTx
	if s.pw != nil {
		q.w = s.pw.inTx(sqlTx)
		q.r = q.w
	}
	if err := fn(txQueries{q}); err != nil {
		if rerr := sqlTx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}
