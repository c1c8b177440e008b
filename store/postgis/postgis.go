// Package postgis is the production store: boundaries and values in
// PostgreSQL with PostGIS, read by the server through a pgx pool as a role
// that can only read, and written by the import commands in transactions
// that readers see whole or not at all.
//
// Every query is parameterised (no value is ever spliced into SQL) and
// runs under the caller's context, so a cancelled request cancels its query.
package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// querier is what pgx.Conn, pgx.Tx and pgxpool.Pool have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Connect opens a connection pool to url and checks that the database
// answers.
func Connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's error quotes the URL, password included: say less.
		return nil, fmt.Errorf("postgis: the database URL is not valid (want postgres://user:password@host:port/database)")
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "wijkkaart"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgis: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgis: connect to %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	return pool, nil
}

// Store is a store.Store on PostGIS.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects to url for reading and refuses a database whose schema
// version this build does not know.
func Open(ctx context.Context, url string) (*Store, error) {
	pool, err := Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := checkSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool}, nil
}

// CanWrite reports whether the store's role may change values, which a
// server's role should not.
func (s *Store) CanWrite(ctx context.Context) (bool, error) {
	var can bool
	err := s.pool.QueryRow(ctx, `SELECT has_table_privilege(current_user, 'wijkkaart.published_value', 'INSERT, UPDATE, DELETE')`).Scan(&can)
	if err != nil {
		return false, fmt.Errorf("postgis: check privileges: %w", err)
	}
	return can, nil
}

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Close implements store.Store.
func (s *Store) Close() { s.pool.Close() }

// PoolStats returns the statistics of the store's connection pool, for
// the server's metrics.
func (s *Store) PoolStats() *pgxpool.Stat { return s.pool.Stat() }
