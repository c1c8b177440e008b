package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/postgis"
)

// scrape asks srv for /metrics and parses the text format.
func scrape(t *testing.T, srv *Server) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	// A scraper addresses the replica itself: any Host is answered.
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://10.1.2.3:8080/metrics", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("/metrics: %d, Cache-Control %q: %s", rec.Code, rec.Header().Get("Cache-Control"), rec.Body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return families
}

// metricValue returns the value of the series of family name whose labels
// include labels (name=value pairs), summed over the rest; a histogram
// gives its count.
func metricValue(families map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	var sum float64
	f, ok := families[name]
	if !ok {
		return -1
	}
series:
	for _, m := range f.GetMetric() {
		for i := 0; i+1 < len(labels); i += 2 {
			if !hasLabel(m, labels[i], labels[i+1]) {
				continue series
			}
		}
		switch {
		case m.GetCounter() != nil:
			sum += m.GetCounter().GetValue()
		case m.GetGauge() != nil:
			sum += m.GetGauge().GetValue()
		case m.GetHistogram() != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return sum
}

func hasLabel(m *dto.Metric, name, value string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}

func newMetricsServer(t *testing.T, st store.Store) *Server {
	t.Helper()
	srv, err := New(Config{Store: st, Catalog: demoServer.cfg.Catalog,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TileCacheBytes: 1 << 20,
		AllowedHosts: LoopbackHosts(), QueryTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// TestMetrics sends requests and checks that /metrics counts them by route
// template and status class, and reads the tile cache.
func TestMetrics(t *testing.T) {
	srv := newMetricsServer(t, demoServer.cfg.Store)
	before := scrape(t, srv)
	const tileRoute = "/tiles/{level}/{z}/{x}/{y}.mvt"
	if got := metricValue(before, "wijkkaart_http_requests_total", "route", tileRoute); got > 0 {
		t.Fatalf("%v tile requests counted before any was made", got)
	}
	for _, target := range []string{
		testTile, testTile, "/tiles/wijk/10/526/336.mvt?indicator=pct_bijstand",
		"/tiles/wijk/10/525/336.mvt?indicator=nope", "/api/indicators", "/no/such/thing",
	} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost"+target, nil))
	}
	after := scrape(t, srv)
	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"wijkkaart_http_requests_total", []string{"route", tileRoute, "status", "2xx", "method", "GET"}, 3},
		{"wijkkaart_http_requests_total", []string{"route", tileRoute, "status", "4xx"}, 1},
		{"wijkkaart_http_requests_total", []string{"route", "/api/indicators", "status", "2xx"}, 1},
		{"wijkkaart_http_requests_total", []string{"route", "/no/such/thing"}, 0},
		{"wijkkaart_http_request_duration_seconds", []string{"route", tileRoute}, 4},
		{"wijkkaart_tile_cache_hits_total", nil, 1},
		{"wijkkaart_tile_cache_misses_total", nil, 2},
		{"wijkkaart_tile_cache_tiles", nil, 2},
		{"wijkkaart_tile_cache_evictions_total", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name+strings.Join(tt.labels, ","), func(t *testing.T) {
			if got := metricValue(after, tt.name, tt.labels...); got != tt.want {
				t.Errorf("%s %v = %v, want %v", tt.name, tt.labels, got, tt.want)
			}
		})
	}
	if b := metricValue(after, "wijkkaart_tile_cache_bytes"); b <= 0 {
		t.Errorf("wijkkaart_tile_cache_bytes %v", b)
	}
	if _, ok := after["wijkkaart_db_pool_acquires_total"]; ok {
		t.Error("the embedded store has no pool, yet pool metrics are exported")
	}
	if _, ok := after["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

// TestMetricsPool checks that the pool of a PostGIS store, wrapped in
// the query deadline, is exported and moves with the requests.
func TestMetricsPool(t *testing.T) {
	st, err := postgis.Open(t.Context(), utrechtDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	srv := newMetricsServer(t, st)
	before := metricValue(scrape(t, srv), "wijkkaart_db_pool_acquires_total")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost/tiles/wijk/12/2103/1346.mvt?indicator="+faultIndicator, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("tile: %d %s", rec.Code, rec.Body)
	}
	after := scrape(t, srv)
	if got := metricValue(after, "wijkkaart_db_pool_acquires_total"); got <= before {
		t.Errorf("pool acquires %v after a tile, %v before", got, before)
	}
	for _, name := range []string{"wijkkaart_db_pool_total_connections", "wijkkaart_db_pool_max_connections"} {
		if v := metricValue(after, name); v <= 0 {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
}
