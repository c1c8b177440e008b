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

// Links tie the areas of one year's table together, besides their values.
type Links struct {
	// Parent says which area each area lies in.
	Parent Parent
	// Unions are groups of areas of one level that another boundary year
	// publishes as one area: areas that merged, or the parts of one that
	// split (see store.Unions). Their sum there is of another year, of
	// other people; but small counts change little in a year, and the
	// merged area's count minus the published counts of all its parts but
	// one would estimate the last one closely, a suppressed one too. So
	// each union counts as a known total: one suppressed area of a union
	// is never left alone among published ones.
	Unions []Union
}

// Union is a group of areas of one level, by code.
type Union struct {
	Level catalog.Level
	Codes []string
}

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
// of ind in one year, at every level and for every group; links tie the
// areas together. Indicators whose counts do not add up (unit index) get
// primary suppression only.
func (p Policy) NewTable(cat *catalog.Catalog, ind catalog.Indicator, values []store.Value, links Links) *Table {
	reasons := p.decide(cat, ind, values, links)
	t := &Table{policy: p, indicator: ind, reasons: make(map[cellKey]Reason, len(values))}
	for i, v := range values {
		t.reasons[cellKey{v.Level, v.Code, v.Group}] = reasons[i]
	}
	return t
}

// decide returns the reason of each value, in their order.
func (p Policy) decide(cat *catalog.Catalog, ind catalog.Indicator, values []store.Value, links Links) []Reason {
	b := newTableBuilder(cat, values, p.MinObservations)
	if ind.Unit != catalog.UnitIndex {
		b.relateAreas(links.Parent)
		b.relateGroups()
		b.relateUnions(links.Unions)
	}
	return Protect(b.cells, b.rels, p.MinObservations)[:len(values)]
}

// Publish returns what may be published of v, which must be a value of the
// table's indicator and year.
func (t *Table) Publish(v store.Value) store.Published {
	return t.publish(v, t.reasons[cellKey{v.Level, v.Code, v.Group}])
}

// publish returns what may be published of v, whose table decided reason.
func (t *Table) publish(v store.Value, reason Reason) store.Published {
	out := store.Published{Level: v.Level, Year: v.Year, Code: v.Code, Indicator: v.Indicator, Group: v.Group, Provenance: v.Provenance}
	switch {
	case !v.Value.Valid:
		out.Status = store.NoData
	case reason == Complementary:
		out.Status = store.Suppressed
	case v.Observations == 0:
		out.Status = store.NoResidents
	case reason == Primary, v.Observations >= 0 && v.Observations < t.policy.MinObservations:
		// The second test covers values the table was not built from.
		out.Status = store.Suppressed
	default:
		out.Status = store.OK
		out = out.WithNumbers(t.numbers(v))
	}
	return out
}

// numbers returns the published numbers of a value that may be published.
//
// Counts are rounded to CountRounding unless CBS published them (CBS
// rounds its own). Rounding alone does not protect: a value computed from
// the exact counts, next to the rounded counts, leaves few exact pairs
// that reproduce it, often one. So a ratio's value is computed from the
// rounded counts it is published with, and tells nothing they do not.
// An average (score, years) is published with its denominator only: the
// sum it is computed from is no count anyone reads, and would pin the
// denominator down. Values are rounded to the indicator's decimals.
func (t *Table) numbers(v store.Value) (value, numerator, denominator store.NullFloat64) {
	round := func(f store.NullFloat64) store.NullFloat64 { return f }
	if v.Provenance != store.CBS {
		round = func(f store.NullFloat64) store.NullFloat64 {
			if f.Valid {
				f.V = math.Round(f.V/CountRounding) * CountRounding
			}
			return f
		}
	}
	ind := t.indicator
	value = v.Value
	if ind.NumeratorNL != "" || ind.Unit == catalog.UnitCount {
		numerator = round(v.Numerator)
	}
	if ind.DenominatorNL != "" {
		denominator = round(v.Denominator)
	}
	switch scale := ind.Unit.RatioScale(); {
	case ind.Unit == catalog.UnitCount:
		value = round(value)
	case scale > 0 && v.Provenance != store.CBS && numerator.Valid && denominator.Valid:
		if denominator.V == 0 {
			// Too small a denominator to round to anything but zero:
			// the value is published on its own.
			numerator, denominator = store.NullFloat64{}, store.NullFloat64{}
			break
		}
		value = store.NullFloat(scale * numerator.V / denominator.V)
	}
	value.V = RoundTo(value.V, ind.Decimals)
	return value, numerator, denominator
}

// RoundTo rounds f to the given number of decimals, as published values
// are rounded.
func RoundTo(f float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(f*p) / p
}

// Publication returns the record of publishing an indicator's values of
// year under this policy.
func (p Policy) Publication(year int, indicator string) store.Publication {
	return store.Publication{Year: year, Indicator: indicator, MinObservations: p.MinObservations, CountRounding: CountRounding}
}
