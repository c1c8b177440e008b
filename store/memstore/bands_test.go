package memstore_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
)

// TestBandsKeepBordersShared proves on the real CBS boundaries of the demo
// that the geometry tiles of zooms 6 to 10 are made from has no gaps and
// no overlaps: sampled at every pixel centre of the zoom, the wijken of
// Utrecht, Rotterdam and Amsterdam cover their gemeente (less a pixel
// along its edge, where wijken and gemeente are simplified apart) and no
// pixel is covered twice; the same for the buurten, against the buurten as
// given. Simplifying each area on its own, as tiles did before, fails it.
func TestBandsKeepBordersShared(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err := demo.Load(cat)
	if err != nil {
		t.Fatal(err)
	}
	b, err := memstore.NewBuilder(cat, append(slices.Clone(d.Areas), d.Buurten...))
	if err != nil {
		t.Fatal(err)
	}
	st := b.Build(1)
	ctx := context.Background()
	for _, gm := range []string{"GM0344", "GM0599", "GM0363"} {
		gemeente, err := st.Areas(ctx, store.AreaQuery{Level: catalog.Gemeente, Year: demo.BaseYear, Codes: []string{gm}, WithGeometry: true})
		if err != nil || len(gemeente) != 1 {
			t.Fatalf("gemeente %s: %v, %v", gm, gemeente, err)
		}
		for _, level := range []catalog.Level{catalog.Wijk, catalog.Buurt} {
			for zoom := 6; zoom <= 10; zoom++ {
				t.Run(fmt.Sprintf("%s %s z%d", gm, level, zoom), func(t *testing.T) {
					shape := gemeente[0].Geometry
					px := 1 / (512 * math.Exp2(float64(zoom)))
					within := shape.Bound().Pad(4 * px)
					q := store.ValueQuery{Level: level, Year: demo.BaseYear, Indicator: "pct_bijstand", Group: "totaal"}
					if level == catalog.Buurt {
						q.Year = demo.BuurtYear // no values: the areas of their own year
					}
					banded, err := st.Choropleth(ctx, store.TileQuery{ValueQuery: q, Within: within, Zoom: zoom})
					if err != nil {
						t.Fatal(err)
					}
					full, err := st.Choropleth(ctx, store.TileQuery{ValueQuery: q, Within: within, Zoom: 16})
					if err != nil {
						t.Fatal(err)
					}
					if level == catalog.Buurt {
						// The buurten are of 2019 and the gemeente of 2022:
						// the buurten as given are what must stay covered.
						shape = union(full.Areas)
					}
					holes, overlaps := coverageErrors(shape, geometries(banded.Areas), within, px)
					if holes > 0 || overlaps > 0 {
						t.Errorf("%d pixels not covered, %d covered twice", holes, overlaps)
					}
					if zoom == 6 && level == catalog.Wijk {
						tol := geo.Bands()[geo.BandOf(zoom)].Tolerance
						var apart []orb.MultiPolygon
						for _, a := range full.Areas {
							apart = append(apart, simplify.DouglasPeucker(tol).MultiPolygon(a.Geometry.Clone()))
						}
						holes, overlaps := coverageErrors(shape, apart, within, px)
						if holes+overlaps == 0 {
							t.Error("simplifying each wijk on its own leaves no gaps either: the test proves nothing")
						}
						t.Logf("each wijk simplified on its own: %d pixels not covered, %d covered twice", holes, overlaps)
					}
				})
			}
		}
	}
}

func geometries(areas []store.Area) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(areas))
	for i, a := range areas {
		out[i] = a.Geometry
	}
	return out
}

// union returns the polygons of all areas as one multipolygon; for the
// areas of a coverage, which do not overlap, even-odd filling of it is
// their union.
func union(areas []store.Area) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, a := range areas {
		out = append(out, a.Geometry...)
	}
	return out
}

// coverageErrors samples the pixel centres of a grid of pixel size px
// over bound. It counts the pixels inside shape, and a pixel away from its
// edge, that no area covers, and the pixels two areas cover.
func coverageErrors(shape orb.MultiPolygon, areas []orb.MultiPolygon, bound orb.Bound, px float64) (holes, overlaps int) {
	w := int(math.Ceil((bound.Max[0] - bound.Min[0]) / px))
	h := int(math.Ceil((bound.Max[1] - bound.Min[1]) / px))
	inside := make([]int, w*h)
	fill(inside, shape, bound.Min, px, w, h)
	count := make([]int, w*h)
	for _, mp := range areas {
		fill(count, mp, bound.Min, px, w, h)
	}
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			if count[i] > 1 {
				overlaps++
			}
			if count[i] == 0 && inside[i-w-1]+inside[i-w]+inside[i-w+1]+inside[i-1]+inside[i]+inside[i+1]+inside[i+w-1]+inside[i+w]+inside[i+w+1] == 9 {
				holes++
			}
		}
	}
	return holes, overlaps
}

// fill adds one to every pixel whose centre lies inside mp, by even-odd
// scanlines over all its rings: a pixel centre on an edge shared by two
// areas counts for exactly one of them.
func fill(grid []int, mp orb.MultiPolygon, origin orb.Point, px float64, w, h int) {
	for _, poly := range mp {
		b := poly.Bound()
		y0 := max(int((b.Min[1]-origin[1])/px), 0)
		y1 := min(int((b.Max[1]-origin[1])/px)+1, h-1)
		for y := y0; y <= y1; y++ {
			cy := origin[1] + (float64(y)+0.5)*px
			var xs []float64
			for _, r := range poly {
				for k := 0; k+1 < len(r); k++ {
					a, c := r[k], r[k+1]
					if (a[1] <= cy) != (c[1] <= cy) {
						xs = append(xs, a[0]+(cy-a[1])*(c[0]-a[0])/(c[1]-a[1]))
					}
				}
			}
			slices.Sort(xs)
			for k := 0; k+1 < len(xs); k += 2 {
				// Pixels whose centre x satisfies xs[k] <= x < xs[k+1].
				from := max(int(math.Ceil((xs[k]-origin[0])/px-0.5)), 0)
				to := min(int(math.Ceil((xs[k+1]-origin[0])/px-0.5)), w)
				for x := from; x < to; x++ {
					grid[y*w+x]++
				}
			}
		}
	}
}

// BenchmarkNewBuilder measures what loading the demo boundaries costs the
// embedded store at start-up, most of it simplifying every level for each
// zoom band. Run with
//
//	go test ./store/memstore -run '^$' -bench NewBuilder -benchtime 3x
func BenchmarkNewBuilder(b *testing.B) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	d, err := demo.Load(cat)
	if err != nil {
		b.Fatal(err)
	}
	areas := append(slices.Clone(d.Areas), d.Buurten...)
	for b.Loop() {
		b.StopTimer()
		fresh := make([]store.Area, len(areas))
		for i, a := range areas {
			fresh[i] = a
			fresh[i].Geometry = a.Geometry.Clone() // the builder takes ownership
		}
		b.StartTimer()
		if _, err := memstore.NewBuilder(cat, fresh); err != nil {
			b.Fatal(err)
		}
	}
}
