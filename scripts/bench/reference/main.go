// Command reference serves the two baselines scripts/bench-tiles.sh
// measures wijkkaart against, on the same URLs:
//
//	reference trivial --addr A --body FILE --headers FILE
//	reference sqltile --addr A --database-url URL
//
// trivial writes one fixed answer (a cached tile's bytes and headers, as
// wijkkaart sent them) to every request: the fastest a Go HTTP server can
// answer that tile. sqltile answers GET /tiles/{level}/{z}/{x}/{y}.mvt
// ?indicator=&group= with wijkkaart_bench.tile (scripts/bench/tile-function.sql),
// a plain ST_AsMVT function over wijkkaart's tables, through a pgx pool and
// without a cache: the pg_tileserv/Martin function-layer approach. Both
// are benchmark tools, not part of the server.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "reference:", err)
		os.Exit(1)
	}
}

// run parses the mode and its flags and serves until SIGTERM or SIGINT.
func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: reference trivial|sqltile [flags]")
	}
	fs := flag.NewFlagSet("reference "+args[0], flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:18490", "listen address")
	body := fs.String("body", "", "trivial: file with the answer's body")
	headers := fs.String("headers", "", "trivial: file with the answer's headers as curl -D writes them")
	databaseURL := fs.String("database-url", "", "sqltile: the database with wijkkaart's tables and wijkkaart_bench.tile")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	var h http.Handler
	switch args[0] {
	case "trivial":
		t, err := loadTrivial(*body, *headers)
		if err != nil {
			return err
		}
		h = t
	case "sqltile":
		s, err := openSQLTile(ctx, *databaseURL)
		if err != nil {
			return err
		}
		defer s.pool.Close()
		h = s
	default:
		return fmt.Errorf("unknown mode %q: trivial or sqltile", args[0])
	}
	return serve(ctx, *addr, h)
}

// serve listens on addr until ctx ends, then shuts down.
func serve(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	select {
	case err := <-done:
		return fmt.Errorf("listen %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// trivial answers every request with the same headers and body.
type trivial struct {
	header http.Header
	body   []byte
}

// loadTrivial reads the body and the header block curl -D saved. Date and
// Content-Length are left to net/http, as wijkkaart leaves Date to it.
func loadTrivial(bodyPath, headerPath string) (*trivial, error) {
	body, err := os.ReadFile(bodyPath)
	if err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	raw, err := os.ReadFile(headerPath)
	if err != nil {
		return nil, fmt.Errorf("headers: %w", err)
	}
	t := &trivial{header: http.Header{}, body: body}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		name, value, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok {
			continue // the status line and the blank line that ends the block
		}
		switch http.CanonicalHeaderKey(name) {
		case "Date", "Content-Length":
		default:
			t.header.Add(name, strings.TrimSpace(value))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("headers: %w", err)
	}
	return t, nil
}

// ServeHTTP writes the fixed answer.
func (t *trivial) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	for k, vs := range t.header {
		h[k] = vs
	}
	h.Set("Content-Length", strconv.Itoa(len(t.body)))
	if _, err := w.Write(t.body); err != nil {
		slog.Debug("write", "err", err) // the client went away; nothing to answer
	}
}

// sqlTile serves tiles made by wijkkaart_bench.tile, of the year the
// query names or, as wijkkaart does, of the level's latest year with
// values.
type sqlTile struct {
	pool *pgxpool.Pool
	// latest is each level's latest value year.
	latest map[string]int
	mux    *http.ServeMux
}

// openSQLTile connects and reads each level's latest value year once.
func openSQLTile(ctx context.Context, url string) (*sqlTile, error) {
	if url == "" {
		return nil, errors.New("sqltile needs --database-url")
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	s := &sqlTile{pool: pool, latest: make(map[string]int), mux: http.NewServeMux()}
	rows, err := pool.Query(ctx, `SELECT level, max(year) FROM wijkkaart.boundary_year GROUP BY level`)
	if err == nil {
		var level string
		var year int
		_, err = pgx.ForEachRow(rows, []any{&level, &year}, func() error { s.latest[level] = year; return nil })
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("latest years: %w", err)
	}
	s.mux.HandleFunc("GET /tiles/{level}/{z}/{x}/{y}", s.tile)
	return s, nil
}

// ServeHTTP routes the request.
func (s *sqlTile) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// tile answers one tile from the SQL function, gzip-compressed for a
// client that accepts it (as wijkkaart and Martin do).
func (s *sqlTile) tile(w http.ResponseWriter, r *http.Request) {
	var zxy [3]int
	for i, name := range []string{"z", "x", "y"} {
		n, err := strconv.Atoi(strings.TrimSuffix(r.PathValue(name), ".mvt"))
		if err != nil {
			http.Error(w, "bad tile address", http.StatusBadRequest)
			return
		}
		zxy[i] = n
	}
	q := r.URL.Query()
	level, year := r.PathValue("level"), s.latest[r.PathValue("level")]
	if y := q.Get("year"); y != "" {
		var err error
		if year, err = strconv.Atoi(y); err != nil {
			http.Error(w, "bad year", http.StatusBadRequest)
			return
		}
	}
	var body []byte
	err := s.pool.QueryRow(r.Context(), `SELECT wijkkaart_bench.tile($1, $2, $3, $4, $5, $6, $7)`,
		zxy[0], zxy[1], zxy[2], q.Get("indicator"), q.Get("group"), level, year).Scan(&body)
	if err != nil {
		slog.Error("tile", "url", r.URL.String(), "err", err)
		http.Error(w, "tile failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if body, err = gzipped(body); err != nil {
			slog.Error("gzip", "err", err)
			http.Error(w, "tile failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if _, err := w.Write(body); err != nil {
		slog.Debug("write", "err", err) // the client went away; nothing to answer
	}
}

// gzipped compresses a tile at gzip's default level, as wijkkaart does.
func gzipped(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}
