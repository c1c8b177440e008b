package postgis_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/store"
)

// amsterdamArea are the gemeenten around Weesp, which joined Amsterdam on
// 1 January 2022 in CBS's 2023 boundary file, and a neighbour that stayed
// the same.
var amsterdamArea = []string{"GM0363", "GM0384", "GM0457"}

// realGemeenten returns the real CBS gemeenten of a boundary year with
// the given codes, as the demo reads them.
func realGemeenten(t *testing.T, year int, codes []string) boundaries.Source {
	t.Helper()
	src, err := demo.Gemeenten(year)
	if err != nil {
		t.Fatal(err)
	}
	src.Features = slices.DeleteFunc(src.Features, func(f boundaries.Feature) bool { return !slices.Contains(codes, f.Code) })
	return src
}

// TestBoundaryYears imports the gemeenten of 2022 and 2023 and values of
// 2021, 2022 and 2023: values of a year without boundaries go on the
// nearest boundary year, the lineage says Weesp and Amsterdam merged and
// Diemen stayed the same, and every answer is on the right areas.
func TestBoundaryYears(t *testing.T) {
	ctx := context.Background()
	url := migrated(t)
	w := writer(t, url)
	for _, year := range []int{2022, 2023} {
		if _, err := w.ImportBoundaries(ctx, year, []boundaries.Source{realGemeenten(t, year, amsterdamArea)}); err != nil {
			t.Fatal(err)
		}
	}
	var csv strings.Builder
	csv.WriteString("year,code,indicator,group,value,numerator,denominator,observations,provenance\n")
	for _, year := range []int{2021, 2022, 2023} {
		codes := amsterdamArea
		if year == 2023 {
			codes = []string{"GM0363", "GM0384"}
		}
		for i, code := range codes {
			fmt.Fprintf(&csv, "%d,%s,pct_bijstand,totaal,%d,%d,1000,1000,demo\n", year, code, 2+i, 20+10*i)
		}
	}
	if _, err := w.ImportValues(ctx, readValues(t, csv.String()), policy); err != nil {
		t.Fatal(err)
	}
	st := open(t, url)
	boundaryYears, err := st.BoundaryYears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]int{2021: 2022, 2022: 2022, 2023: 2023}
	for _, b := range boundaryYears {
		if b.Level == catalog.Gemeente && want[b.Year] != b.Boundary {
			t.Errorf("gemeente values of %d on boundaries of %d, want %d", b.Year, b.Boundary, want[b.Year])
		}
	}
	years, err := st.Years(ctx)
	if err != nil || !slices.Equal(years, []int{2021, 2022, 2023}) {
		t.Errorf("years %v, %v", years, err)
	}
	t.Run("lineage", func(t *testing.T) {
		lineage, err := st.Lineage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := make(map[string]store.Relation)
		for _, l := range lineage {
			if l.From != 2022 || l.To != 2023 {
				t.Errorf("lineage %s from %d to %d", l.Code, l.From, l.To)
			}
			got[l.Code] = l.Relation
		}
		wantRel := map[string]store.Relation{"GM0363": store.Merged, "GM0384": store.Same, "GM0457": store.Merged}
		for code, rel := range wantRel {
			if got[code] != rel {
				t.Errorf("%s: %s, want %s", code, got[code], rel)
			}
		}
		same := store.SameAreas(lineage, catalog.Gemeente, 2021+1, 2023)
		if same["GM0384"] != "GM0384" || same["GM0363"] != "" {
			t.Errorf("same areas 2022→2023: %v", same)
		}
	})
	t.Run("areas and values of a year without boundaries", func(t *testing.T) {
		areas, err := st.Areas(ctx, store.AreaQuery{Level: catalog.Gemeente, Year: 2021})
		if err != nil || len(areas) != 3 || areas[0].Year != 2022 {
			t.Fatalf("areas of 2021: %v, %v", areas, err)
		}
		vals, err := st.Values(ctx, store.ValueQuery{Level: catalog.Gemeente, Year: 2021, Indicator: "pct_bijstand", Group: "totaal"})
		if err != nil || len(vals) != 3 || vals[2].Code != "GM0457" || vals[2].Year != 2021 {
			t.Fatalf("values of 2021: %v, %v", vals, err)
		}
		ch, err := st.Choropleth(ctx, store.TileQuery{
			ValueQuery: store.ValueQuery{Level: catalog.Gemeente, Year: 2023, Indicator: "pct_bijstand", Group: "totaal"},
			Within:     orb.Bound{Max: orb.Point{1, 1}}, Zoom: 8})
		if err != nil {
			t.Fatal(err)
		}
		if len(ch.Areas) != 2 || ch.Areas[0].Year != 2023 || ch.Values["GM0363"].Status != store.OK {
			t.Errorf("choropleth of 2023: %d areas, %v", len(ch.Areas), ch.Values)
		}
	})
	t.Run("values of a code the boundary year lacks", func(t *testing.T) {
		_, err := w.ImportValues(ctx, readValues(t, "year,code,indicator,group,value,numerator,denominator,observations,provenance\n"+
			"2024,GM0457,pct_bijstand,totaal,2,20,1000,1000,demo\n"), policy)
		if err == nil || !strings.Contains(err.Error(), "GM0457") || !strings.Contains(err.Error(), "boundaries of 2023") {
			t.Errorf("Weesp in 2024 (nearest boundaries 2023): %v", err)
		}
	})
}
