package database

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/kaidian/kaidian/migrations"
)

// migrationLockID is the advisory lock key held while migrating ("kaidian" in ASCII).
const migrationLockID = 0x6b61696469616e

// Migrate applies Kaidian's own migrations (migrations/<dialect>) and then the
// job queue's schema, which River versions and migrates itself.
func (d *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	if d.Dialect == Postgres {
		// Replicas starting together must not migrate at the same time: hold a
		// session advisory lock on one connection for the whole run.
		conn, err := d.pgPool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockID)
	}
	dir, dialect := "sqlite", goose.DialectSQLite3
	if d.Dialect == Postgres {
		dir, dialect = "postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	p, err := goose.NewProvider(dialect, d.sql, sub)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	if err := d.migrateRiver(ctx); err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	return nil
}

func (d *DB) migrateRiver(ctx context.Context) error {
	if d.Dialect == Postgres {
		m, err := rivermigrate.New(riverpgxv5.New(d.pgPool), nil)
		if err != nil {
			return err
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	}
	m, err := rivermigrate.New(riversqlite.New(d.sql), nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}
