package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

func openPostgres(ctx context.Context, dsn string, o options) (*sqlStore, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(o.maxConns)
	db.SetMaxIdleConns(o.maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("postgres: %w", err), db.Close())
	}
	if err := migrate(ctx, db, DialectPostgres, o.log); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	s := &sqlStore{db: db, rdb: db, dialect: DialectPostgres, log: o.log}
	s.queries = queries{w: db, r: db, dialect: DialectPostgres, now: o.now}
	return s, nil
}

// isPostgresRetryable reports a serialization failure or a deadlock.
func isPostgresRetryable(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01")
}
