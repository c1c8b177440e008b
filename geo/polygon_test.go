package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func TestOrientForTiles(t *testing.T) {
	tests := []struct {
		name string
		poly orb.Polygon
	}{
		{"exterior negative", orb.Polygon{square(0, 0, 10, 10).Clone()}},
		{"exterior positive", orb.Polygon{reversed(square(0, 0, 10, 10))}},
		{"hole positive", orb.Polygon{square(0, 0, 10, 10).Clone(), reversed(square(2, 2, 4, 4))}},
		{"hole negative", orb.Polygon{reversed(square(0, 0, 10, 10)), square(2, 2, 4, 4).Clone()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp := orb.MultiPolygon{tt.poly}
			OrientForTiles(mp)
			for i, r := range mp[0] {
				a := SignedArea(r)
				if i == 0 && a <= 0 {
					t.Errorf("exterior area %v, want > 0", a)
				}
				if i > 0 && a >= 0 {
					t.Errorf("hole %d area %v, want < 0", i, a)
				}
			}
		})
	}
}

func reversed(r orb.Ring) orb.Ring {
	c := r.Clone()
	c.Reverse()
	return c
}

func TestSignedAreaOpenAndClosedRings(t *testing.T) {
	closed := reversed(square(0, 0, 2, 3))
	open := closed[:len(closed)-1]
	if a, b := SignedArea(closed), SignedArea(open); a != b || math.Abs(a) != 6 {
		t.Errorf("areas %v and %v, want both ±6", a, b)
	}
}

func TestWorldRoundTrip(t *testing.T) {
	for _, p := range []orb.Point{{5.12, 52.09}, {0, 0}, {-179.9, -60}, {179.9, 80}} {
		got := WorldToLonLat(LonLatToWorld(p))
		if math.Abs(got[0]-p[0]) > 1e-9 || math.Abs(got[1]-p[1]) > 1e-9 {
			t.Errorf("round trip of %v gave %v", p, got)
		}
	}
	if w := LonLatToWorld(orb.Point{0, 0}); w != (orb.Point{0.5, 0.5}) {
		t.Errorf("0,0 maps to %v, want the centre of the world", w)
	}
}

func TestTileGeometry(t *testing.T) {
	// Tile 1/0/0 covers world [0, 0.5]²; at extent 4096 one world unit is
	// 8192 tile units.
	tr := NewTileTransform(1, 0, 0, 4096)
	const extent, buffer = 4096, 64
	tests := []struct {
		name      string
		mp        orb.MultiPolygon
		wantNil   bool
		wantPolys int
		wantBound orb.Bound
	}{
		{
			name:      "inside stays as it is",
			mp:        orb.MultiPolygon{{reversed(square(0.1, 0.1, 0.2, 0.2))}},
			wantPolys: 1,
			wantBound: orb.Bound{Min: orb.Point{819, 819}, Max: orb.Point{1638, 1638}},
		},
		{
			name:      "crossing the edge is clipped to the buffer",
			mp:        orb.MultiPolygon{{reversed(square(0.4, 0.1, 0.9, 0.2))}},
			wantPolys: 1,
			wantBound: orb.Bound{Min: orb.Point{3277, 819}, Max: orb.Point{4160, 1638}},
		},
		{
			name:    "outside is dropped",
			mp:      orb.MultiPolygon{{reversed(square(0.7, 0.7, 0.9, 0.9))}},
			wantNil: true,
		},
		{
			name:    "smaller than a grid unit collapses",
			mp:      orb.MultiPolygon{{reversed(square(0.1, 0.1, 0.10001, 0.10001))}},
			wantNil: true,
		},
		{
			name: "a U crossing the edge twice becomes two polygons",
			mp: orb.MultiPolygon{{reversed(orb.Ring{
				{0.4, 0.1}, {0.9, 0.1}, {0.9, 0.3}, {0.4, 0.3}, {0.4, 0.25}, {0.8, 0.25}, {0.8, 0.15}, {0.4, 0.15}, {0.4, 0.1},
			})}},
			wantPolys: 2,
			wantBound: orb.Bound{Min: orb.Point{3277, 819}, Max: orb.Point{4160, 2458}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			OrientForTiles(tt.mp)
			got, invalid := TileGeometry(tt.mp, tr, extent, buffer, 1)
			if invalid != 0 {
				t.Errorf("%d invalid polygons", invalid)
			}
			if tt.wantNil {
				if got != nil {
					t.Fatalf("got %v, want nothing", got)
				}
				return
			}
			if len(got) != tt.wantPolys {
				t.Fatalf("got %d polygons, want %d: %v", len(got), tt.wantPolys, got)
			}
			if b := got.Bound(); b != tt.wantBound {
				t.Errorf("bound %v, want %v", b, tt.wantBound)
			}
			for _, poly := range got {
				for i, r := range poly {
					if !r.Closed() {
						t.Errorf("ring %d not closed", i)
					}
					if a := SignedArea(r); (i == 0) != (a > 0) {
						t.Errorf("ring %d has area %v: wrong orientation", i, a)
					}
					for _, p := range r {
						if p[0] != math.Round(p[0]) || p[1] != math.Round(p[1]) {
							t.Fatalf("point %v is not on the integer grid", p)
						}
					}
				}
			}
		})
	}
}

