package disclosure

import (
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// TestUnionsProtect: WK01 has too few observations. Within its gemeente,
// hiding WK03 (the cheapest other wijk) protects it; but WK01 and WK02
// merged into one wijk of the next boundary year, whose count, of another
// year, is nearly theirs. So WK02 must be hidden as well.
func TestUnionsProtect(t *testing.T) {
	value := func(level catalog.Level, code string, observations int) store.Value {
		return store.Value{Level: level, Year: 2022, Code: code, Indicator: percentage.ID, Group: catalog.TotaalGroup,
			Value: store.NullFloat(10), Numerator: store.NullFloat(float64(observations) / 10),
			Denominator: store.NullFloat(float64(observations)), Observations: observations, Provenance: store.Demo}
	}
	values := []store.Value{
		value(catalog.Gemeente, "GM0001", 903),
		value(catalog.Wijk, "WK000101", 3), value(catalog.Wijk, "WK000102", 500), value(catalog.Wijk, "WK000103", 400),
	}
	parent := func(level catalog.Level, code string) (catalog.Level, string, bool) {
		if level == catalog.Wijk {
			return catalog.Gemeente, "GM0001", true
		}
		return "", "", false
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	policy := Policy{MinObservations: DefaultMinObservations}
	for _, tt := range []struct {
		name   string
		unions []Union
		want   map[string]store.Status
	}{
		{"without the union", nil, map[string]store.Status{"WK000101": store.Suppressed, "WK000102": store.OK, "WK000103": store.Suppressed}},
		{"with the union", []Union{{Level: catalog.Wijk, Codes: []string{"WK000101", "WK000102"}}},
			map[string]store.Status{"WK000101": store.Suppressed, "WK000102": store.Suppressed}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			table := policy.NewTable(cat, percentage, values, Links{Parent: parent, Unions: tt.unions})
			for _, v := range values {
				want, ok := tt.want[v.Code]
				if got := table.Publish(v).Status; ok && got != want {
					t.Errorf("%s: %s, want %s", v.Code, got, want)
				}
			}
		})
	}
}
