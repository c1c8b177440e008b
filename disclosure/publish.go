package disclosure

import (
	"math"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// CountRounding is what published counts (numerators, denominators and
// count indicators) are rounded to, as CBS rounds the counts of its key
// figures per wijk and buurt. Values are computed from the exact counts.
const CountRounding = 5

// Parent says which area an area lies in one level up: Nederland for a
// gemeente, its gemeente for a wijk, its wijk for a buurt. ok is false for
// Nederland and for areas whose parent is unknown.
type Parent func(level catalog.Level, code string) (parentLevel catalog.Level, parentCode string, ok bool)

// cellKey names one statistic of a table: an area and a group.
type cellKey struct {
	level catalog.Level
	code  string
	group string
}

// Table holds the disclosure decisions for one indicator in one year, over
// every level and every group together: primary suppression of values on
// too few observations, and complementary suppression of as little else as
// possible so that no suppressed value can be recomputed by differencing
// (gemeente minus its wijken, wijk minus its buurten, totaal minus the other
// groups of a split, a five-way group minus its twenty-way countries).
// Every value that leaves the server is published through a Table.
type Table struct {
	policy    Policy
	indicator catalog.Indicator
	reasons   map[cellKey]Reason
}

// NewTable decides what of values may be published. values are all values
// of ind in one year, at every level and for every group; parent links the
// areas. Indicators whose counts do not add up (unit index) get primary
// suppression only.
func (p Policy) NewTable(cat *catalog.Catalog, ind catalog.Indicator, values []store.Value, parent Parent) *Table {
	b := newTableBuilder(cat, values, p.MinObservations)
	if ind.Unit != catalog.UnitIndex {
		b.relateAreas(parent)
		b.relateGroups()
	}
	reasons := Protect(b.cells, b.rels, p.MinObservations)
	t := &Table{policy: p, indicator: ind, reasons: make(map[cellKey]Reason, len(values))}
	for k, i := range b.index {
		t.reasons[k] = reasons[i]
	}
	return t
}

// Publish returns what may be published of v, which must be a value of the
// table's indicator and year.
func (t *Table) Publish(v store.Value) Published {
	out := Published{Level: v.Level, Year: v.Year, Code: v.Code, Indicator: v.Indicator, Group: v.Group, Provenance: v.Provenance}
	reason := t.reasons[cellKey{v.Level, v.Code, v.Group}]
	switch {
	case !v.Value.Valid:
		out.Status = NoData
	case reason == Complementary:
		out.Status = Suppressed
	case v.Observations == 0:
		out.Status = NoResidents
	case reason == Primary, v.Observations >= 0 && v.Observations < t.policy.MinObservations:
		// The second test covers values the table was not built from.
		out.Status = Suppressed
	default:
		out.Status = OK
		t.fillNumbers(&out, v)
	}
	return out
}

// fillNumbers sets the published numbers: counts rounded (see
// CountRounding) unless CBS published them, as CBS rounds its own.
func (t *Table) fillNumbers(out *Published, v store.Value) {
	round := func(f float64) float64 { return f }
	if v.Provenance != store.CBS {
		round = func(f float64) float64 { return math.Round(f/CountRounding) * CountRounding }
	}
	value := v.Value.V
	if t.indicator.Unit == catalog.UnitCount {
		value = round(value)
	}
	out.value = ptr(value)
	if v.Numerator.Valid {
		out.numerator = ptr(round(v.Numerator.V))
	}
	if v.Denominator.Valid {
		out.denominator = ptr(round(v.Denominator.V))
	}
}
