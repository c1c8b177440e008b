package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
)

// TestLabelPoints checks /api/labels: one point per area of the level,
// inside the area, with its name; bad input is a 4xx naming the problem.
func TestLabelPoints(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		status int
		count  int    // points, when 200
		prefix string // of every code, when 200
	}{
		{"Utrecht's wijken", "level=wijk&gemeente=GM0344", http.StatusOK, 10, "WK0344"},
		{"Utrecht's buurten", "level=buurt&gemeente=GM0344&year=2022", http.StatusOK, -1, "BU0344"},
		{"every gemeente", "level=gemeente&year=2022", http.StatusOK, -1, "GM"},
		{"no level", "gemeente=GM0344", http.StatusBadRequest, 0, ""},
		{"unknown gemeente", "level=wijk&gemeente=GM9999", http.StatusBadRequest, 0, ""},
		{"unknown parameter", "level=wijk&indicator=pct_bijstand", http.StatusBadRequest, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, "/api/labels?"+tt.query)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if tt.status != http.StatusOK {
				return
			}
			fc, err := geojson.UnmarshalFeatureCollection(body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.count >= 0 && len(fc.Features) != tt.count {
				t.Errorf("%d points, want %d", len(fc.Features), tt.count)
			}
			if len(fc.Features) == 0 {
				t.Fatal("no points")
			}
			areas := areasByCode(t, fc)
			for _, f := range fc.Features {
				code, _ := f.Properties["code"].(string)
				name, _ := f.Properties["name"].(string)
				a, ok := areas[code]
				if !strings.HasPrefix(code, tt.prefix) || !ok || name != a.Name {
					t.Fatalf("point %v: code %q name %q, want an area of %s", f.Geometry, code, name, tt.prefix)
				}
				p := geo.LonLatToWorld(f.Geometry.(orb.Point))
				if !planar.MultiPolygonContains(a.Geometry, p) {
					t.Errorf("the label point of %s (%s) is outside it", code, name)
				}
			}
		})
	}
}

// areasByCode reads the areas a label collection names, with geometry.
func areasByCode(t *testing.T, fc *geojson.FeatureCollection) map[string]store.Area {
	t.Helper()
	codes := make([]string, 0, len(fc.Features))
	for _, f := range fc.Features {
		code, _ := f.Properties["code"].(string)
		codes = append(codes, code)
	}
	level, err := catalog.ParseLevel(fc.Features[0].Properties["level"].(string))
	if err != nil {
		t.Fatal(err)
	}
	q := store.AreaQuery{Level: level, Year: 2022, Codes: codes, WithGeometry: true}
	areas, err := demoServer.cfg.Store.Areas(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Area{}
	for _, a := range areas {
		out[a.Code] = a
	}
	return out
}
