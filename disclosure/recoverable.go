package disclosure

import "fmt"

// Recoverable is the exact check that Protect relies on, and what tests
// and audits use: which hidden cells can be recomputed from the published
// ones through all relations together.

// Recoverable returns, in increasing order, the indices of primary and
// complementary cells (every hidden cell that is not Auxiliary) whose counts
// can be recomputed exactly from the published cells through the relations.
// It solves all relations together, so it also finds what a chain of
// differences gives away: a cell is recoverable when its unit vector lies in
// the row space of the relations restricted to hidden cells. reasons must
// have nCells elements; it panics otherwise, or when a relation names a cell
// outside them.
func Recoverable(rels []Relation, reasons []Reason, nCells int) []int {
	if len(reasons) != nCells {
		panic(fmt.Sprintf("disclosure: Recoverable: %d reasons for %d cells", len(reasons), nCells))
	}
	hidden := make([]bool, nCells)
	for i, r := range reasons {
		hidden[i] = r.Suppressed()
	}
	var out []int
	for i, d := range determined(newSystem(nCells, rels), hidden) {
		if d && reasons[i].protected() {
			out = append(out, i)
		}
	}
	return out
}

// determined returns, per cell, whether it is hidden and yet follows from
// the equations and the cells that are not hidden. After peeling, it
// solves each connected component of the remaining hidden cells (cells
// linked by sharing an equation) apart.
func determined(sys *system, hidden []bool) []bool {
	pl := peel(sys, hidden)
	out := pl.known
	cols := newColumns(len(hidden))
	for _, comp := range components(sys, pl.open) {
		for i, d := range cols.determined(sys, comp) {
			out[comp.cells[i]] = d
		}
	}
	return out
}
