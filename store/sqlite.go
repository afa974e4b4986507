package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDSN returns the modernc DSN of the file at path: WAL, synchronous NORMAL (a commit survives
// a killed process; a power loss may roll back the last commits, never corrupt the file), busy_timeout for other processes, and IMMEDIATE
// transactions so that a transaction never fails upgrading a read lock to a write lock.
func sqliteDSN(path string, busy time.Duration) string {
	return path + "?_pragma=busy_timeout(" + fmt.Sprint(busy.Milliseconds()) + ")" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)" +
		"&_txlock=immediate"
}

// createPrivateFile creates the database file readable by its owner only, unless it exists.
// SQLite gives its -wal and -shm files the mode of the database file.
func createPrivateFile(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create directory: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	return nil
}

func openSQLite(ctx context.Context, path string, o options) (*sqlStore, error) {
	if err := createPrivateFile(path); err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		o.log.Warn().Str("path", path).Str("mode", fi.Mode().Perm().String()).
			Msg("store: database file is readable by others; chmod 600 it")
	}
	dsn := sqliteDSN(path, o.busyTimeout)

	// Migrate on a connection of its own, retried: two processes opening a fresh file at once
	// may race on the version table; the migrations are idempotent.
	var merr error
	for attempt := 0; attempt < 3; attempt++ {
		merr = withDB(dsn, 1, func(db *sql.DB) error { return migrate(ctx, db, DialectSQLite, o.log) })
		if merr == nil || ctx.Err() != nil {
			break
		}
		o.log.Warn().Err(merr).Int("attempt", attempt+1).Msg("store: sqlite migration failed, retrying")
	}
	if merr != nil {
		return nil, merr
	}

	// One writer connection serializes the writes of this process without SQLITE_BUSY; the
	// readers run beside it (WAL). busy_timeout covers other processes.
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: %w", err), w.Close())
	}
	r.SetMaxOpenConns(o.maxConns)
	r.SetMaxIdleConns(o.maxConns)
	if err := w.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: %w", err), w.Close(), r.Close())
	}
	s := &sqlStore{db: w, rdb: r, dialect: DialectSQLite, log: o.log, pw: newPrepared(w), pr: newPrepared(r)}
	s.queries = queries{w: s.pw, r: s.pr, dialect: DialectSQLite, now: o.now}
	return s, nil
}

// withDB opens a short-lived *sql.DB, runs fn and closes it.
func withDB(dsn string, conns int, fn func(*sql.DB) error) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	db.SetMaxOpenConns(conns)
	return errors.Join(fn(db), db.Close())
}

// isSQLiteBusy reports an SQLITE_BUSY or SQLITE_LOCKED error.
func isSQLiteBusy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	c := e.Code() & 0xff
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}
