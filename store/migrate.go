package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/crc32"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/rs/zerolog"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrationTable is goose's version table, named for Relais so that it can share a database.
const migrationTable = "relais_migrations"

// migrationLockBase is the base of the PostgreSQL advisory lock held while migrating ("relais" in
// ASCII). The lock id mixes in the schema, so Relais databases in different schemas of one
// PostgreSQL database (the tests) migrate side by side, while replicas on one schema take turns.
const migrationLockBase int64 = 0x72656c616973 << 16

// postgresLockID returns the advisory lock id of the current database and schema.
func postgresLockID(ctx context.Context, db *sql.DB) (int64, error) {
	var name string
	if err := db.QueryRowContext(ctx, `SELECT current_database() || '.' || COALESCE(current_schema(), '')`).Scan(&name); err != nil {
		return 0, fmt.Errorf("migration lock id: %w", err)
	}
	return migrationLockBase ^ int64(crc32.ChecksumIEEE([]byte(name))), nil
}

// migrate applies the pending migrations of dialect to db.
func migrate(ctx context.Context, db *sql.DB, dialect string, log zerolog.Logger) error {
	dir, err := fs.Sub(migrationFiles, "migrations/"+dialect)
	if err != nil {
		return fmt.Errorf("migrations of %s: %w", dialect, err)
	}
	opts := []goose.ProviderOption{
		goose.WithDisableGlobalRegistry(true),
		goose.WithTableName(migrationTable),
	}
	gd := goose.DialectSQLite3
	if dialect == DialectPostgres {
		gd = goose.DialectPostgres
		id, err := postgresLockID(ctx, db)
		if err != nil {
			return err
		}
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 600))
		if err != nil {
			return fmt.Errorf("migration locker: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db, dir, opts...)
	if err != nil {
		return fmt.Errorf("migration provider: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", dialect, err)
	}
	for _, r := range results {
		log.Info().Str("dialect", dialect).Int64("version", r.Source.Version).
			Dur("took", r.Duration).Msg("store migration applied")
	}
	return nil
}
