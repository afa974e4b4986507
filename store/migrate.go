package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/rs/zerolog"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrationTable is goose's version table, named for Relais so that it can share a database.
const migrationTable = "relais_migrations"

// migrationLockID is the PostgreSQL advisory lock held while migrating ("relais" in ASCII).
const migrationLockID int64 = 0x72656c616973

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
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
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
