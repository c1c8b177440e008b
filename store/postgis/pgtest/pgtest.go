// Package pgtest gives tests their own PostGIS database.
//
// Tests find the server through WIJKKAART_TEST_DATABASE_URL, a URL of a
// role that may create databases and roles (make test sets it). Without it
// a test is skipped on a developer's machine and fails under CI (CI=true),
// so that CI never passes without having run the PostGIS tests.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable with the test server's URL.
const EnvURL = "WIJKKAART_TEST_DATABASE_URL"

// ReaderRole is a login role in wijkkaart_reader that tests serve as.
const ReaderRole = "wijkkaart_test_reader"

// AdminURL returns the test server's URL, or ends the test when there is
// none: a skip on a developer's machine, a failure under CI.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u != "" {
		return u
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("PostGIS tests need %s; CI must provide PostgreSQL with PostGIS", EnvURL)
	}
	t.Skipf("no PostGIS: set %s (make test does) to run this test", EnvURL)
	return ""
}

// NewDatabase creates an empty database for the test, dropped when the test
// ends, and returns its URL with the admin credentials.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", EnvURL, err)
	}
	defer CloseConn(t, conn)
	name := "wijkkaart_test_" + randomSuffix(t)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
			return
		}
		defer CloseConn(t, conn)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(t, admin, name, "")
}

// ReaderURL returns the URL of database url as ReaderRole, a login role
// that can only read (it is a member of wijkkaart_reader, which the
// migrations create). Call it after migrating.
func ReaderURL(t testing.TB, dbURL string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer CloseConn(t, conn)
	// Roles belong to the whole server and test packages run in
	// parallel, so creating the role may race: a duplicate is fine.
	const create = `
		DO $$
		BEGIN
			CREATE ROLE ` + ReaderRole + ` LOGIN IN ROLE wijkkaart_reader;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END
		$$`
	if _, err := conn.Exec(ctx, create); err != nil {
		t.Fatalf("pgtest: create reader role: %v", err)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return withDatabase(t, dbURL, u.Path[1:], ReaderRole)
}

// withDatabase returns base with another database and, if given, user.
func withDatabase(t testing.TB, base, database, user string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: %s is not a URL: %v", EnvURL, err)
	}
	u.Path = "/" + database
	if user != "" {
		u.User = url.User(user)
	}
	return u.String()
}

func randomSuffix(t testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// CloseConn closes a connection a test is done with, reporting a failure.
func CloseConn(t testing.TB, conn *pgx.Conn) {
	t.Helper()
	if err := conn.Close(context.Background()); err != nil {
		t.Errorf("pgtest: close: %v", err)
	}
}
