package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// TestUntangle feeds polygons that cross themselves the way a few
// generalised CBS boundaries do, and checks that what comes out is valid
// and keeps the area that the boundary encloses once.
func TestUntangle(t *testing.T) {
	square := orb.Ring{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}
	tests := []struct {
		name  string
		poly  orb.Polygon
		parts int
		area  float64
	}{
		{
			// A bow tie: both lobes are kept, as ST_MakeValid keeps them.
			name:  "exterior crossing itself",
			poly:  orb.Polygon{{{0, 0}, {100, 0}, {120, 100}, {120, 0}, {100, 100}, {0, 100}, {0, 0}}},
			parts: 2, area: 100*100 + 10*100/2 + 10*100/2,
		},
		{
			name:  "a hole crossing the exterior is dropped",
			poly:  orb.Polygon{square, {{90, 40}, {110, 40}, {110, 60}, {90, 60}, {90, 40}}},
			parts: 1, area: 100 * 100,
		},
		{
			name:  "a hole crossing itself is dropped",
			poly:  orb.Polygon{square, {{10, 10}, {30, 30}, {30, 10}, {10, 30}, {10, 10}}},
			parts: 1, area: 100 * 100,
		},
		{
			name: "a figure eight becomes two polygons",
			poly: orb.Polygon{{{0, 0}, {100, 0}, {100, 100}, {200, 100}, {200, 200}, {100, 200}, {100, 100}, {0, 100}, {0, 0}}},
			// the two squares touch at 100,100
			parts: 2, area: 2 * 100 * 100,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, ok := untangle(tt.poly)
			if !ok {
				t.Fatal("not untangled")
			}
			area := 0.0
			for _, p := range parts {
				if !ValidPolygon(p) {
					t.Errorf("part %v is not valid", p)
				}
				area += math.Abs(planar.Area(p))
			}
			if len(parts) != tt.parts || math.Abs(area-tt.area) > 1 {
				t.Errorf("%d parts of area %g, want %d of %g: %v", len(parts), area, tt.parts, tt.area, parts)
			}
		})
	}
}
