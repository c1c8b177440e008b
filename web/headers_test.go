package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSecurityHeaders checks the headers browsers act on: the page may be
// framed by its own origin only, /embed by the configured origins, data
// by none; nothing is MIME-sniffed.
func TestSecurityHeaders(t *testing.T) {
	tests := []struct {
		name           string
		frameAncestors []string
		target         string
		wantAncestors  string
	}{
		{"page", nil, "/", "frame-ancestors 'self'"},
		{"script", nil, "/app.js", "frame-ancestors 'self'"},
		{"embed default", nil, "/embed", "frame-ancestors *"},
		{"embed configured", []string{"https://www.utrecht.nl", "https://*.example.nl"}, "/embed?embed=1", "frame-ancestors https://www.utrecht.nl https://*.example.nl"},
		{"api", nil, "/api/indicators", "frame-ancestors 'none'"},
		{"tile", nil, "/tiles/wijk/6/33/21.mvt?indicator=inwoners", "frame-ancestors 'none'"},
		{"error", nil, "/api/nothing", "frame-ancestors 'none'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(c *Config) { c.FrameAncestors = tt.frameAncestors })
			rec := serve(srv, http.MethodGet, tt.target)
			h := rec.Header()
			if csp := h.Get("Content-Security-Policy"); !strings.HasSuffix(csp, tt.wantAncestors) {
				t.Errorf("CSP %q, want it to end in %q", csp, tt.wantAncestors)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if got := h.Get("Referrer-Policy"); got != "strict-origin-when-cross-origin" {
				t.Errorf("Referrer-Policy %q", got)
			}
		})
	}
}

// TestEmbedServesThePage checks /embed is the client's page.
func TestEmbedServesThePage(t *testing.T) {
	srv := newTestServer(t, nil)
	rec := serve(srv, http.MethodGet, "/embed?embed=1")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<title>wijkkaart</title>") {
		t.Errorf("%d %q", rec.Code, rec.Body)
	}
}

// TestCacheControl checks every cacheable answer says for how long, and
// that errors and health checks are never cached.
func TestCacheControl(t *testing.T) {
	srv := newTestServer(t, nil)
	tests := []struct {
		target string
		want   string
	}{
		{"/api/indicators", "public, max-age=600"},
		{"/api/groups", "public, max-age=600"},
		{"/api/areas?q=utrecht", "public, max-age=300"},
		{"/api/values?level=gemeente&indicator=inwoners", "public, max-age=300"},
		{"/api/legend?level=wijk&indicator=pct_bijstand&gemeente=GM0344", "public, max-age=300"},
		{"/tiles/wijk.json?indicator=pct_bijstand", "public, max-age=300"},
		{"/styles/wijk.json?indicator=pct_bijstand&gemeente=GM0344", "public, max-age=300"},
		{"/tiles/wijk/10/525/336.mvt?indicator=pct_bijstand", "public, max-age=3600"},
		{"/", "no-cache"},
		{"/app.js", "public, max-age=300"},
		{"/healthz", "no-store"},
		{"/readyz", "no-store"},
		{"/api/values?level=wijk", "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := serve(srv, http.MethodGet, tt.target)
			if got := rec.Header().Get("Cache-Control"); got != tt.want {
				t.Errorf("Cache-Control %q, want %q (status %d)", got, tt.want, rec.Code)
			}
		})
	}
}

