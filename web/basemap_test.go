package web

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseBasemapStyle(t *testing.T) {
	tests := []struct {
		link string
		ok   bool
	}{
		{"https://api.pdok.nl/kadaster/brt-achtergrondkaart/ogc/v1/styles/standaard__webmercator?f=mapbox", true},
		{"http://localhost:8081/style.json", true},
		{"/style.json", false},
		{"ftp://example.nl/style.json", false},
		{"https://user:pw@example.nl/style.json", false},
		{"https://example.nl/style.json'; script-src *", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.link, func(t *testing.T) {
			if _, err := ParseBasemapStyle(tt.link); (err == nil) != tt.ok {
				t.Errorf("ParseBasemapStyle(%q) = %v, want ok %v", tt.link, err, tt.ok)
			}
		})
	}
}

// TestBasemapPage checks that the page names the background map's style
// and its CSP lets the page fetch from that origin only when one is set.
func TestBasemapPage(t *testing.T) {
	const pdok = "https://api.pdok.nl/kadaster/brt-achtergrondkaart/ogc/v1/styles/standaard__webmercator?f=mapbox&x=1"
	tests := []struct {
		name    string
		basemap string
		csp     string // the connect-src the page gets
		meta    string // the basemap element of the page
	}{
		{"self-contained by default", "", "connect-src 'self';", `<meta name="wijkkaart:basemap-style" content="" />`},
		{"PDOK", pdok, "connect-src 'self' https://api.pdok.nl;",
			`<meta name="wijkkaart:basemap-style" content="` + strings.ReplaceAll(pdok, "&", "&amp;") + `" />`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(c *Config) {
				c.BasemapStyle = tt.basemap
				c.Client = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><head>" + basemapMeta + "</head>")}}
			})
			for _, path := range []string{"/", "/embed"} {
				rec := serve(srv, http.MethodGet, path)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
				}
				if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, tt.csp) {
					t.Errorf("%s: CSP %q, want %q", path, csp, tt.csp)
				}
				if !strings.Contains(rec.Body.String(), tt.meta) {
					t.Errorf("%s: page %q, want %q", path, rec.Body, tt.meta)
				}
			}
		})
	}
}
