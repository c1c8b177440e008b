package web

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/postgis"
	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
)

// mergerArea are real gemeenten of 2022 and 2024: Amsterdam, which took
// in Weesp; Diemen, which stayed the same; and Voorne aan Zee, new in 2023
// from Brielle, Hellevoetsluis and Westvoorne.
var mergerArea = []string{"GM0363", "GM0384", "GM0457", "GM1992", "GM0501", "GM0530", "GM0614"}

// realGemeenten returns the real CBS gemeenten of mergerArea in a
// boundary year, as the demo reads them.
func realGemeenten(t *testing.T, year int) boundaries.Source {
	t.Helper()
	src, err := demo.Gemeenten(year)
	if err != nil {
		t.Fatal(err)
	}
	src.Features = slices.DeleteFunc(src.Features, func(f boundaries.Feature) bool { return !slices.Contains(mergerArea, f.Code) })
	return src
}

// mergerDatabase returns the URL, as the read-only role, of a PostGIS
// database with the gemeenten of mergerArea in 2022 and 2024 and
// pct_bijstand values of 2021 and 2022 (on the boundaries of 2022) and
// 2024.
func mergerDatabase(t *testing.T) string {
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
	w, err := postgis.NewWriter(ctx, pool, demoServer.cfg.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	for _, year := range []int{2022, 2024} {
		if _, err := w.ImportBoundaries(ctx, year, []boundaries.Source{realGemeenten(t, year)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.ImportValues(ctx, mergerValues, testPolicy); err != nil {
		t.Fatal(err)
	}
	return pgtest.ReaderURL(t, db)
}

// mergerValues yields a pct_bijstand value for every gemeente of each
// year's boundaries, and Nederland.
func mergerValues(yield func(store.Value) bool) {
	codes := map[int][]string{
		2021: {"GM0363", "GM0384", "GM0457", "GM0501", "GM0530", "GM0614"},
		2022: {"GM0363", "GM0384", "GM0457", "GM0501", "GM0530", "GM0614"},
		2024: {"GM0363", "GM0384", "GM1992"},
	}
	for year, cs := range codes {
		for i, code := range append(cs, catalog.NederlandCode) {
			level := catalog.Gemeente
			if code == catalog.NederlandCode {
				level = catalog.Nederland
			}
			v := store.Value{Level: level, Year: year, Code: code, Indicator: "pct_bijstand", Group: catalog.TotaalGroup,
				Value: store.NullFloat(float64(2 + i)), Numerator: store.NullFloat(float64(20 + 10*i)), Denominator: store.NullFloat(1000),
				Observations: 1000, Provenance: store.Demo}
			if !yield(v) {
				return
			}
		}
	}
}

// TestYearsPostGIS asks a series and a change tile of the real Weesp and
// Voorne aan Zee mergers from PostGIS.
func TestYearsPostGIS(t *testing.T) {
	srv := newPostGISServer(t, mergerDatabase(t), nil)
	tests := []struct {
		code string
		want []seriesWant // 2021, 2022, 2024
	}{
		{"GM0363", []seriesWant{{"GM0363", "ok", false, 2}, {"GM0363", "ok", false, 2}, {"GM0363", "ok", true, 2}}},
		{"GM0384", []seriesWant{{"GM0384", "ok", true, 3}, {"GM0384", "ok", true, 3}, {"GM0384", "ok", true, 3}}},
		{"GM1992", []seriesWant{{"", "not_comparable", false, -1}, {"", "not_comparable", false, -1}, {"GM1992", "ok", true, 4}}},
	}
	for _, tc := range tests {
		t.Run("series "+tc.code, func(t *testing.T) {
			var doc seriesDoc
			serveJSON(t, srv, "/api/series?level=gemeente&indicator=pct_bijstand&code="+tc.code, &doc)
			if len(doc.Series) != len(tc.want) {
				t.Fatalf("%d entries, want %d", len(doc.Series), len(tc.want))
			}
			for i, w := range tc.want {
				e := doc.Series[i]
				code := ""
				if e.Code != nil {
					code = *e.Code
				}
				if code != w.code || e.Status != w.status || e.Comparable != w.comparable {
					t.Errorf("%d: code %q status %s comparable %v; want %q %s %v", e.Year, code, e.Status, e.Comparable, w.code, w.status, w.comparable)
				}
			}
		})
	}
	t.Run("change tile", func(t *testing.T) {
		tile := maptile.At(orb.Point{4.95, 52.34}, 8) // Amsterdam, Diemen and Weesp
		res, body := serveTo(t, srv, fmt.Sprintf("/tiles/gemeente/%d/%d/%d.mvt?indicator=pct_bijstand&year=2024&compare=2021", tile.Z, tile.X, tile.Y))
		if res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		features := decodeFeatures(t, body)
		if f := features["GM0363"]; f["status"] != "not_comparable" || f["change"] != nil {
			t.Errorf("Amsterdam: %v", f)
		}
		if f := features["GM0384"]; f["status"] != "ok" || f["change"] != 0.0 {
			t.Errorf("Diemen: %v", f)
		}
	})
}
