package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"x-gzip", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"identity", false},
		{"br", false},
		{"gzip;q=nonsense", false},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := acceptsGzip(tt.header); got != tt.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestNoneMatch(t *testing.T) {
	tags := []string{`"abc"`, `"abc-gzip"`}
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{`"abc"`, true},
		{`"abc-gzip"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{"*", true},
		{`"ab"`, false},
		{`abc`, false},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := noneMatch(tt.header, tags...); got != tt.want {
				t.Errorf("noneMatch(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

const testTile = "/tiles/wijk/10/525/336.mvt?indicator=pct_bijstand&group=marokko"

// TestTileEncodings asks one tile as a client that takes gzip and as one
// that does not: both decode to the same MVT, and the tags differ.
func TestTileEncodings(t *testing.T) {
	plainRes, plain := get(t, testTile)
	gzRes, gz := get(t, testTile, "Accept-Encoding", "gzip, deflate, br")
	for _, res := range []*http.Response{plainRes, gzRes} {
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" ||
			res.Header.Get("Vary") != "Accept-Encoding" || res.Header.Get("ETag") == "" {
			t.Fatalf("answer %d with headers %v", res.StatusCode, res.Header)
		}
	}
	if ce := plainRes.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("plain answer has Content-Encoding %q", ce)
	}
	if ce := gzRes.Header.Get("Content-Encoding"); ce != "gzip" {
		t.Errorf("gzip answer has Content-Encoding %q", ce)
	}
	if plainRes.Header.Get("ETag") == gzRes.Header.Get("ETag") {
		t.Errorf("plain and gzip answers share the strong ETag %s", gzRes.Header.Get("ETag"))
	}
	if len(gz) >= len(plain) {
		t.Errorf("gzip tile is %d bytes, plain %d", len(gz), len(plain))
	}
	unzipped, err := gunzipTile(&sync.Pool{}, gz)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unzipped, plain) {
		t.Fatal("the gzip tile does not decompress to the plain tile")
	}
	layers, err := mvt.Unmarshal(plain)
	if err != nil || len(layers) != 1 || layers[0].Name != "wijk" || len(layers[0].Features) == 0 {
		t.Fatalf("plain tile: %v, %d layers", err, len(layers))
	}
	if gzLayers, err := mvt.UnmarshalGzipped(gz); err != nil || len(gzLayers[0].Features) != len(layers[0].Features) {
		t.Fatalf("gzip tile: %v", err)
	}
}

// TestTileETag checks that the ETag names the canonical tile and the data
// version, and that If-None-Match gets a 304 without a body.
func TestTileETag(t *testing.T) {
	res, _ := get(t, testTile)
	tag := res.Header.Get("ETag")
	gzRes, _ := get(t, testTile, "Accept-Encoding", "gzip")
	tests := []struct {
		name, target string
		header       []string
		wantStatus   int
		wantTag      string
	}{
		{"same tile, other parameter order", "/tiles/wijk/10/525/336.mvt?group=marokko&indicator=pct_bijstand", nil, http.StatusOK, tag},
		{"default group spelled out", "/tiles/wijk/10/525/336.mvt?indicator=pct_bijstand&group=totaal",
			nil, http.StatusOK, mustTag(t, "/tiles/wijk/10/525/336.mvt?indicator=pct_bijstand")},
		{"revalidated", testTile, []string{"If-None-Match", tag}, http.StatusNotModified, tag},
		{"revalidated with the gzip tag", testTile, []string{"If-None-Match", gzRes.Header.Get("ETag")}, http.StatusNotModified, tag},
		{"gzip client revalidated", testTile, []string{"If-None-Match", tag, "Accept-Encoding", "gzip"}, http.StatusNotModified, gzRes.Header.Get("ETag")},
		{"stale tag", testTile, []string{"If-None-Match", `"0123"`}, http.StatusOK, tag},
		{"any tag", testTile, []string{"If-None-Match", "*"}, http.StatusNotModified, tag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, tt.target, tt.header...)
			if res.StatusCode != tt.wantStatus || res.Header.Get("ETag") != tt.wantTag {
				t.Fatalf("status %d ETag %s, want %d %s", res.StatusCode, res.Header.Get("ETag"), tt.wantStatus, tt.wantTag)
			}
			if tt.wantStatus == http.StatusNotModified && (len(body) > 0 || res.Header.Get("Cache-Control") != tileCacheControl) {
				t.Errorf("304 with %d bytes and Cache-Control %q", len(body), res.Header.Get("Cache-Control"))
			}
		})
	}
	if other := mustTag(t, "/tiles/wijk/10/525/336.mvt?indicator=pct_bijstand&group=turkije"); other == tag {
		t.Error("tiles of two groups share an ETag")
	}
	if other := (tileKey{version: 2}).etag(); other == (tileKey{version: 1}).etag() {
		t.Error("two data versions share an ETag")
	}
}

func mustTag(t *testing.T, target string) string {
	t.Helper()
	res, body := get(t, target)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", target, res.StatusCode, body)
	}
	return res.Header.Get("ETag")
}

// TestTileHead checks that HEAD answers the headers of GET without a body.
func TestTileHead(t *testing.T) {
	for _, encoding := range []string{"", "gzip"} {
		t.Run("Accept-Encoding "+encoding, func(t *testing.T) {
			getRes, body := get(t, testTile, "Accept-Encoding", encoding)
			req := httptest.NewRequest(http.MethodHead, "http://wijkkaart.test"+testTile, nil)
			req.Header.Set("Accept-Encoding", encoding)
			rec := httptest.NewRecorder()
			demoServer.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
				t.Fatalf("HEAD: %d with %d bytes", rec.Code, rec.Body.Len())
			}
			for _, name := range []string{"Content-Length", "Content-Encoding", "ETag", "Content-Type", "Vary"} {
				if got, want := rec.Header().Get(name), getRes.Header.Get(name); got != want {
					t.Errorf("HEAD %s %q, GET %q", name, got, want)
				}
			}
			if rec.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %s, body %d bytes", rec.Header().Get("Content-Length"), len(body))
			}
		})
	}
}

// TestCacheKeepsGzip checks that the cache holds each tile once,
// compressed, and serves both encodings from it.
func TestCacheKeepsGzip(t *testing.T) {
	srv, err := New(Config{Store: demoServer.cfg.Store, Catalog: demoServer.cfg.Catalog,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TileCacheBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(encoding string) []byte {
		req := httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+testTile, nil)
		req.Header.Set("Accept-Encoding", encoding)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	gz := ask("gzip")
	plain := ask("")
	st := srv.cache.Stats()
	if st.Entries != 1 || st.Hits != 1 || st.Misses != 1 || st.Bytes != int64(len(gz)) {
		t.Errorf("cache %+v, want one tile of %d gzip bytes (plain %d), one hit, one miss", st, len(gz), len(plain))
	}
	// A revalidation is answered without asking the cache.
	req := httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+testTile, nil)
	req.Header.Set("If-None-Match", headTag(t, srv))
	hits := srv.cache.Stats().Hits
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || srv.cache.Stats().Hits != hits {
		t.Errorf("revalidation: %d, cache %+v", rec.Code, srv.cache.Stats())
	}
}

// headTag reads the ETag of testTile from srv.
func headTag(t *testing.T, srv *Server) string {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "http://wijkkaart.test"+testTile, nil))
	return rec.Header().Get("ETag")
}

// TestDocumentETag checks the content ETag of TileJSON and styles.
func TestDocumentETag(t *testing.T) {
	for _, target := range []string{"/tiles/wijk.json?indicator=pct_bijstand", "/styles/wijk.json?indicator=pct_bijstand&gemeente=GM0344"} {
		t.Run(target, func(t *testing.T) {
			res, body := get(t, target)
			tag := res.Header.Get("ETag")
			if res.StatusCode != http.StatusOK || tag == "" || res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Fatalf("%d ETag %q Content-Length %s (%d bytes)", res.StatusCode, tag, res.Header.Get("Content-Length"), len(body))
			}
			res, body = get(t, target, "If-None-Match", tag)
			if res.StatusCode != http.StatusNotModified || len(body) != 0 || res.Header.Get("ETag") != tag {
				t.Errorf("revalidation: %d, %d bytes, ETag %q", res.StatusCode, len(body), res.Header.Get("ETag"))
			}
			res, _ = get(t, target+"&year=1900", "If-None-Match", tag)
			if res.StatusCode != http.StatusBadRequest || res.Header.Get("ETag") != "" {
				t.Errorf("bad year: %d, ETag %q", res.StatusCode, res.Header.Get("ETag"))
			}
		})
	}
}

// BenchmarkCachedTile measures a cached tile through the whole server
// (middleware, parsing, metrics, cache) as gzip, as plain (decompressed
// per request) and as a 304, next to a trivial handler writing the same
// bytes. Run: go test ./web -run '^$' -bench CachedTile -benchmem
func BenchmarkCachedTile(b *testing.B) {
	srv, err := New(Config{Store: demoServer.cfg.Store, Catalog: demoServer.cfg.Catalog,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TileCacheBytes: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	warm := httptest.NewRecorder()
	srv.ServeHTTP(warm, httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+testTile, nil))
	gzReq := httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+testTile, nil)
	gzReq.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, gzReq)
	body, tag := rec.Body.Bytes(), rec.Header().Get("ETag")
	trivial := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/vnd.mapbox-vector-tile")
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if _, err := w.Write(body); err != nil {
			b.Fatal(err)
		}
	})
	plainReq := httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+testTile, nil)
	condReq := httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+testTile, nil)
	condReq.Header.Set("If-None-Match", tag)
	for _, bc := range []struct {
		name string
		h    http.Handler
		req  *http.Request
		want int
	}{
		{"gzip", srv, gzReq, http.StatusOK},
		{"plain", srv, plainReq, http.StatusOK},
		{"304", srv, condReq, http.StatusNotModified},
		{"trivial", trivial, gzReq, http.StatusOK},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				bc.h.ServeHTTP(rec, bc.req)
				if rec.Code != bc.want {
					b.Fatalf("%d", rec.Code)
				}
			}
		})
	}
}
