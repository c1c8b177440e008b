package disclosure

import (
	"fmt"
	"slices"
)

// The relations of a table as linear equations over its cells.

// term is one cell of an equation with its coefficient: +1 for a total, -1
// for a part (or their sum when a cell is named twice).
type term struct {
	cell int32
	coef int32
}

// system is the relations as equations sum(coef*cell) = 0, and per cell the
// equations it occurs in.
type system struct {
	eqs   [][]term
	eqsOf [][]int32
}

func newSystem(nCells int, rels []Relation) *system {
	size := 0
	for _, r := range rels {
		size += 1 + len(r.Parts)
	}
	// One backing array each keeps a table of 100,000 cells at a handful
	// of allocations.
	terms := make([]term, 0, size)
	s := &system{eqs: make([][]term, len(rels)), eqsOf: make([][]int32, nCells)}
	degree := make([]int32, nCells)
	for i, r := range rels {
		start := len(terms)
		terms = appendEquation(terms, nCells, i, r)
		s.eqs[i] = terms[start:len(terms):len(terms)]
		for _, t := range s.eqs[i] {
			degree[t.cell]++
		}
	}
	flat := make([]int32, 0, len(terms))
	for c, d := range degree {
		s.eqsOf[c] = flat[len(flat) : len(flat) : len(flat)+int(d)]
		flat = flat[:len(flat)+int(d)]
	}
	for i, ts := range s.eqs {
		for _, t := range ts {
			s.eqsOf[t.cell] = append(s.eqsOf[t.cell], int32(i))
		}
	}
	return s
}

// appendEquation appends a relation as terms sorted by cell, merging a cell
// named more than once.
func appendEquation(terms []term, nCells, i int, r Relation) []term {
	start := len(terms)
	add := func(c int, coef int32) {
		if c < 0 || c >= nCells {
			panic(fmt.Sprintf("disclosure: relation %d names cell %d of %d", i, c, nCells))
		}
		terms = append(terms, term{cell: int32(c), coef: coef})
	}
	add(r.Total, 1)
	for _, c := range r.Parts {
		add(c, -1)
	}
	ts := terms[start:]
	slices.SortFunc(ts, func(a, b term) int { return int(a.cell) - int(b.cell) })
	out := ts[:0]
	for _, t := range ts {
		if n := len(out); n > 0 && out[n-1].cell == t.cell {
			out[n-1].coef += t.coef
			continue
		}
		out = append(out, t)
	}
	out = slices.DeleteFunc(out, func(t term) bool { return t.coef == 0 })
	return terms[:start+len(out)]
}
