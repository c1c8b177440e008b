package tiles

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/geo"
)

// utrechtSquare is a 1 km square around Utrecht's Dom in world coordinates,
// oriented for tiles.
func utrechtSquare() orb.MultiPolygon {
	var ring orb.Ring
	for _, p := range []orb.Point{{5.115, 52.085}, {5.130, 52.085}, {5.130, 52.094}, {5.115, 52.094}, {5.115, 52.085}} {
		ring = append(ring, geo.LonLatToWorld(p))
	}
	mp := orb.MultiPolygon{{ring}}
	geo.OrientForTiles(mp)
	return mp
}

func TestEncodeRoundTrip(t *testing.T) {
	layer := Layer{Name: "wijk", Features: []Feature{{
		ID:         34401,
		Geometry:   utrechtSquare(),
		Properties: geojson.Properties{"code": "WK034401", "value": 4.5},
	}}}
	tests := []struct {
		name      string
		tile      maptile.Tile
		wantCount int
	}{
		{"z12 over Utrecht", maptile.At(orb.Point{5.12, 52.09}, 12), 1},
		{"z6 over the Netherlands", maptile.At(orb.Point{5.12, 52.09}, 6), 1},
		{"z12 elsewhere", maptile.At(orb.Point{4.0, 51.0}, 12), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _, err := DefaultEncoder().Encode(tt.tile, layer)
			if err != nil {
				t.Fatal(err)
			}
			layers, err := mvt.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantCount == 0 {
				if len(layers) != 0 {
					t.Fatalf("got %d layers, want an empty tile", len(layers))
				}
				return
			}
			if len(layers) != 1 || layers[0].Name != "wijk" || layers[0].Version != 2 || layers[0].Extent != 4096 {
				t.Fatalf("unexpected layers %+v", layers)
			}
			f := layers[0].Features[0]
			if f.ID != float64(34401) || f.Properties["code"] != "WK034401" || f.Properties["value"] != 4.5 {
				t.Errorf("feature id %v properties %v", f.ID, f.Properties)
			}
			poly, ok := f.Geometry.(orb.Polygon)
			if !ok {
				t.Fatalf("geometry %T, want a polygon", f.Geometry)
			}
			// In tile coordinates (y down) the spec wants exterior rings
			// with positive area.
			if a := geo.SignedArea(poly[0]); a <= 0 {
				t.Errorf("exterior ring area %v, want > 0", a)
			}
		})
	}
}

func BenchmarkEncodeSquare(b *testing.B) {
	layer := Layer{Name: "wijk", Features: []Feature{{ID: 1, Geometry: utrechtSquare()}}}
	tile := maptile.At(orb.Point{5.12, 52.09}, 14)
	for b.Loop() {
		if _, _, err := DefaultEncoder().Encode(tile, layer); err != nil {
			b.Fatal(err)
		}
	}
}
