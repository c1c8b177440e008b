package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// closedPort returns a loopback address that refuses connections.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// TestClassify checks the errors real faults produce are told apart: a
// database that is gone or slow is a 503, a client that left is nothing,
// anything else a 500.
func TestClassify(t *testing.T) {
	ctx := context.Background()
	addr := closedPort(t)
	_, dialErr := net.Dial("tcp", addr)
	_, connectErr := pgx.Connect(ctx, "postgres://nobody@"+addr+"/none?connect_timeout=2")
	pool, err := pgxpool.New(ctx, "postgres://nobody@"+addr+"/none")
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	closedPoolErr := pool.Ping(ctx)
	deadline, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	<-deadline.Done()
	gone, leave := context.WithCancel(ctx)
	leave()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want errorKind
	}{
		{"connection refused", ctx, fmt.Errorf("postgis: areas: %w", dialErr), storeUnavailable},
		{"pgconn connect error", ctx, connectErr, storeUnavailable},
		{"closed pool", ctx, fmt.Errorf("postgis: years: %w", closedPoolErr), storeUnavailable},
		{"deadline", deadline, fmt.Errorf("tile 6/33/21: %w", deadline.Err()), storeUnavailable},
		{"admin shutdown", ctx, &pgconn.PgError{Code: "57P01"}, storeUnavailable},
		{"connection exception", ctx, &pgconn.PgError{Code: "08006"}, storeUnavailable},
		{"client left", gone, fmt.Errorf("postgis: areas: %w", gone.Err()), clientGone},
		{"client left, store saw EOF", gone, errors.New("unexpected EOF"), clientGone},
		{"database connection reset", ctx, fmt.Errorf("postgis: choropleth: %w", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), storeUnavailable},
		{"database broken pipe", ctx, fmt.Errorf("postgis: areas: %w", syscall.EPIPE), storeUnavailable},
		{"bad SQL", ctx, &pgconn.PgError{Code: "42601"}, internalError},
		{"bug", ctx, errors.New("index out of range"), internalError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("the fault produced no error")
			}
			if got := classify(tt.ctx, tt.err, false); got != tt.want {
				t.Errorf("classify(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

// brokenClient is a client connection that broke: every write fails.
type brokenClient struct{ *httptest.ResponseRecorder }

// Write implements http.ResponseWriter.
func (brokenClient) Write([]byte) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}
}

// TestBrokenPipeLogged checks that a client whose connection breaks while
// it is answered is logged as gone, not as a server error.
func TestBrokenPipeLogged(t *testing.T) {
	var logs lockedBuffer
	srv := newTestServer(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	req := httptest.NewRequest(http.MethodGet, "http://wijkkaart.test/tiles/wijk/10/525/336.mvt?indicator=inwoners", nil)
	srv.ServeHTTP(brokenClient{httptest.NewRecorder()}, req)
	log := logs.String()
	if strings.Contains(log, "level=ERROR") || strings.Contains(log, "level=WARN") || strings.Contains(log, "status=500") ||
		!strings.Contains(log, "client disconnected") {
		t.Errorf("log:\n%s\nwant the broken pipe logged as a client that disconnected", log)
	}
}

// TestClientDisconnectLogged checks a request whose client went away is
// logged as abandoned, not as a 500 or an error.
func TestClientDisconnectLogged(t *testing.T) {
	var logs lockedBuffer
	srv := newTestServer(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "http://wijkkaart.test/api/values?level=wijk&indicator=pct_nww&gemeente=GM0363", nil)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	log := logs.String()
	if rec.Body.Len() > 0 && rec.Code >= 500 {
		t.Errorf("answered %d %s to a client that left", rec.Code, rec.Body)
	}
	if strings.Contains(log, "level=ERROR") || strings.Contains(log, "status=500") || !strings.Contains(log, "status=499") {
		t.Errorf("log:\n%s\nwant the request logged as abandoned (499), without errors", log)
	}
}
