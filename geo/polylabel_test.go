package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func box(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func TestLabelPoint(t *testing.T) {
	// A U whose centroid lies in its gap.
	u := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {7, 10}, {7, 3}, {3, 3}, {3, 10}, {0, 10}, {0, 0}}}
	donut := orb.Polygon{box(0, 0, 10, 10), box(3, 3, 7, 7)}
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		want orb.Point // the label must lie within 0.5 of it, when given
		in   orb.Polygon
		ok   bool
	}{
		{name: "square: its centre", mp: orb.MultiPolygon{{box(0, 0, 4, 4)}}, want: orb.Point{2, 2}, in: orb.Polygon{box(0, 0, 4, 4)}, ok: true},
		{name: "U: inside, not at the centroid", mp: orb.MultiPolygon{u}, in: u, ok: true},
		{name: "donut: not in the hole", mp: orb.MultiPolygon{donut}, in: donut, ok: true},
		{name: "the largest polygon", mp: orb.MultiPolygon{{box(0, 0, 1, 1)}, {box(10, 10, 20, 20)}}, want: orb.Point{15, 15}, in: orb.Polygon{box(10, 10, 20, 20)}, ok: true},
		{name: "empty", mp: orb.MultiPolygon{}, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := LabelPoint(tt.mp)
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if !planar.PolygonContains(tt.in, p) {
				t.Errorf("label point %v is not inside", p)
			}
			if tt.want != (orb.Point{}) && math.Hypot(p[0]-tt.want[0], p[1]-tt.want[1]) > 0.5 {
				t.Errorf("label point %v, want about %v", p, tt.want)
			}
			if d := signedDistance(p, tt.in); d < 1 {
				t.Errorf("label point %v is %.2f from the outline, want at least 1", p, d)
			}
		})
	}
}
