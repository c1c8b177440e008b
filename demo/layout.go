package demo

import (
	"fmt"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// layout is the areas the values of one value year are on: the gemeenten
// and wijken of the boundary years of that value year, and how the model's
// wijken of BaseYear map onto them. Table area 0 is Nederland, 1+g
// gemeente g, 1+G+w wijk w.
type layout struct {
	year              int // the value year
	gemeenten, wijken []store.Area
	wijkGemeente      []int // the gemeente of every wijk
	// successors of every model wijk; nil when the wijken are the
	// model's own.
	successors []successors
	// inwoners are real inhabitants by code; nil: the value year has none
	// (BaseYear has its own, see realValue).
	inwoners map[string]figure
	// nlInwoners is the sum of the real inhabitants of the gemeenten.
	nlInwoners float64
}

// successors are the wijken of a layout that a model wijk's inhabitants
// go to, with the share of them each gets (summing to 1). An empty list
// means its inhabitants are in no wijk of the layout.
type successors struct {
	wijk  []int
	share []float64
}

// makeLayouts returns the layout of every value year. Value years on the
// boundaries of BaseYear share the model's own wijken; the others are on
// the wijken of 2024, reached through the lineage of the wijken.
func (d *Dataset) makeLayouts() (map[int]*layout, error) {
	base := &layout{year: BaseYear, gemeenten: d.src.gemeenteAreas, wijken: d.src.wijkAreas}
	base.wijkGemeente = make([]int, len(d.in))
	for w, in := range d.in {
		base.wijkGemeente[w] = in.gemeente
	}
	succ, err := d.wijkSuccessors()
	if err != nil {
		return nil, err
	}
	out := make(map[int]*layout)
	for _, y := range Years() {
		gb, wb := boundaryOf(catalog.Gemeente, y), boundaryOf(catalog.Wijk, y)
		switch {
		case gb == BaseYear && wb == BaseYear:
			l := *base
			l.year = y
			out[y] = &l
			continue
		case wb != 2024:
			return nil, fmt.Errorf("value year %d: no layout for wijken of %d", y, wb)
		}
		l := &layout{year: y, wijken: d.later.wijken2024.areas, successors: succ}
		l.gemeenten = d.later.gemeenten2023.areas
		if gb == 2024 {
			l.gemeenten = d.later.gemeenten2024.areas
			l.inwoners = d.later.inwoners2024
			for _, g := range l.gemeenten {
				l.nlInwoners += l.inwoners[g.Code].v
			}
		}
		if l.wijkGemeente, err = gemeenteIndexes(l.wijken, l.gemeenten); err != nil {
			return nil, fmt.Errorf("value year %d: %w", y, err)
		}
		out[y] = l
	}
	return out, nil
}

// gemeenteIndexes returns the index in gemeenten of the gemeente of every
// wijk, which its code names. Every gemeente of a wijk must be one of
// gemeenten: a wijk of 2024 in a gemeente of 2023 holds because 2023 to
// 2024 only renamed gemeenten.
func gemeenteIndexes(wijken, gemeenten []store.Area) ([]int, error) {
	index := make(map[string]int, len(gemeenten))
	for g, a := range gemeenten {
		index[a.Code] = g
	}
	out := make([]int, len(wijken))
	for w, a := range wijken {
		code, err := catalog.GemeenteOf(a.Code)
		if err != nil {
			return nil, err
		}
		g, ok := index[code]
		if !ok || code != a.GemeenteCode {
			return nil, fmt.Errorf("wijk %s lies in %s (file: %s), which is not a gemeente of %d", a.Code, code, a.GemeenteCode, gemeenten[0].Year)
		}
		out[w] = g
	}
	return out, nil
}

// wijkSuccessors turns the lineage of the wijken of BaseYear into 2024 into
// the successors of every model wijk: a wijk that is the same area in 2024
// (store.Relation.Comparable) goes wholly to it; any other goes to its
// successors in proportion to the share of it each covers.
func (d *Dataset) wijkSuccessors() ([]successors, error) {
	index := make(map[string]int, len(d.later.wijken2024.areas))
	for w, a := range d.later.wijken2024.areas {
		index[a.Code] = w
	}
	byCode := make(map[string]store.Lineage, len(d.later.wijkTrace))
	for _, l := range d.later.wijkTrace {
		byCode[l.Code] = l
	}
	out := make([]successors, len(d.src.wijkAreas))
	for w, a := range d.src.wijkAreas {
		l, ok := byCode[a.Code]
		if !ok || len(l.Successors) == 0 {
			continue // gone: no wijk of 2024 covers it
		}
		if l.Relation.Comparable() {
			out[w] = successors{wijk: []int{index[l.Successors[0].Code]}, share: []float64{1}}
			continue
		}
		if len(l.Successors) > maxSuccessors {
			return nil, fmt.Errorf("wijk %s has %d successors in 2024, more than %d", a.Code, len(l.Successors), maxSuccessors)
		}
		var sum float64
		for _, s := range l.Successors {
			sum += s.Share
		}
		for _, s := range l.Successors {
			i, ok := index[s.Code]
			if !ok {
				return nil, fmt.Errorf("lineage of wijk %s: unknown wijk %s of 2024", a.Code, s.Code)
			}
			out[w].wijk = append(out[w].wijk, i)
			out[w].share = append(out[w].share, s.Share/sum)
		}
	}
	return out, nil
}
