package disclosure

import (
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// areaKey names one area.
type areaKey struct {
	level catalog.Level
	code  string
}

// tableBuilder turns values into the cells and relations of Protect.
type tableBuilder struct {
	cat   *catalog.Catalog
	cells []Cell
	rels  []Relation
	index map[cellKey]int
	keys  []cellKey // the value cells, in the order of the values
	areas []areaKey
	min   int
}

func newTableBuilder(cat *catalog.Catalog, values []store.Value, minObservations int) *tableBuilder {
	b := &tableBuilder{cat: cat, index: make(map[cellKey]int, len(values)), min: minObservations}
	seen := make(map[areaKey]bool)
	for _, v := range values {
		k := cellKey{v.Level, v.Code, v.Group}
		b.index[k] = len(b.cells)
		b.keys = append(b.keys, k)
		b.cells = append(b.cells, cellOf(v, minObservations))
		if a := (areaKey{v.Level, v.Code}); !seen[a] {
			seen[a] = true
			b.areas = append(b.areas, a)
		}
	}
	return b
}

// cellOf describes a value to Protect. A value without data, or published
// by CBS, counts as known: it is never hidden for protection and an
// attacker is assumed to know it. A group without residents is a published
// zero, which may be hidden at no cost when it would give a neighbour away.
func cellOf(v store.Value, minObservations int) Cell {
	switch {
	case !v.Value.Valid || v.Observations < 0:
		return Cell{Observations: -1}
	case v.Observations == 0:
		return Cell{Observations: minObservations, Weight: 0}
	default:
		return Cell{Observations: v.Observations, Weight: float64(v.Observations)}
	}
}

// relateAreas adds, per group, that an area's counts are the sum of the
// counts of the areas in it, where the table has them all.
func (b *tableBuilder) relateAreas(parent Parent) {
	if parent == nil {
		return
	}
	// Relations are added in the order of the values, so that the same
	// values always give the same suppressions.
	children := make(map[int][]int)
	var totals []int
	for i, k := range b.keys {
		pl, pc, ok := parent(k.level, k.code)
		if !ok {
			continue
		}
		total, ok := b.index[cellKey{pl, pc, k.group}]
		if !ok {
			continue
		}
		if len(children[total]) == 0 {
			totals = append(totals, total)
		}
		children[total] = append(children[total], i)
	}
	for _, total := range totals {
		b.rels = append(b.rels, Relation{Total: total, Parts: children[total]})
	}
}

// relateGroups adds, per area, that totaal is the sum of each split, and
// that the two generations of a region in the five-way split add up to its
// countries in the twenty-way split (through an auxiliary cell for the
// region, which no output carries).
func (b *tableBuilder) relateGroups() {
	for _, a := range b.areas {
		total, ok := b.index[cellKey{a.level, a.code, catalog.TotaalGroup}]
		for _, split := range []string{catalog.SplitHerkomst5, catalog.SplitHerkomst20} {
			if parts, complete := b.groupCells(a, func(g catalog.Group) bool { return g.InSplit(split) }); ok && complete {
				b.rels = append(b.rels, Relation{Total: total, Parts: parts})
			}
		}
		for _, region := range []string{catalog.RegionEuropa, catalog.RegionBuitenEuropa} {
			b.relateRegion(a, region)
		}
	}
}

// relateRegion ties a region's five-way groups to its twenty-way groups.
func (b *tableBuilder) relateRegion(a areaKey, region string) {
	inRegion := func(split string) func(catalog.Group) bool {
		return func(g catalog.Group) bool { return g.Region == region && g.InSplit(split) }
	}
	five, ok5 := b.groupCells(a, inRegion(catalog.SplitHerkomst5))
	twenty, ok20 := b.groupCells(a, inRegion(catalog.SplitHerkomst20))
	if !ok5 || !ok20 || len(five) == 0 {
		return
	}
	observations := 0
	for _, i := range five {
		if b.cells[i].Observations < 0 {
			observations = -1
			break
		}
		observations += b.cells[i].Observations
	}
	aux := len(b.cells)
	b.cells = append(b.cells, Cell{Observations: observations, Auxiliary: true})
	b.rels = append(b.rels, Relation{Total: aux, Parts: five}, Relation{Total: aux, Parts: twenty})
}

// groupCells returns the cells of an area for the groups keep selects, and
// whether the table has all of them.
func (b *tableBuilder) groupCells(a areaKey, keep func(catalog.Group) bool) ([]int, bool) {
	var out []int
	for _, g := range b.cat.Groups {
		if !keep(g) {
			continue
		}
		i, ok := b.index[cellKey{a.level, a.code, g.ID}]
		if !ok {
			return nil, false
		}
		out = append(out, i)
	}
	return out, true
}
