package boundaries_test

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/store"
)

// realGemeenten returns the real CBS gemeenten of a boundary year as
// areas, as the demo reads them.
func realGemeenten(t *testing.T, year int) []store.Area {
	t.Helper()
	src, err := demo.Gemeenten(year)
	if err != nil {
		t.Fatal(err)
	}
	areas, err := src.Areas(year)
	if err != nil {
		t.Fatal(err)
	}
	return areas
}

// TestTraceRealGemeenten checks the lineage of the real gemeenten against
// what CBS did: in 2022 Weesp joined Amsterdam, in 2023 Brielle,
// Hellevoetsluis and Westvoorne became Voorne aan Zee, and in 2024 six
// gemeenten got their province in their name. Everything else is the
// same area, although the files of 2022 and 2023 are generalised
// differently.
func TestTraceRealGemeenten(t *testing.T) {
	tests := []struct {
		from, to int
		changed  map[string]store.Relation
		into     map[string]string // the largest successor of a changed area
	}{
		{2022, 2023,
			map[string]store.Relation{"GM0363": store.Merged, "GM0457": store.Merged,
				"GM0501": store.Merged, "GM0530": store.Merged, "GM0614": store.Merged},
			map[string]string{"GM0363": "GM0363", "GM0457": "GM0363", "GM0501": "GM1992", "GM0530": "GM1992", "GM0614": "GM1992"}},
		{2023, 2024,
			map[string]store.Relation{"GM0164": store.Renamed, "GM0417": store.Renamed, "GM0603": store.Renamed,
				"GM0687": store.Renamed, "GM0888": store.Renamed, "GM0971": store.Renamed},
			map[string]string{"GM0164": "GM0164", "GM0417": "GM0417", "GM0603": "GM0603", "GM0687": "GM0687", "GM0888": "GM0888", "GM0971": "GM0971"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.from, "-", tt.to), func(t *testing.T) {
			earlier := realGemeenten(t, tt.from)
			lineage, err := boundaries.Trace(earlier, realGemeenten(t, tt.to), boundaries.DefaultLineageOptions())
			if err != nil {
				t.Fatal(err)
			}
			if len(lineage) != len(earlier) {
				t.Fatalf("%d lineages for %d gemeenten", len(lineage), len(earlier))
			}
			for _, l := range lineage {
				want, ok := tt.changed[l.Code]
				if !ok {
					want = store.Same
				}
				if l.Relation != want {
					t.Errorf("%s: %s %+v, want %s", l.Code, l.Relation, l.Successors, want)
					continue
				}
				if into, ok := tt.into[l.Code]; ok && l.Successors[0].Code != into {
					t.Errorf("%s: %s into %s, want into %s", l.Code, l.Relation, l.Successors[0].Code, into)
				}
			}
		})
	}
}

// square returns an area whose geometry is the square [x0,x1]×[y0,y1].
func square(code string, x0, y0, x1, y1 float64) store.Area {
	ring := orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	return store.Area{Level: catalog.Gemeente, Code: code, Name: code, Geometry: orb.MultiPolygon{{ring}}}
}

// TestTraceRelations checks each relation on made-up squares, in world
// coordinates of about a kilometre.
func TestTraceRelations(t *testing.T) {
	const u = 1.0 / (1 << 15) // about a kilometre
	earlier := []store.Area{
		square("GM0001", 0, 0, 4*u, 4*u),          // same
		square("GM0002", 4*u, 0, 8*u, 4*u),        // renamed
		square("GM0003", 8*u, 0, 12*u, 4*u),       // split in two
		square("GM0004", 12*u, 0, 16*u, 4*u),      // merged with GM0005
		square("GM0005", 16*u, 0, 20*u, 4*u),      // merged with GM0004
		square("GM0006", 20*u, 0, 24*u, 4*u),      // border moved
		square("GM0007", 24*u, 0, 28*u, 4*u),      // gone
		square("GM0008", 0, 4*u, 4*u, 8*u+0.01*u), // same within the tolerance
	}
	renamed := square("GM0002", 4*u, 0, 8*u, 4*u)
	renamed.Name = "Nieuwe naam"
	later := []store.Area{
		square("GM0001", 0, 0, 4*u, 4*u),
		renamed,
		square("GM0010", 8*u, 0, 12*u, 2*u),
		square("GM0011", 8*u, 2*u, 12*u, 4*u),
		square("GM0012", 12*u, 0, 20*u, 4*u),
		square("GM0006", 20*u, 0, 23*u, 4*u),
		square("GM0008", 0, 4*u, 4*u, 8*u),
	}
	want := map[string]store.Relation{
		"GM0001": store.Same, "GM0002": store.Renamed, "GM0003": store.Split,
		"GM0004": store.Merged, "GM0005": store.Merged, "GM0006": store.Redrawn,
		"GM0007": store.Gone, "GM0008": store.Same,
	}
	lineage, err := boundaries.Trace(earlier, later, boundaries.DefaultLineageOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lineage {
		t.Run(l.Code, func(t *testing.T) {
			if l.Relation != want[l.Code] {
				t.Errorf("%s %+v, want %s", l.Relation, l.Successors, want[l.Code])
			}
			if comparable := want[l.Code] == store.Same || want[l.Code] == store.Renamed; l.Relation.Comparable() != comparable {
				t.Errorf("comparable %v, want %v", l.Relation.Comparable(), comparable)
			}
		})
	}
}

func TestTraceRefusesTolerance(t *testing.T) {
	for _, tol := range []float64{0, -0.1, 0.5, 2} {
		if _, err := boundaries.Trace(nil, nil, boundaries.LineageOptions{Tolerance: tol}); err == nil {
			t.Errorf("tolerance %g accepted", tol)
		}
	}
}