// TestAllowedHosts checks that links in TileJSON use only an allowed Host,
// and that another Host is refused.
func TestAllowedHosts(t *testing.T) {
	srv := newTestServer(t, func(c *Config) { c.AllowedHosts = []string{"kaart.example.nl", "localhost:8080"} })
	tests := []struct {
		host       string
		wantStatus int
	}{
		{"kaart.example.nl", 200},
		{"KAART.example.nl:443", 200},
		{"localhost:8080", 200},
		{"localhost:9090", 400},
		{"evil.example", 400},
		{"", 400},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			rec := serve(srv, http.MethodGet, "/tiles/wijk.json?indicator=pct_bijstand", "Host", tt.host)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantStatus != 200 {
				checkErrorAnswer(t, rec, "Host header")
				return
			}
			var doc tileJSONDoc
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(doc.Tiles[0], "http://"+tt.host+"/tiles/") {
				t.Errorf("tile URL %q", doc.Tiles[0])
			}
		})
	}
	t.Run("health checks from any host", func(t *testing.T) {
		if rec := serve(srv, http.MethodGet, "/healthz", "Host", "10.0.0.7:8080"); rec.Code != 200 {
			t.Errorf("status %d", rec.Code)
		}
	})
	t.Run("public URL wins", func(t *testing.T) {
		srv := newTestServer(t, func(c *Config) { c.PublicURL = "https://kaart.example.nl/wijkkaart" })
		rec := serve(srv, http.MethodGet, "/tiles/wijk.json?indicator=pct_bijstand", "Host", "evil.example")
		if !strings.Contains(rec.Body.String(), `"https://kaart.example.nl/wijkkaart/tiles/wijk/`) || strings.Contains(rec.Body.String(), "evil") {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
}

func TestParseLists(t *testing.T) {
	tests := []struct {
		name    string
		parse   func(string) ([]string, error)
		list    string
		want    string
		wantErr bool
	}{
		{"ancestors", ParseFrameAncestors, "https://www.utrecht.nl, 'self'", "https://www.utrecht.nl 'self'", false},
		{"ancestors wildcard", ParseFrameAncestors, "*", "*", false},
		{"ancestors injection", ParseFrameAncestors, "https://a.nl; script-src *", "", true},
		{"ancestors path", ParseFrameAncestors, "https://a.nl/x", "", true},
		{"ancestors empty", ParseFrameAncestors, " , ", "", true},
		{"hosts", ParseAllowedHosts, "Kaart.example.nl, localhost:8080,[::1]", "kaart.example.nl localhost:8080 [::1]", false},
		{"hosts path", ParseAllowedHosts, "kaart.example.nl/x", "", true},
		{"hosts scheme", ParseAllowedHosts, "https://kaart.example.nl", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.list)
			if (err != nil) != tt.wantErr || strings.Join(got, " ") != tt.want {
				t.Errorf("got %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestHealthAndReadiness checks liveness does not depend on the store and
// readiness does, and that readiness fails while draining.
func TestHealthAndReadiness(t *testing.T) {
	srv := newTestServer(t, nil)
	for _, target := range []string{"/healthz", "/readyz"} {
		if rec := serve(srv, http.MethodGet, target); rec.Code != http.StatusOK {
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	srv.Drain()
	if rec := serve(srv, http.MethodGet, "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("/healthz while draining: %d", rec.Code)
	}
	rec := serve(srv, http.MethodGet, "/readyz")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("/readyz while draining: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
}

// TestLimiter checks that the limiter runs at most its slots at once,
// queues a bounded number, and refuses the rest with a 503.
func TestLimiter(t *testing.T) {
	l := newLimiter(2, 1, 50*time.Millisecond)
	ctx := context.Background()
	r1, err1 := l.acquire(ctx)
	r2, err2 := l.acquire(ctx)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	t.Run("waits too long", func(t *testing.T) {
		_, err := l.acquire(ctx)
		var ae *apiError
		if !errors.As(err, &ae) || ae.status != http.StatusServiceUnavailable {
			t.Errorf("got %v, want a 503", err)
		}
	})
	t.Run("queue full", func(t *testing.T) {
		var wg sync.WaitGroup
		queued := make(chan error, 1)
		wg.Go(func() {
			release, err := newLimiterWaiter(l)
			if err == nil {
				release()
			}
			queued <- err
		})
		time.Sleep(10 * time.Millisecond) // let it queue
		start := time.Now()
		_, err := l.acquire(ctx)
		if err == nil || time.Since(start) > 20*time.Millisecond {
			t.Errorf("got %v after %v, want an immediate 503", err, time.Since(start))
		}
		r1()
		wg.Wait()
		if err := <-queued; err != nil {
			t.Errorf("the queued call got %v, want the freed slot", err)
		}
	})
	r2()
	t.Run("nil admits all", func(t *testing.T) {
		var none *limiter
		release, err := none.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		release()
	})
}

// newLimiterWaiter acquires a slot waiting up to a second.
func newLimiterWaiter(l *limiter) (func(), error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	patient := &limiter{slots: l.slots, queue: l.queue, wait: time.Second}
	return patient.acquire(ctx)
}

// TestExpensiveWorkLimited holds the only slot for expensive work: the
// expensive requests get a quick 503 with Retry-After, the cheap ones
// are answered as usual.
func TestExpensiveWorkLimited(t *testing.T) {
	srv := newTestServer(t, func(c *Config) {
		c.ExpensiveSlots, c.ExpensiveQueue, c.ExpensiveWait = 1, 0, 0
		c.TileCacheBytes = 1 << 20
	})
	release, err := srv.expensive.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	tests := []struct {
		target string
		want   int
	}{
		{"/tiles/wijk/6/33/21.mvt?indicator=inwoners", http.StatusServiceUnavailable},
		{"/api/values?level=wijk&indicator=inwoners", http.StatusServiceUnavailable},
		{"/api/areas?level=buurt", http.StatusServiceUnavailable},
		{"/api/areas?q=utrecht&limit=1000", http.StatusServiceUnavailable},
		{"/tiles/wijk/10/525/336.mvt?indicator=inwoners", http.StatusOK},
		{"/api/values?level=wijk&indicator=inwoners&gemeente=GM0344", http.StatusOK},
		{"/api/areas?q=utrecht", http.StatusOK},
		{"/api/indicators", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := serve(srv, http.MethodGet, tt.target)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, truncate(rec.Body.String(), 200))
			}
			if tt.want == http.StatusServiceUnavailable {
				checkRetryAfter(t, rec.Header())
			}
		})
	}
}

func checkRetryAfter(t *testing.T, h http.Header) {
	t.Helper()
	if h.Get("Retry-After") == "" || h.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("Retry-After %q, Content-Type %q; want a JSON 503 with Retry-After", h.Get("Retry-After"), h.Get("Content-Type"))
	}
}

// TestConnectSources checks the page may fetch from the public URL's
// origin, where TileJSON and styles send it.
func TestConnectSources(t *testing.T) {
	tests := []struct {
		publicURL string
		want      string
	}{
		{"", "connect-src 'self';"},
		{"https://tiles.example.nl/wijkkaart", "connect-src 'self' https://tiles.example.nl;"},
	}
	for _, tt := range tests {
		t.Run(tt.publicURL, func(t *testing.T) {
			srv := newTestServer(t, func(c *Config) { c.PublicURL = tt.publicURL })
			csp := serve(srv, http.MethodGet, "/").Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, tt.want) {
				t.Errorf("CSP %q, want %q", csp, tt.want)
			}
		})
	}
}