func TestSnapRingRemovesSpikes(t *testing.T) {
	r := snapRing(orb.Ring{{0, 0}, {10, 0}, {10.2, 0.1}, {20, 0.4}, {10, 0}, {10, 10}, {0, 10}, {0, 0}})
	want := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	if !r.Equal(want) {
		t.Errorf("got %v, want %v", r, want)
	}
}

func TestValidPolygon(t *testing.T) {
	tests := []struct {
		name string
		poly orb.Polygon
		want bool
	}{
		{"square", orb.Polygon{square(0, 0, 10, 10)}, true},
		{"square with a hole", orb.Polygon{square(0, 0, 10, 10), square(2, 2, 4, 4)}, true},
		{"bow tie", orb.Polygon{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}}, false},
		{"pinched at a vertex", orb.Polygon{{{0, 0}, {4, 4}, {8, 0}, {8, 8}, {4, 4}, {0, 8}, {0, 0}}}, false},
		{"vertex on another edge", orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {5, 0}, {0, 10}, {0, 0}}}, false},
		{"spike folding back", orb.Polygon{{{0, 0}, {10, 0}, {20, 0}, {5, 0}, {5, 5}, {0, 5}, {0, 0}}}, false},
		{"hole touching the exterior", orb.Polygon{square(0, 0, 10, 10), square(0, 2, 4, 4)}, false},
		{"hole crossing the exterior", orb.Polygon{square(0, 0, 10, 10), square(8, 2, 12, 4)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidPolygon(tt.poly); got != tt.want {
				t.Errorf("ValidPolygon = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRepairByRemoval(t *testing.T) {
	// A narrow neck snapped into a crossing: removing one vertex of it
	// gives a valid polygon.
	neck := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {6, 10}, {4, 5}, {6, 5}, {4, 10}, {0, 10}, {0, 0}}}
	if ValidPolygon(neck) {
		t.Fatal("the test polygon should start out invalid")
	}
	got, ok := repairByRemoval(neck)
	if !ok || !ValidPolygon(got) {
		t.Fatalf("repair gave %v, %v", got, ok)
	}
	if len(got[0]) < len(neck[0])-3 {
		t.Errorf("repair removed too much: %v", got)
	}
}

func TestWorldBoundToMercator(t *testing.T) {
	// Tile 14/8428/5405 lies over Utrecht, far from the origin of Web
	// Mercator; its bound must stay that small.
	tr := NewTileTransform(14, 8428, 5405, 4096)
	b := WorldBoundToMercator(tr.WorldBound(0, 4096))
	if w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]; math.Abs(w-2445.98) > 0.1 || math.Abs(h-2445.98) > 0.1 {
		t.Errorf("a z14 tile is %.2f × %.2f m, want 2445.98 m square", w, h)
	}
	if b.Min[0] < 560000 || b.Max[1] > 6900000 {
		t.Errorf("bound %v is not over Utrecht", b)
	}
	if got := MercatorToWorld(WorldToMercator(orb.Point{0.51, 0.33})); math.Abs(got[0]-0.51) > 1e-12 || math.Abs(got[1]-0.33) > 1e-12 {
		t.Errorf("round trip gave %v", got)
	}
}
