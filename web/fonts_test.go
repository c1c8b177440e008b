package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/wijkkaart/wijkkaart/styles"
)

// TestGlyphRoute checks the glyph ranges the labels are drawn with: the
// ranges Dutch names need are served with caching headers, and anything
// else is a 404 whose JSON names the parameter, never a 500.
func TestGlyphRoute(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		status int
		want   string // in the body: the fontstack's name, or the error
	}{
		{"Latin-1", "/fonts/Go%20Regular/0-255.pbf", http.StatusOK, "Go Regular"},
		{"Latin Extended-A (ĳ)", "/fonts/Go%20Regular/256-511.pbf", http.StatusOK, "256-511"},
		{"bold", "/fonts/Go%20Bold/0-255.pbf", http.StatusOK, "Go Bold"},
		{"a fallback list", "/fonts/Open%20Sans%20Regular,Go%20Regular/0-255.pbf", http.StatusOK, "Go Regular"},
		{"a range without glyphs", "/fonts/Go%20Regular/65280-65535.pbf", http.StatusOK, "65280-65535"},
		{"unknown fontstack", "/fonts/Arial%20Unicode%20MS/0-255.pbf", http.StatusNotFound, "fontstack"},
		{"misaligned range", "/fonts/Go%20Regular/1-256.pbf", http.StatusNotFound, "range"},
		{"range not a range", "/fonts/Go%20Regular/latin.pbf", http.StatusNotFound, "range"},
		{"range beyond Unicode", "/fonts/Go%20Regular/1114112-1114367.pbf", http.StatusNotFound, "range"},
		{"a query", "/fonts/Go%20Regular/0-255.pbf?x=1", http.StatusBadRequest, "unknown query parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if !strings.Contains(string(body), tt.want) {
				t.Errorf("body does not hold %q: %.200q", tt.want, body)
			}
			if tt.status != http.StatusOK {
				var e struct{ Error string }
				if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
					t.Errorf("want a JSON error, got %s (%v)", body, err)
				}
				return
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/x-protobuf" {
				t.Errorf("Content-Type %q", ct)
			}
			if cc := res.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") || res.Header.Get("ETag") == "" {
				t.Errorf("Cache-Control %q, ETag %q: want both", cc, res.Header.Get("ETag"))
			}
			if _, _, n := protowire.ConsumeField(body); n != len(body) {
				t.Errorf("body is not one protobuf field (stacks): %d of %d bytes", n, len(body))
			}
			again, _ := get(t, tt.path, "If-None-Match", res.Header.Get("ETag"))
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("revalidation: status %d, want 304", again.StatusCode)
			}
		})
	}
}

// TestStyleLabels checks that the served style names the areas with the
// server's own glyphs.
func TestStyleLabels(t *testing.T) {
	res, body := get(t, "/styles/wijk.json?indicator=pct_bijstand&group=marokko&year=2022&gemeente=GM0344")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var st styles.Style
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	if st.Glyphs != "http://wijkkaart.test/fonts/{fontstack}/{range}.pbf" {
		t.Errorf("glyphs %q", st.Glyphs)
	}
	top := st.Layers[len(st.Layers)-1]
	if top.ID != styles.LayerLabel || top.Type != "symbol" || top.Source != styles.LabelSourceID {
		t.Fatalf("top layer %s %s %s, want the names", top.ID, top.Type, top.Source)
	}
	if src := st.Sources.Labels; src == nil || src.Data != "http://wijkkaart.test/api/labels?gemeente=GM0344&level=wijk&year=2022" {
		t.Errorf("label source %+v, want the label points of Utrecht's wijken", src)
	}
	// The font the style names is one the glyph route serves.
	font := top.Layout["text-font"].([]any)[0].(string)
	if res, _ := get(t, "/fonts/"+strings.ReplaceAll(font, " ", "%20")+"/0-255.pbf"); res.StatusCode != http.StatusOK {
		t.Errorf("font %q of the style: status %d", font, res.StatusCode)
	}
	// QGIS draws with its own fonts: its style has no labels.
	_, body = get(t, "/styles/wijk.json?indicator=pct_bijstand&group=marokko&gemeente=GM0344&target=qgis")
	if strings.Contains(string(body), styles.LayerLabel) || strings.Contains(string(body), "glyphs") {
		t.Error("the QGIS style has labels")
	}
}
