package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/postgis"
	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
)

// boundaryFixture holds the CBS 2022 gemeente and wijken of Utrecht.
const boundaryFixture = "../boundaries/testdata/wijkbuurtkaart_2022_utrecht.gpkg"

// faultIndicator is the indicator the PostGIS fixture has values for.
const faultIndicator = "pct_bijstand"

// utrechtDatabase returns the URL, as the read-only role, of a new PostGIS
// database with Utrecht's gemeente and wijken of 2022 and their demo
// values of faultIndicator.
func utrechtDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := pgtest.NewDatabase(t)
	pool, err := postgis.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := postgis.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	srcs, err := boundaries.ReadGeoPackage(ctx, boundaryFixture, boundaries.GeoPackageOptions{
		Levels: []catalog.Level{catalog.Gemeente, catalog.Wijk},
	})
	if err != nil {
		t.Fatal(err)
	}
	w, err := postgis.NewWriter(ctx, pool, demoServer.cfg.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.ImportBoundaries(ctx, 2022, srcs); err != nil {
		t.Fatal(err)
	}
	values := func(yield func(store.Value) bool) {
		for v := range demoData.Values(demo.BaseYear) {
			inUtrecht := v.Level == catalog.Nederland || v.Code == "GM0344" || (v.Level == catalog.Wijk && v.Code[:6] == "WK0344")
			if v.Indicator == faultIndicator && inUtrecht && !yield(v) {
				return
			}
		}
	}
	if _, err := w.ImportValues(ctx, values, testPolicy); err != nil {
		t.Fatal(err)
	}
	return pgtest.ReaderURL(t, db)
}

// newPostGISServer returns a server on the PostGIS database at dbURL,
// changed by edit.
func newPostGISServer(t *testing.T, dbURL string, edit func(*Config)) *Server {
	t.Helper()
	st, err := postgis.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return newTestServer(t, func(c *Config) {
		c.Store = st
		if edit != nil {
			edit(c)
		}
	})
}

// TestMalformedRequestsPostGIS sends issue 13's malformed requests to the
// PostGIS store, where some once reached SQL: every one is a 4xx JSON
// answer naming the problem.
func TestMalformedRequestsPostGIS(t *testing.T) {
	srv := newPostGISServer(t, utrechtDatabase(t), nil)
	for _, tt := range malformedRequests {
		t.Run(truncate(tt.target, 80), func(t *testing.T) {
			checkErrorAnswer(t, serve(srv, http.MethodGet, tt.target), tt.want)
		})
	}
	for _, tt := range malformedMatrix() {
		t.Run(truncate(tt.target, 120), func(t *testing.T) {
			checkErrorAnswer(t, serve(srv, http.MethodGet, tt.target), tt.want)
		})
	}
}

// TestDatabaseFaults runs the server on PostGIS through a TCP proxy that
// can stop and freeze the database: cached answers keep coming, the rest
// is a quick 503 with Retry-After, never a 500 or a hang, and the server
// recovers without a restart.
func TestDatabaseFaults(t *testing.T) {
	dbURL := utrechtDatabase(t)
	proxy := newFaultProxy(t, dbURL)
	var logs lockedBuffer
	proxied, err := proxy.URL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	srv := newPostGISServer(t, proxied, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		c.RequestTimeout = 2 * time.Second
		c.QueryTimeout = time.Second
		c.TileCacheBytes = 1 << 20
	})
	cachedTile := "/tiles/wijk/12/2106/1351.mvt?indicator=" + faultIndicator
	values := "/api/values?level=wijk&indicator=" + faultIndicator + "&gemeente=GM0344"
	cheap := []string{"/healthz", "/api/indicators", "/api/groups", cachedTile}
	for _, target := range append(slices.Clone(cheap), "/readyz") {
		if rec := serve(srv, http.MethodGet, target); rec.Code != http.StatusOK {
			t.Fatalf("before the faults: %s: %d %s", target, rec.Code, rec.Body)
		}
	}
	for i, fault := range []pgtest.DatabaseState{pgtest.Stopped, pgtest.Frozen} {
		t.Run(string(fault), func(t *testing.T) {
			// A tile not rendered before, and the values, which always ask
			// the store.
			uncached := []string{values, fmt.Sprintf("/tiles/wijk/13/%d/2702.mvt?indicator=%s", 4212+i, faultIndicator)}
			proxy.Set(fault)
			for _, target := range cheap {
				if rec := serve(srv, http.MethodGet, target); rec.Code != http.StatusOK {
					t.Errorf("%s: %d %s, want the cached answer", target, rec.Code, rec.Body)
				}
			}
			for _, target := range append(slices.Clone(uncached), "/readyz") {
				start := time.Now()
				rec := serve(srv, http.MethodGet, target)
				took := time.Since(start)
				if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || !json.Valid(rec.Body.Bytes()) {
					t.Errorf("%s: %d Retry-After %q %s, want a JSON 503 with Retry-After", target, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
				}
				if took > 3*time.Second {
					t.Errorf("%s took %v, want at most the request budget", target, took)
				}
			}
			if fault == pgtest.Frozen {
				checkConcurrentWithoutCache(t, srv)
			}
			proxy.Set(pgtest.Up)
			deadline := time.Now().Add(10 * time.Second)
			for _, target := range append(slices.Clone(uncached), "/readyz") {
				rec := serve(srv, http.MethodGet, target)
				for rec.Code != http.StatusOK && time.Now().Before(deadline) {
					time.Sleep(100 * time.Millisecond)
					rec = serve(srv, http.MethodGet, target)
				}
				if rec.Code != http.StatusOK {
					t.Errorf("after recovery %s: %d %s", target, rec.Code, rec.Body)
				}
			}
		})
	}
	if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "store unavailable") {
		t.Errorf("want the faults logged as the store being unavailable, not as errors:\n%s", logs.String())
	}
}

// lockedBuffer is a log that goroutines may write to at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

// Write implements io.Writer.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// checkConcurrentWithoutCache empties the server's caches while the
// database hangs and sends concurrent requests that need the store: each
// gets its 503 within its own budget, none waits for the others.
func checkConcurrentWithoutCache(t *testing.T, srv *Server) {
	t.Helper()
	// As a server that has not read the data version yet.
	srv.data.mu.Lock()
	srv.data.current = nil
	srv.data.mu.Unlock()
	const n = 6
	took := make(chan time.Duration, n)
	codes := make(chan int, n)
	for range n {
		go func() {
			start := time.Now()
			codes <- serve(srv, http.MethodGet, "/api/indicators").Code
			took <- time.Since(start)
		}()
	}
	for range n {
		if code, d := <-codes, <-took; code != http.StatusServiceUnavailable || d > 3*time.Second {
			t.Errorf("without cache: status %d after %v, want 503 within the request budget", code, d)
		}
	}
}

// newFaultProxy returns a fault proxy to the database of dbURL, closed
// when the test ends.
func newFaultProxy(t *testing.T, dbURL string) *pgtest.FaultProxy {
	t.Helper()
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pgtest.NewFaultProxy("127.0.0.1:0", net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Log(err)
		}
	})
	return p
}
