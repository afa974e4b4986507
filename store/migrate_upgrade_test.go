package store

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"
)

// A database left at the first migration by an earlier Relais (before the series and the
// organizers' tokens, whose migrations are numbered with gaps) is brought to the latest version
// by Open, as a fresh one is.
func TestMigrateFromFirstVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dialect, driver string
		gd              goose.Dialect
		dsn             func(t *testing.T) (open, driver string)
	}{
		{DialectSQLite, "sqlite", goose.DialectSQLite3, func(t *testing.T) (string, string) {
			p := sqliteDSNFor(t)
			return p, sqliteDSN(p, 0)
		}},
		{DialectPostgres, "pgx", goose.DialectPostgres, func(t *testing.T) (string, string) {
			d := postgresDSNFor(postgresBase(t))(t)
			return d, d
		}},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			openDSN, driverDSN := tc.dsn(t)
			db, err := sql.Open(tc.driver, driverDSN)
			require.NoError(t, err)
			dir, err := fs.Sub(migrationFiles, "migrations/"+tc.dialect)
			require.NoError(t, err)
			p, err := goose.NewProvider(tc.gd, db, dir,
				goose.WithDisableGlobalRegistry(true), goose.WithTableName(migrationTable))
			require.NoError(t, err)
			_, err = p.UpTo(ctx, 1)
			require.NoError(t, err)
			v, err := p.GetDBVersion(ctx)
			require.NoError(t, err)
			require.EqualValues(t, 1, v)
			require.NoError(t, db.Close())

			openStore(t, openDSN)

			db, err = sql.Open(tc.driver, driverDSN)
			require.NoError(t, err)
			t.Cleanup(func() { _ = db.Close() })
			p, err = goose.NewProvider(tc.gd, db, dir,
				goose.WithDisableGlobalRegistry(true), goose.WithTableName(migrationTable))
			require.NoError(t, err)
			v, err = p.GetDBVersion(ctx)
			require.NoError(t, err)
			sources := p.ListSources()
			require.EqualValues(t, sources[len(sources)-1].Version, v, "every later migration applied")
			for _, q := range []string{
				`SELECT COUNT(*) FROM meeting_series`,
				`SELECT COUNT(*) FROM organizer_tokens`,
				`SELECT COUNT(*) FROM pending_authorizations WHERE issued_sealed IS NOT NULL`,
			} {
				var n int
				require.NoError(t, db.QueryRowContext(ctx, q).Scan(&n), q)
			}
		})
	}
}
