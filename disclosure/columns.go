package disclosure

import "slices"

// The equations of one component as sparse integer rows for eliminate.

// columns numbers the cells of one linear system: the hidden cells of a
// component first, then probe cells. Reusing it across components saves
// allocating a cell-sized array for each.
type columns struct {
	of []int32 // per cell: its column, or -1
}

func newColumns(nCells int) *columns {
	cs := &columns{of: make([]int32, nCells)}
	for i := range cs.of {
		cs.of[i] = -1
	}
	return cs
}

// rows returns equations eqs as rows over the columns of cells, then
// probes; other cells are known and drop out. Rows with the fewest hidden
// cells come first: they pin down the most and fill in the least.
func (cs *columns) rows(sys *system, eqs, cells, probes []int32) [][]entry {
	for i, c := range cells {
		cs.of[c] = int32(i)
	}
	for i, c := range probes {
		cs.of[c] = int32(len(cells) + i)
	}
	type keyed struct {
		row    []entry
		hidden int
	}
	size := 0
	for _, e := range eqs {
		size += len(sys.eqs[e])
	}
	flat := make([]entry, 0, size)
	rows := make([]keyed, len(eqs))
	for i, e := range eqs {
		start := len(flat)
		for _, t := range sys.eqs[e] {
			if k := cs.of[t.cell]; k >= 0 {
				flat = append(flat, entry{col: k, val: int64(t.coef)})
				if k < int32(len(cells)) {
					rows[i].hidden++
				}
			}
		}
		rows[i].row = flat[start:len(flat):len(flat)]
		slices.SortFunc(rows[i].row, func(a, b entry) int { return int(a.col) - int(b.col) })
	}
	for _, c := range cells {
		cs.of[c] = -1
	}
	for _, c := range probes {
		cs.of[c] = -1
	}
	// A counting sort by hidden cells: stable, and linear.
	var start []int
	for _, r := range rows {
		for len(start) <= r.hidden+1 {
			start = append(start, 0)
		}
		start[r.hidden+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	out := make([][]entry, len(rows))
	for _, r := range rows {
		out[start[r.hidden]] = r.row
		start[r.hidden]++
	}
	return out
}

// determined returns, per cell of comp, whether it is determined.
func (cs *columns) determined(sys *system, comp component) []bool {
	n := len(comp.cells)
	rows := cs.rows(sys, comp.eqs, comp.cells, nil)
	m, ok := eliminate(rows, n, n)
	if !ok {
		return denseDetermined(rows, n)
	}
	det := make([]bool, n)
	for c, r := range m.pivotRow {
		// In reduced form a row holds its pivot and free columns only; a
		// pivot is determined exactly when its row holds nothing else.
		det[c] = r >= 0 && len(m.rows[r]) == 1
	}
	return det
}
