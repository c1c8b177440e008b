package geo

import (
	"testing"

	"github.com/paulmach/orb"
)

// wiggle returns the points from a to b with a zig-zag of height h across
// the line between them, n steps long.
func wiggle(a, b orb.Point, n int, h float64) []orb.Point {
	var out []orb.Point
	for i := 0; i <= n; i++ {
		f := float64(i) / float64(n)
		p := orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])}
		if i%2 == 1 && i < n {
			p[0] += h
		}
		out = append(out, p)
	}
	return out
}

// ring closes the points into a ring oriented for tiles.
func ring(parts ...[]orb.Point) orb.Polygon {
	var r orb.Ring
	for _, p := range parts {
		r = append(r, p...)
	}
	r = append(r, r[0])
	mp := orb.MultiPolygon{{r}}
	OrientForTiles(mp)
	return mp[0]
}

// totalArea returns the summed area of exteriors minus holes.
func totalArea(mps []orb.MultiPolygon) float64 {
	var sum float64
	for _, mp := range mps {
		for _, p := range mp {
			for _, r := range p {
				sum += SignedArea(r)
			}
		}
	}
	return sum
}

func TestCoverageSimplify(t *testing.T) {
	// Two squares side by side, their shared border a zig-zag 0.1 wide.
	border := wiggle(orb.Point{10, 0}, orb.Point{10, 10}, 10, 0.1)
	left := ring([]orb.Point{{0, 10}, {0, 0}}, border)
	right := ring(reversed(border), []orb.Point{{20, 0}, {20, 10}})
	// A square with a small island enclave, which both sides must drop
	// or keep alike.
	island := []orb.Point{{5, 5}, {5.05, 5}, {5.05, 5.05}, {5, 5.05}}
	holed := ring([]orb.Point{{0, 0}, {10, 0}, {10, 10}, {0, 10}})
	holed = append(holed, ring(island)[0])
	holed[1].Reverse()
	enclave := ring(island)
	// A long thin island: a closed ring without nodes keeps its farthest
	// point from where it starts, or collapses, unless it is all of its
	// area.
	thin := ring([]orb.Point{{0, 20}, {10, 20.01}, {10, 20.02}})

	tests := []struct {
		name      string
		areas     []orb.MultiPolygon
		tolerance float64
		points    []int // points per area after simplification, rings closed
	}{
		{"shared zig-zag straightens on both sides", []orb.MultiPolygon{{left}, {right}}, 0.5, []int{5, 5}},
		{"shared zig-zag kept below the tolerance", []orb.MultiPolygon{{left}, {right}}, 0.05, []int{14, 14}},
		{"enclave below the tolerance kept in both: areas never vanish", []orb.MultiPolygon{{holed}, {enclave}}, 0.1, []int{10, 5}},
		{"enclave kept in both", []orb.MultiPolygon{{holed}, {enclave}}, 0.01, []int{10, 5}},
		{"thin island kept although it collapses", []orb.MultiPolygon{{thin}}, 0.5, []int{4}},
		{"second island collapses", []orb.MultiPolygon{{left, thin}}, 0.5, []int{5}},
		{"thin island kept", []orb.MultiPolygon{{thin}}, 0.001, []int{4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := NewCoverage(tt.areas).Simplify(tt.tolerance)
			for i, mp := range out {
				n := 0
				for _, p := range mp {
					for _, r := range p {
						n += len(r)
						if want := sign(SignedArea(tt.areas[i][0][0])); len(p) > 0 && sign(SignedArea(p[0])) != want {
							t.Errorf("area %d turned inside out", i)
						}
					}
				}
				if n != tt.points[i] {
					t.Errorf("area %d has %d points, want %d: %v", i, n, tt.points[i], mp)
				}
			}
			if a, b := totalArea(tt.areas), totalArea(out); len(tt.areas) > 1 && a != b {
				t.Errorf("total area %v, was %v: a gap or overlap opened", b, a)
			}
		})
	}
}

func TestBandOf(t *testing.T) {
	bands := Bands()
	for _, tt := range []struct{ zoom, band int }{{0, 0}, {6, 0}, {7, 1}, {8, 1}, {10, 2}, {11, 3}, {22, 3}} {
		t.Run("", func(t *testing.T) {
			if got := BandOf(tt.zoom); got != tt.band {
				t.Errorf("BandOf(%d) = %d, want %d", tt.zoom, got, tt.band)
			}
		})
	}
	if bands[len(bands)-1].Tolerance != 0 {
		t.Error("the last band is not the geometry as given")
	}
}
