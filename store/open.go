package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Option configures Open.
type Option func(*options)

type options struct {
	log         zerolog.Logger
	now         func() time.Time
	busyTimeout time.Duration
	maxConns    int
}

// WithLogger sets the logger (default: zerolog.Nop()). The store logs no data, only events such
// as migrations and retried transactions.
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// WithClock sets the clock used for the CreatedAt/UpdatedAt stamps the store sets itself
// (default: time.Now). Operations that take a now parameter use that instead.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithBusyTimeout sets how long SQLite waits for another process's write lock (default 5 s).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busyTimeout = d } }

// WithMaxConns caps the open connections to PostgreSQL, and the readers of SQLite (default 8).
func WithMaxConns(n int) Option { return func(o *options) { o.maxConns = n } }

// Open opens the store named by dsn and applies the pending migrations:
//   - "postgres://…", "postgresql://…" or "host=… dbname=…": PostgreSQL through pgx (add
//     search_path=SCHEMA to use a schema other than public);
//   - "sqlite:PATH", "file:PATH" or a bare PATH: an SQLite file, created readable by its owner
//     only (0600) when missing.
//
// Several processes may Open the same database at once.
func Open(ctx context.Context, dsn string, opts ...Option) (Store, error) {
	o := options{log: zerolog.Nop(), now: time.Now, busyTimeout: 5 * time.Second, maxConns: 8}
	for _, opt := range opts {
		opt(&o)
	}
	if o.maxConns < 1 {
		o.maxConns = 1
	}
	dsn = strings.TrimSpace(dsn)
	var (
		s   *sqlStore
		err error
	)
	if isPostgresDSN(dsn) {
		s, err = openPostgres(ctx, dsn, o)
	} else {
		var path string
		path, err = sqlitePath(dsn)
		if err == nil {
			s, err = openSQLite(ctx, path, o)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// isPostgresDSN recognises PostgreSQL URLs and keyword/value connection strings
// ("host=… dbname=…"), so that the latter never become the name of an SQLite file.
func isPostgresDSN(dsn string) bool {
	l := strings.ToLower(dsn)
	if strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://") {
		return true
	}
	for _, kw := range []string{"host=", "dbname=", "user="} {
		if strings.HasPrefix(l, kw) || strings.Contains(l, " "+kw) {
			return true
		}
	}
	return false
}

// sqlitePath extracts the file path of an SQLite DSN.
func sqlitePath(dsn string) (string, error) {
	p := dsn
	switch {
	case strings.HasPrefix(p, "sqlite://"):
		p = strings.TrimPrefix(p, "sqlite://")
	case strings.HasPrefix(p, "sqlite:"):
		p = strings.TrimPrefix(p, "sqlite:")
	case strings.HasPrefix(p, "file://"):
		p = strings.TrimPrefix(p, "file://")
	case strings.HasPrefix(p, "file:"):
		p = strings.TrimPrefix(p, "file:")
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return "", errors.New("sqlite: query parameters are not supported in the path; Relais sets its own")
	}
	switch {
	case p == "":
		return "", errors.New("sqlite: empty database path")
	case p == ":memory:" || strings.HasPrefix(p, ":memory:") || strings.Contains(p, "mode=memory"):
		return "", errors.New("sqlite: in-memory databases are not supported; give a file path")
	case strings.ContainsRune(p, '#') || strings.ContainsRune(p, 0):
		return "", fmt.Errorf("sqlite: unsupported character in path %q", p)
	}
	return p, nil
}

// sqlStore implements Store over database/sql for both dialects.
type sqlStore struct {
	queries
	db      *sql.DB // writes and transactions
	rdb     *sql.DB // reads; the same as db on PostgreSQL
	dialect string
	log     zerolog.Logger
	// pw and pr keep the prepared statements of db and rdb (SQLite only; nil on PostgreSQL).
	pw, pr *prepared
	// stopBackground stops the background work (SQLite's checkpoints); nil when there is none.
	stopBackground func()
	closeOnce      sync.Once
}

var _ Store = (*sqlStore)(nil)

func (s *sqlStore) Dialect() string { return s.dialect }

func (s *sqlStore) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

func (s *sqlStore) Close() error {
	if s.stopBackground != nil {
		s.closeOnce.Do(s.stopBackground)
	}
	var err error
	for _, p := range []*prepared{s.pw, s.pr} {
		if p != nil {
			err = errors.Join(err, p.close())
		}
	}
	err = errors.Join(err, s.db.Close())
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	if err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}
