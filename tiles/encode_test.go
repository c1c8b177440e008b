package tiles

import (
	"maps"
	"reflect"
	"slices"
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

// layer is a named set of features with their properties, for tests that
// encode a tile in one call.
type layer struct {
	Name     string
	Features []feature
}

// feature is a Feature with its properties.
type feature struct {
	Feature
	Properties geojson.Properties
}

// features returns the Features of fs.
func features(fs []feature) []Feature {
	out := make([]Feature, len(fs))
	for i, f := range fs {
		out[i] = f.Feature
	}
	return out
}

// encode returns the tile of layers as a server makes it: the features
// clipped to tile t (Shapes) and marshalled with their properties.
func encode(e Encoder, t maptile.Tile, layers ...layer) ([]byte, Stats, error) {
	var stats Stats
	out := make([]ShapedLayer, 0, len(layers))
	for _, l := range layers {
		shapes, err := e.Shapes(t, features(l.Features))
		if err != nil {
			return nil, stats, err
		}
		stats.InvalidPolygons += shapes.Stats.InvalidPolygons
		sl := ShapedLayer{Name: l.Name}
		for _, f := range l.Features {
			if shape, ok := shapes.ByID[f.ID]; ok {
				sl.Features = append(sl.Features, ShapedFeature{ID: f.ID, Shape: shape, Properties: propertiesOf(f.Properties)})
			}
		}
		out = append(out, sl)
	}
	b, err := e.Marshal(out...)
	return b, stats, err
}

// propertiesOf returns GeoJSON properties as a feature's, ordered by key.
func propertiesOf(p geojson.Properties) []Property {
	out := make([]Property, 0, len(p))
	for _, k := range slices.Sorted(maps.Keys(p)) {
		out = append(out, Property{Key: k, Value: p[k]})
	}
	return out
}

func TestEncodeRoundTrip(t *testing.T) {
	wijk := layer{Name: "wijk", Features: []feature{{
		Feature:    Feature{ID: 34401, Geometry: utrechtSquare()},
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
			b, _, err := encode(DefaultEncoder(), tt.tile, wijk)
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
	wijk := layer{Name: "wijk", Features: []feature{{Feature: Feature{ID: 1, Geometry: utrechtSquare()}}}}
	tile := maptile.At(orb.Point{5.12, 52.09}, 14)
	for b.Loop() {
		if _, _, err := encode(DefaultEncoder(), tile, wijk); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMarshalAsOrb checks the tile writer against orb's: the same
// features, with properties of every type a tile holds, decode alike.
func TestMarshalAsOrb(t *testing.T) {
	tile := maptile.At(orb.Point{5.12, 52.09}, 12)
	props := geojson.Properties{"code": "WK034401", "value": 4.5, "count": 12, "big": uint64(1) << 40, "ok": true, "neg": int64(-3)}
	wijken := []feature{
		{Feature: Feature{ID: 34401, Geometry: utrechtSquare()}, Properties: props},
		{Feature: Feature{ID: 34402, Geometry: utrechtSquare()}, Properties: geojson.Properties{"code": "WK034402", "value": 4.5}},
	}
	ours, _, err := encode(DefaultEncoder(), tile, layer{Name: "wijk", Features: wijken})
	if err != nil {
		t.Fatal(err)
	}
	shapes, err := DefaultEncoder().Shapes(tile, features(wijken))
	if err != nil {
		t.Fatal(err)
	}
	if len(shapes.ByID) != 2 || shapes.Size() <= 0 {
		t.Fatalf("shapes %+v", shapes)
	}
	// orb's encoder on the same clipped geometry.
	tr := geo.NewTileTransform(uint32(tile.Z), tile.X, tile.Y, 4096)
	mp, _ := geo.TileGeometry(wijken[0].Geometry, tr, 4096, 64, 0)
	clipped := geometry(mp)
	var orbLayer mvt.Layer
	orbLayer.Name, orbLayer.Version, orbLayer.Extent = "wijk", 2, 4096
	for _, f := range wijken {
		gf := geojson.NewFeature(clipped)
		gf.ID, gf.Properties = f.ID, f.Properties
		orbLayer.Features = append(orbLayer.Features, gf)
	}
	theirs, err := mvt.Marshal(mvt.Layers{&orbLayer})
	if err != nil {
		t.Fatal(err)
	}
	a, err := mvt.Unmarshal(ours)
	if err != nil {
		t.Fatal(err)
	}
	b, err := mvt.Unmarshal(theirs)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 1 || len(b) != 1 || a[0].Name != b[0].Name || a[0].Version != b[0].Version || a[0].Extent != b[0].Extent {
		t.Fatalf("layers differ: %+v and %+v", a, b)
	}
	for i := range b[0].Features {
		fa, fb := a[0].Features[i], b[0].Features[i]
		if fa.ID != fb.ID || !orb.Equal(fa.Geometry, fb.Geometry) || !reflect.DeepEqual(fa.Properties, fb.Properties) {
			t.Errorf("feature %d: ours %v %v %v, orb's %v %v %v", i, fa.ID, fa.Geometry, fa.Properties, fb.ID, fb.Geometry, fb.Properties)
		}
	}
}

func TestMarshalRejectsUnknownValues(t *testing.T) {
	tile := maptile.At(orb.Point{5.12, 52.09}, 12)
	f := feature{Feature: Feature{ID: 1, Geometry: utrechtSquare()}, Properties: geojson.Properties{"when": struct{}{}}}
	if _, _, err := encode(DefaultEncoder(), tile, layer{Name: "wijk", Features: []feature{f}}); err == nil {
		t.Error("a property of a type a tile cannot hold was encoded")
	}
}

func TestShapesUnion(t *testing.T) {
	tile := maptile.At(orb.Point{5.12, 52.09}, 12)
	a, err := DefaultEncoder().Shapes(tile, []Feature{{ID: 1, Geometry: utrechtSquare()}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := DefaultEncoder().Shapes(tile, []Feature{{ID: 2, Geometry: utrechtSquare()}})
	if err != nil {
		t.Fatal(err)
	}
	u := a.Union(b)
	if len(u.ByID) != 2 || len(a.ByID) != 1 || len(b.ByID) != 1 {
		t.Errorf("union has %d shapes (parts %d and %d, which must stay as they were)", len(u.ByID), len(a.ByID), len(b.ByID))
	}
	if got := (Shapes{}).Union(b); len(got.ByID) != 1 {
		t.Errorf("union with none: %d shapes", len(got.ByID))
	}
}
