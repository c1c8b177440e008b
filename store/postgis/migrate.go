package postgis

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. Their file names
// start with the version number: 0001_init.sql.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgis: migrations: %w", err)
	}
	var out []migration
	for i, e := range entries {
		prefix, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("postgis: migration %s: want number %04d first in its name", e.Name(), i+1)
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("postgis: migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	return out, nil
}

// SchemaVersion is the schema version this build of wijkkaart works with.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// ErrSchemaMismatch is returned, wrapped, when the database schema is not
// the version this build knows.
var ErrSchemaMismatch = errors.New("database schema version mismatch")

// databaseVersion returns the schema version of the database, 0 when it has
// no wijkkaart schema.
func databaseVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('wijkkaart.schema_version') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("postgis: read schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM wijkkaart.schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("postgis: read schema version: %w", err)
	}
	return v, nil
}

// checkSchema refuses a database whose schema this build does not know.
func checkSchema(ctx context.Context, q querier) error {
	want := SchemaVersion()
	have, err := databaseVersion(ctx, q)
	if err != nil {
		return err
	}
	switch {
	case have == 0:
		return fmt.Errorf("%w: the database has no wijkkaart schema; run `wijkkaart migrate` first", ErrSchemaMismatch)
	case have < want:
		return fmt.Errorf("%w: the database schema is version %d, this wijkkaart needs %d; run `wijkkaart migrate`", ErrSchemaMismatch, have, want)
	case have > want:
		return fmt.Errorf("%w: the database schema is version %d, newer than this wijkkaart knows (%d); upgrade wijkkaart", ErrSchemaMismatch, have, want)
	}
	return nil
}

// Migrate brings the database schema up to SchemaVersion, each migration in
// its own transaction, and returns the versions it applied. A database
// newer than this build is an error. Concurrent migrations wait for each
// other on an advisory lock.
func Migrate(ctx context.Context, pool *pgxpool.Pool) ([]int, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgis: migrate: %w", err)
	}
	defer conn.Release()
	const lockKey = 0x77696a6b // "wijk"
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return nil, fmt.Errorf("postgis: migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockKey) //nolint:errcheck // the lock also ends with the session
	have, err := databaseVersion(ctx, conn)
	if err != nil {
		return nil, err
	}
	if have > len(ms) {
		return nil, fmt.Errorf("%w: the database schema is version %d, newer than this wijkkaart knows (%d); upgrade wijkkaart", ErrSchemaMismatch, have, len(ms))
	}
	var applied []int
	for _, m := range ms[have:] {
		if err := applyMigration(ctx, conn.Conn(), m); err != nil {
			return applied, err
		}
		applied = append(applied, m.version)
	}
	return applied, nil
}

func applyMigration(ctx context.Context, conn *pgx.Conn, m migration) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("postgis: migration %s: %w", m.name, describe(err))
		}
		const record = `
			CREATE TABLE IF NOT EXISTS wijkkaart.schema_version (
				version    integer PRIMARY KEY,
				name       text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now()
			);
			GRANT SELECT ON wijkkaart.schema_version TO wijkkaart_reader;`
		if _, err := tx.Exec(ctx, record); err != nil {
			return fmt.Errorf("postgis: migration %s: %w", m.name, describe(err))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO wijkkaart.schema_version (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
			return fmt.Errorf("postgis: migration %s: %w", m.name, describe(err))
		}
		return nil
	})
}

// describe adds PostgreSQL's detail and hint to an error, which pgx keeps
// apart from the message.
func describe(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	var extra []string
	for _, s := range []string{pgErr.Detail, pgErr.Hint} {
		if s != "" {
			extra = append(extra, s)
		}
	}
	if len(extra) == 0 {
		return err
	}
	return fmt.Errorf("%w (%s)", err, strings.Join(extra, "; "))
}
