package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSQLiteFileIsPrivate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "relais.db")
	s := openStore(t, "sqlite:"+path)
	_, err := s.ClaimEvent(context.Background(), "ev", t0) // writes the WAL
	require.NoError(t, err)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		mode, err := fileMode(p)
		require.NoError(t, err, p)
		assert.Equal(t, os.FileMode(0o600), mode, "%s must be readable by its owner only", filepath.Base(p))
	}
	dirMode, err := fileMode(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), dirMode, "a missing directory is created private")

	var journal string
	require.NoError(t, s.(*sqlStore).db.QueryRowContext(context.Background(), `PRAGMA journal_mode`).Scan(&journal))
	assert.Equal(t, "wal", journal)
}

func TestSQLiteDSNForms(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, dsn := range []string{
		filepath.Join(dir, "bare.db"),
		"sqlite:" + filepath.Join(dir, "sqlite.db"),
		"sqlite://" + filepath.Join(dir, "sqlite2.db"),
		"file:" + filepath.Join(dir, "file.db"),
		"  " + filepath.Join(dir, "spaces around.db") + " ",
	} {
		s := openStore(t, dsn)
		assert.Equal(t, DialectSQLite, s.Dialect(), dsn)
	}
	_, err := os.Stat(filepath.Join(dir, "spaces around.db"))
	assert.NoError(t, err)
}

func TestOpenRefusesBadDSN(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{"", ":memory:", "file::memory:", "sqlite:", "x.db?_pragma=foo", "file:x.db?mode=memory", "a#b.db"} {
		_, err := Open(context.Background(), dsn)
		assert.Error(t, err, "%q", dsn)
	}
}

func TestSQLitePath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/var/lib/relais/relais.db": "/var/lib/relais/relais.db",
		"sqlite:/data/r.db":         "/data/r.db",
		"sqlite:///data/r.db":       "/data/r.db",
		"file:relative.db":          "relative.db",
		"file:///abs.db":            "/abs.db",
		"relais.db":                 "relais.db",
	} {
		got, err := sqlitePath(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	assert.True(t, isPostgresDSN("postgres://u@h/db"))
	assert.True(t, isPostgresDSN("PostgreSQL://u@h/db"))
	assert.True(t, isPostgresDSN("host=localhost dbname=relais user=relais"))
	assert.True(t, isPostgresDSN("dbname=relais"))
	assert.False(t, isPostgresDSN("/tmp/postgres.db"))
	assert.False(t, isPostgresDSN("/tmp/user=me.db"))
}

func TestPostgresUnreachable(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://nobody:sekret@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "sekret", "a password never reaches an error message")
}

func FuzzDSN(f *testing.F) {
	for _, s := range []string{"relais.db", "sqlite:/x.db", "file:x?y", "postgres://u@h/d", "host=a", ":memory:", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		if isPostgresDSN(dsn) {
			return
		}
		p, err := sqlitePath(dsn)
		if err == nil && (p == "" || strings.ContainsAny(p, "?#")) {
			t.Fatalf("sqlitePath(%q) = %q accepted", dsn, p)
		}
	})
}

// fileMode returns the permission bits of path.
func fileMode(path string) (os.FileMode, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Mode().Perm(), nil
}

// A statement prepared for the first time while a transaction holds SQLite's only writer
// connection must not block that transaction (the preparation waits for the connection).
func TestSQLitePrepareDuringTransaction(t *testing.T) {
	t.Parallel()
	s := openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "relais.db"))
	w := s.(*sqlStore).db
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	outside := make(chan error, 1)
	err := s.WithTx(ctx, func(tx Tx) error {
		// Another goroutine's first Enqueue prepares its statement and waits for the writer
		// connection, which this transaction holds…
		waits := w.Stats().WaitCount
		go func() {
			_, err := s.Enqueue(ctx, OutboxItem{Key: "outside", Kind: "k"})
			outside <- err
		}()
		require.Eventually(t, func() bool { return w.Stats().WaitCount > waits }, 10*time.Second, time.Millisecond,
			"the outside Enqueue waits for the writer connection")
		// …while the transaction uses the same statement text.
		_, err := tx.Enqueue(ctx, OutboxItem{Key: "inside", Kind: "k"})
		return err
	})
	require.NoError(t, err)
	require.NoError(t, <-outside)
	for _, k := range []string{"inside", "outside"} {
		assert.Equal(t, OutboxPending, mustItem(t, s, k).Status)
	}
	// Prepared once, the statements serve the store and its transactions alike.
	require.NoError(t, s.WithTx(ctx, func(tx Tx) error { return tx.Complete(ctx, mustItem(t, s, "inside").ID) }))
	assert.Equal(t, OutboxDone, mustItem(t, s, "inside").Status)
	pw := s.(*sqlStore).pw
	pw.mu.RLock()
	defer pw.mu.RUnlock()
	assert.NotEmpty(t, pw.m, "statements are kept prepared")
}

func mustItem(t *testing.T, s Store, key string) OutboxItem {
	t.Helper()
	it, err := s.GetOutboxItem(context.Background(), key)
	require.NoError(t, err)
	return it
}

// Commits leave the WAL to the background checkpoint (the automatic one waits for 10,000 pages),
// which copies it into the database file by itself, without blocking anyone.
func TestSQLiteCheckpointsInTheBackground(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "relais.db")
	s := openStore(t, "sqlite:"+path).(*sqlStore)
	ctx := context.Background()
	var limit int
	require.NoError(t, s.db.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&limit))
	assert.Equal(t, safetyCheckpointPages, limit, "commits do not checkpoint before the safety threshold")
	size := func() int64 {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		return fi.Size()
	}
	before := size()
	for i := range 300 {
		_, err := s.Enqueue(ctx, OutboxItem{Key: fmt.Sprint("k", i), Kind: "k", Payload: make([]byte, 2000)})
		require.NoError(t, err)
	}
	// 600 KB went to the WAL; the database file grows only when a checkpoint copies them.
	require.Eventually(t, func() bool { return size() > before+500_000 }, 20*time.Second, 10*time.Millisecond,
		"the background checkpoint copies the WAL into the database file")

	// Stopped with the store: a manual checkpoint then has the WAL to itself.
	s.stopBackground()
	s.stopBackground = nil
	frames, done, err := s.checkpoint(ctx)
	require.NoError(t, err)
	assert.Equal(t, frames, done, "nothing blocks a passive checkpoint here")
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "closing twice is harmless")
}
