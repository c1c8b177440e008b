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

// tableBuilder turns values into the cells and relations of Protect. The
// first len(values) cells are the values', in their order; cells are found
// by area and group through slices, not a map of every cell, which made
// building the table of an indicator with buurten slow.
type tableBuilder struct {
	cat   *catalog.Catalog
	cells []Cell
	rels  []Relation
	// groups numbers the groups: the catalogue's first, in its order,
	// then any other group the values name.
	groups map[string]int
	// areas are the areas of the values in the order first seen, and
	// areaIndex their positions.
	areas     []areaKey
	areaIndex map[areaKey]int
	// areaCells holds, per area, the cell of each group, or -1.
	areaCells [][]int
	// valueArea and valueGroup are the area and group of each value.
	valueArea, valueGroup []int
	min                   int
}

func newTableBuilder(cat *catalog.Catalog, values []store.Value, minObservations int) *tableBuilder {
	b := &tableBuilder{cat: cat, groups: make(map[string]int), areaIndex: make(map[areaKey]int), min: minObservations}
	if cat != nil {
		for i, g := range cat.Groups {
			b.groups[g.ID] = i
		}
	}
	for _, v := range values {
		a, g := b.area(areaKey{v.Level, v.Code}), b.group(v.Group)
		for len(b.areaCells[a]) <= g {
			b.areaCells[a] = append(b.areaCells[a], -1)
		}
		b.areaCells[a][g] = len(b.cells)
		b.valueArea, b.valueGroup = append(b.valueArea, a), append(b.valueGroup, g)
		b.cells = append(b.cells, cellOf(v, minObservations))
	}
	return b
}

// area returns the position of area k, adding it when it is new.
func (b *tableBuilder) area(k areaKey) int {
	if a, ok := b.areaIndex[k]; ok {
		return a
	}
	a := len(b.areas)
	b.areaIndex[k] = a
	b.areas = append(b.areas, k)
	b.areaCells = append(b.areaCells, nil)
	return a
}

// group returns the number of group id, numbering it when it is new.
func (b *tableBuilder) group(id string) int {
	if g, ok := b.groups[id]; ok {
		return g
	}
	g := len(b.groups)
	b.groups[id] = g
	return g
}

// cell returns the cell of group g in area a, and whether there is one.
func (b *tableBuilder) cell(a, g int) (int, bool) {
	if g >= len(b.areaCells[a]) || b.areaCells[a][g] < 0 {
		return 0, false
	}
	return b.areaCells[a][g], true
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
	for i, a := range b.valueArea {
		k := b.areas[a]
		pl, pc, ok := parent(k.level, k.code)
		if !ok {
			continue
		}
		pa, ok := b.areaIndex[areaKey{pl, pc}]
		if !ok {
			continue
		}
		total, ok := b.cell(pa, b.valueGroup[i])
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
	totaal, known := b.groups[catalog.TotaalGroup]
	for a := range b.areas {
		total, ok := b.cell(a, totaal)
		ok = ok && known
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

// relateUnions adds, per union and group, that the union's areas add up to
// a total that is known (see Links.Unions), where the table has them all.
func (b *tableBuilder) relateUnions(unions []Union) {
	for _, u := range unions {
		areas := make([]int, 0, len(u.Codes))
		for _, code := range u.Codes {
			a, ok := b.areaIndex[areaKey{u.Level, code}]
			if !ok {
				break
			}
			areas = append(areas, a)
		}
		if len(areas) < 2 || len(areas) != len(u.Codes) {
			continue
		}
		for g := range len(b.groups) {
			b.relateUnion(areas, g)
		}
	}
}

// relateUnion adds that the cells of group g in areas add up to a known
// total: a cell no output of this table carries, but known the way a
// published CBS figure is (negative observations), since another year
// publishes nearly it. Not an auxiliary cell, which counts as hidden.
func (b *tableBuilder) relateUnion(areas []int, g int) {
	parts := make([]int, 0, len(areas))
	for _, a := range areas {
		i, ok := b.cell(a, g)
		if !ok {
			return
		}
		parts = append(parts, i)
	}
	total := len(b.cells)
	b.cells = append(b.cells, Cell{Observations: -1})
	b.rels = append(b.rels, Relation{Total: total, Parts: parts})
}

// relateRegion ties a region's five-way groups to its twenty-way groups.
func (b *tableBuilder) relateRegion(a int, region string) {
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

// groupCells returns the cells of area a for the groups keep selects, and
// whether the table has all of them.
func (b *tableBuilder) groupCells(a int, keep func(catalog.Group) bool) ([]int, bool) {
	var out []int
	for g, group := range b.cat.Groups {
		if !keep(group) {
			continue
		}
		i, ok := b.cell(a, g)
		if !ok {
			return nil, false
		}
		out = append(out, i)
	}
	return out, true
}
