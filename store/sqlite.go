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
// Checkpoints run in the background (see checkpointLoop); the automatic one, which would run in
// the commit of whichever write crosses the threshold and hold the writer meanwhile, is kept only
// as a safety net, at 10,000 pages (40 MB of WAL).
func sqliteDSN(path string, busy time.Duration) string {
	return path + "?_pragma=busy_timeout(" + fmt.Sprint(busy.Milliseconds()) + ")" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)" +
		"&_pragma=wal_autocheckpoint(" + fmt.Sprint(safetyCheckpointPages) + ")" +
		"&_txlock=immediate"
}

const (
	// checkpointEvery is how often the background checkpoint runs.
	checkpointEvery = time.Second
	// safetyCheckpointPages is the WAL size at which a commit checkpoints by itself.
	safetyCheckpointPages = 10000
)

// checkpointLoop copies the WAL into the database file every checkpointEvery, on a connection of
// the reader pool, until stop is closed. A PASSIVE checkpoint never blocks the writer or the
// readers; its fsync (milliseconds on this kind of disk) no longer stalls a commit, and with it
// every writer queued behind that commit.
func (s *sqlStore) checkpointLoop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if _, _, err := s.checkpoint(context.Background()); err != nil {
			s.log.Warn().Err(err).Msg("store: background checkpoint failed")
		}
	}
}

// checkpoint runs one PASSIVE checkpoint and returns the WAL's frames and those checkpointed.
func (s *sqlStore) checkpoint(ctx context.Context) (walFrames, checkpointed int, err error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var busy int
	if err := s.rdb.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &walFrames, &checkpointed); err != nil {
		return 0, 0, fmt.Errorf("checkpoint: %w", err)
	}
	return walFrames, checkpointed, nil
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
	stop, done := make(chan struct{}), make(chan struct{})
	go s.checkpointLoop(stop, done)
	s.stopBackground = func() { close(stop); <-done }
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
