package web

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
)

// A small store with two gemeente boundary years, 2022 and 2024, and
// value years 2021 and 2022 (on the boundaries of 2022) and 2024:
//
//	GM0001 A      the same area in both years
//	GM0002 B      renamed GM0005 B-Nieuw in 2024, same extent
//	GM0003 C      took in GM0004 D in 2024: same code, larger
//	GM0006, GM0007 merged into the new GM0008 H in 2024
//
// and one wijk with values in 2022 only.

// yearsValues are the published pct_bijstand values of the store, per
// value year and code; a negative value is published as suppressed.
var yearsValues = map[int]map[string]float64{
	2021: {"GM0001": 5.0, "GM0002": 6.0, "GM0003": 8.0, "GM0004": 2.0, "GM0006": 3.0, "GM0007": 4.0, catalog.NederlandCode: 5.5},
	2022: {"GM0001": 4.0, "GM0002": -1, "GM0003": 8.2, "GM0004": 2.1, "GM0006": 3.1, "GM0007": 4.1, catalog.NederlandCode: 5.2},
	2024: {"GM0001": 3.5, "GM0005": 7.0, "GM0003": 9.0, "GM0008": -1, catalog.NederlandCode: 5.0},
}

// square returns a small square south-west corner (lon, lat), in world
// coordinates, with its WGS84 bounds.
func square(lon, lat float64) (orb.MultiPolygon, orb.Bound) {
	ring := orb.Ring{{lon, lat}, {lon + 0.01, lat}, {lon + 0.01, lat + 0.01}, {lon, lat + 0.01}, {lon, lat}}
	return geo.ProjectMultiPolygon(orb.MultiPolygon{{ring}}, geo.LonLatToWorld), ring.Bound()
}

// yearsArea returns a gemeente of boundary year year made of the squares
// at the given longitudes.
func yearsArea(year int, code, name string, id uint64, lons ...float64) store.Area {
	a := store.Area{Level: catalog.Gemeente, Year: year, Code: code, Name: name, GemeenteCode: code, GemeenteName: name, ID: id}
	for i, lon := range lons {
		g, b := square(lon, 52.0)
		a.Geometry = append(a.Geometry, g...)
		if i == 0 {
			a.LonLatBound = b
		} else {
			a.LonLatBound = a.LonLatBound.Union(b)
		}
	}
	return a
}

func yearsAreas() []store.Area {
	wijk := yearsArea(2022, "WK000101", "Wijk", 99, 5.00)
	wijk.Level, wijk.GemeenteCode, wijk.GemeenteName = catalog.Wijk, "GM0001", "A"
	return []store.Area{
		yearsArea(2022, "GM0001", "A", 1, 5.00), yearsArea(2022, "GM0002", "B", 2, 5.02),
		yearsArea(2022, "GM0003", "C", 3, 5.04), yearsArea(2022, "GM0004", "D", 4, 5.06),
		yearsArea(2022, "GM0006", "F", 6, 5.08), yearsArea(2022, "GM0007", "G", 7, 5.10),
		yearsArea(2024, "GM0001", "A", 11, 5.00), yearsArea(2024, "GM0005", "B-Nieuw", 15, 5.02),
		yearsArea(2024, "GM0003", "C", 13, 5.04, 5.06), yearsArea(2024, "GM0008", "H", 18, 5.08, 5.10),
		wijk,
	}
}

func yearsLineage() []store.Lineage {
	link := func(code string, rel store.Relation, to string) store.Lineage {
		return store.Lineage{Level: catalog.Gemeente, From: 2022, To: 2024, Code: code, Relation: rel,
			Successors: []store.Successor{{Code: to, Share: 1, Covers: 1}}}
	}
	return []store.Lineage{
		link("GM0001", store.Same, "GM0001"), link("GM0002", store.Renamed, "GM0005"),
		link("GM0003", store.Merged, "GM0003"), link("GM0004", store.Merged, "GM0003"),
		link("GM0006", store.Merged, "GM0008"), link("GM0007", store.Merged, "GM0008"),
	}
}

// newYearsServer returns a server of the multi-year store.
func newYearsServer(t testing.TB) *Server {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := memstore.NewBuilder(cat, yearsAreas())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.BoundaryYears([]store.BoundaryYear{
		{Level: catalog.Gemeente, Year: 2021, Boundary: 2022},
	}); err != nil {
		t.Fatal(err)
	}
	b.Lineage(yearsLineage())
	for year, values := range yearsValues {
		for code, v := range values {
			level, err := catalog.LevelOfCode(code)
			if err != nil {
				t.Fatal(err)
			}
			addYearsValue(t, b, level, year, code, v)
		}
		b.Published(store.Publication{Year: year, Indicator: "pct_bijstand", MinObservations: 10, CountRounding: 5})
	}
	addYearsValue(t, b, catalog.Wijk, 2022, "WK000101", 4.4)
	srv, err := New(Config{Store: b.Build(1), Catalog: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TileCacheBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func addYearsValue(t testing.TB, b *memstore.Builder, level catalog.Level, year int, code string, v float64) {
	t.Helper()
	p := store.Published{Level: level, Year: year, Code: code, Indicator: "pct_bijstand", Group: catalog.TotaalGroup,
		Status: store.OK, Provenance: store.Demo}
	if v < 0 {
		p.Status = store.Suppressed
	}
	if err := b.Add(p.WithNumbers(store.NullFloat(v), store.NullFloat(v*10), store.NullFloat(1000))); err != nil {
		t.Fatal(err)
	}
}

// serveTo sends a GET to h.
func serveTo(t testing.TB, h http.Handler, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// serveJSON sends a GET to h and decodes a 200 JSON answer into v.
func serveJSON(t testing.TB, h http.Handler, target string, v any) {
	t.Helper()
	res, body := serveTo(t, h, target)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", target, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
}

// yearsTile returns the features of the one z10 tile that holds every
// area of the store, by code.
func yearsTile(t testing.TB, h http.Handler, query string) map[string]map[string]any {
	t.Helper()
	tile := maptile.At(orb.Point{5.05, 52.005}, 10)
	res, body := serveTo(t, h, fmt.Sprintf("/tiles/gemeente/%d/%d/%d.mvt?%s", tile.Z, tile.X, tile.Y, query))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", query, res.StatusCode, body)
	}
	return decodeFeatures(t, body)
}

// decodeFeatures decodes a tile and returns its features' properties by
// code.
func decodeFeatures(t testing.TB, body []byte) map[string]map[string]any {
	t.Helper()
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]map[string]any)
	for _, l := range layers {
		for _, f := range l.Features {
			out[f.Properties["code"].(string)] = f.Properties
		}
	}
	return out
}
