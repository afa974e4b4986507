package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// postgresEnv names the variable that gives the PostgreSQL tests a database.
const postgresEnv = "RELAIS_TEST_POSTGRES"

// newDSN returns the DSN of a fresh, empty database for one test.
type newDSN func(t *testing.T) string

func sqliteDSNFor(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "relais.db")
}

// postgresDSNFor creates a fresh schema in the test database, drops it at cleanup, and returns a
// DSN whose search_path points at it.
func postgresDSNFor(base string) newDSN {
	return func(t *testing.T) string {
		t.Helper()
		var b [6]byte
		_, err := rand.Read(b[:])
		require.NoError(t, err)
		schema := "t_" + hex.EncodeToString(b[:])
		admin, err := sql.Open("pgx", base)
		require.NoError(t, err)
		t.Cleanup(func() { _ = admin.Close() })
		_, err = admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema)
		require.NoError(t, err)
		t.Cleanup(func() {
			_, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
			require.NoError(t, err)
		})
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		return base + sep + "search_path=" + schema
	}
}

// postgresBase returns the test database DSN or skips the test, saying so plainly.
func postgresBase(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		t.Skip(postgresEnv + " not set: PostgreSQL store tests skipped")
	}
	return dsn
}

// openStore opens dsn and closes the store at cleanup.
func openStore(t *testing.T, dsn string, opts ...Option) Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSQLiteStore(t *testing.T) {
	t.Parallel()
	runStoreSuite(t, DialectSQLite, sqliteDSNFor)
}

func TestPostgresStore(t *testing.T) {
	t.Parallel()
	runStoreSuite(t, DialectPostgres, postgresDSNFor(postgresBase(t)))
}
