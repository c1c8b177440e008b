package disclosure

import "slices"

// Peeling: what the relations give away one equation at a time, and the
// connected components of hidden cells that remain to be solved together.

// peeling is what the relations give away one at a time: an equation with
// a single hidden cell pins that cell down, which may leave another
// equation with a single one, and so on.
type peeling struct {
	known     []bool  // hidden cells pinned down so
	definedBy []int32 // per known cell: the equation that pins it
	open      []bool  // hidden cells that are not known
}

func peel(sys *system, hidden []bool) peeling {
	pl := peeling{known: make([]bool, len(hidden)), definedBy: make([]int32, len(hidden)), open: slices.Clone(hidden)}
	unknown := make([]int32, len(sys.eqs))
	var queue []int32
	for e, ts := range sys.eqs {
		for _, t := range ts {
			if hidden[t.cell] {
				unknown[e]++
			}
		}
		if unknown[e] == 1 {
			queue = append(queue, int32(e))
		}
	}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		if unknown[e] != 1 {
			continue
		}
		i := slices.IndexFunc(sys.eqs[e], func(t term) bool { return pl.open[t.cell] })
		c := sys.eqs[e][i].cell
		pl.open[c], pl.known[c], pl.definedBy[c] = false, true, e
		for _, f := range sys.eqsOf[c] {
			if unknown[f]--; unknown[f] == 1 {
				queue = append(queue, f)
			}
		}
	}
	return pl
}

// closure returns comp with the known cells its equations name, and the
// equations that pin those down, and so on: the subsystem in which a
// derivation of comp's cells can be followed back to published cells.
func (pl peeling) closure(sys *system, comp component) component {
	cells := slices.Clone(comp.cells)
	eqs := slices.Clone(comp.eqs)
	seen := make(map[int32]bool)
	for i := 0; i < len(eqs); i++ {
		for _, t := range sys.eqs[eqs[i]] {
			if pl.known[t.cell] && !seen[t.cell] {
				seen[t.cell] = true
				cells = append(cells, t.cell)
				eqs = append(eqs, pl.definedBy[t.cell])
			}
		}
	}
	return component{cells: sortedSet(cells), eqs: sortedSet(eqs)}
}

// component is a connected component of hidden cells, in increasing order,
// with the equations that name them.
type component struct {
	cells []int32
	eqs   []int32
}

func components(sys *system, hidden []bool) []component {
	parent := make([]int32, len(hidden))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	firstHidden := func(ts []term) int32 {
		for _, t := range ts {
			if hidden[t.cell] {
				return t.cell
			}
		}
		return -1
	}
	for _, ts := range sys.eqs {
		if f := firstHidden(ts); f >= 0 {
			root := find(f)
			for _, t := range ts {
				if !hidden[t.cell] {
					continue
				}
				if r := find(t.cell); r != root {
					parent[r] = root
				}
			}
		}
	}
	compOf := make([]int32, len(hidden))
	for c := range compOf {
		compOf[c] = -1
	}
	var comps []component
	for c, h := range hidden {
		if h {
			root := find(int32(c))
			if compOf[root] < 0 {
				compOf[root] = int32(len(comps))
				comps = append(comps, component{})
			}
			comps[compOf[root]].cells = append(comps[compOf[root]].cells, int32(c))
		}
	}
	for e, ts := range sys.eqs {
		if f := firstHidden(ts); f >= 0 {
			i := compOf[find(f)]
			comps[i].eqs = append(comps[i].eqs, int32(e))
		}
	}
	return comps
}
