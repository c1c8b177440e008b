package disclosure

import (
	"math/bits"
	"slices"
)

// Exact integer elimination: a sparse reduced row echelon form over the
// rationals, kept in int64 rows, that says which hidden cells the
// equations determine.

// entry is one nonzero coefficient of a row.
type entry struct {
	col int32
	val int64
}

// limit bounds the magnitude of coefficients in an echelon, so that sums of
// two never overflow an int64.
const limit = 1 << 62

// echelon is a sparse reduced row echelon form over the rationals, kept as
// integer rows (a row may be scaled, which leaves its row space alone):
// every row has a pivot column that no other row has. Columns from nHidden
// on are probes: they never become pivots, and rows that keep only probes
// are constraints, the combinations of equations in which no hidden cell
// is left. Arithmetic is exact; when a coefficient would outgrow limit,
// overflow is set and the caller falls back to something slower or
// simpler.
type echelon struct {
	nHidden     int32
	rows        [][]entry
	pivot       []int32   // per row: its pivot column
	pivotRow    []int32   // per hidden column: the row it is the pivot of, or -1
	colRows     [][]int32 // per hidden column: the rows that may contain it (a superset)
	pending     []int32   // per hidden column: its occurrences in rows not yet added
	constraints [][]entry
	acc         []int64 // a dense scratch row
	inAcc       []bool
	touched     []int32
	overflow    bool
}

// eliminate brings rows over n columns, of which the first nHidden are
// hidden cells, into reduced echelon form. It reports false on overflow.
func eliminate(rows [][]entry, n, nHidden int) (*echelon, bool) {
	m := &echelon{
		nHidden:  int32(nHidden),
		pivotRow: make([]int32, nHidden),
		colRows:  make([][]int32, nHidden),
		pending:  make([]int32, nHidden),
		acc:      make([]int64, n),
		inAcc:    make([]bool, n),
	}
	for c := range m.pivotRow {
		m.pivotRow[c] = -1
	}
	for _, r := range rows {
		for _, e := range r {
			if e.col < m.nHidden {
				m.pending[e.col]++
			}
		}
	}
	for _, r := range rows {
		m.add(r)
		if m.overflow {
			return nil, false
		}
	}
	return m, true
}

func (m *echelon) add(row []entry) {
	for _, e := range row {
		if e.col < m.nHidden {
			m.pending[e.col]--
		}
	}
	r := m.reduce(row)
	switch {
	case len(r) == 0 || m.overflow:
		return // dependent on the rows so far
	case r[0].col >= m.nHidden:
		m.constraints = append(m.constraints, r)
		return
	}
	id := int32(len(m.rows))
	pc := m.choosePivot(r)
	m.rows = append(m.rows, r)
	m.pivot = append(m.pivot, pc)
	for _, e := range r {
		if e.col < m.nHidden {
			m.colRows[e.col] = append(m.colRows[e.col], id)
		}
	}
	m.backEliminate(id)
	m.pivotRow[pc] = id
}

// probesInConstraints marks, per column, the probes that some constraint
// holds: the cells whose values the relations pin down.
func (m *echelon) probesInConstraints() []bool {
	marks := make([]bool, len(m.acc))
	for _, r := range m.constraints {
		for _, e := range r {
			marks[e.col] = true
		}
	}
	return marks
}

// reduce returns row with every pivot column eliminated. Pivot rows hold no
// other pivot columns, so eliminating one never brings in another.
func (m *echelon) reduce(row []entry) []entry {
	if !slices.ContainsFunc(row, m.isPivot) {
		return normalize(slices.Clone(row))
	}
	for _, e := range row {
		m.accAdd(e.col, e.val)
	}
	for i := 0; i < len(m.touched); i++ {
		c := m.touched[i]
		if a := m.acc[c]; a != 0 && m.isPivot(entry{col: c}) {
			m.eliminate(m.rows[m.pivotRow[c]], c, a)
		}
	}
	slices.Sort(m.touched)
	nonzero := 0
	for _, c := range m.touched {
		if m.acc[c] != 0 {
			nonzero++
		}
	}
	out := make([]entry, 0, nonzero)
	for _, c := range m.touched {
		if v := m.acc[c]; v != 0 {
			out = append(out, entry{col: c, val: v})
		}
		m.acc[c], m.inAcc[c] = 0, false
	}
	m.touched = m.touched[:0]
	return normalize(out)
}

func (m *echelon) isPivot(e entry) bool { return e.col < m.nHidden && m.pivotRow[e.col] >= 0 }

func (m *echelon) accAdd(c int32, v int64) {
	if !m.inAcc[c] {
		m.inAcc[c] = true
		m.touched = append(m.touched, c)
	}
	m.acc[c] = m.sum(m.acc[c], v)
}

// eliminate clears column c, holding a, from the scratch row with pivot row
// prow: acc = (p/g)*acc - (a/g)*prow, where p is prow's pivot value.
func (m *echelon) eliminate(prow []entry, c int32, a int64) {
	p := valueAt(prow, c)
	g := gcd(a, p)
	ms, mr := p/g, a/g
	if ms != 1 {
		for _, t := range m.touched {
			m.acc[t] = m.mul(m.acc[t], ms)
		}
	}
	for _, e := range prow {
		m.accAdd(e.col, -m.mul(mr, e.val))
	}
}

// choosePivot picks a hidden column of r, preferring a unit coefficient,
// which keeps rows integral without scaling, then the column in the fewest
// rows, which keeps fill-in low. Hidden columns come first in r.
func (m *echelon) choosePivot(r []entry) int32 {
	best := -1
	bestCost := 0
	for i, e := range r {
		if e.col >= m.nHidden {
			break
		}
		cost := len(m.colRows[e.col]) + int(m.pending[e.col])
		if e.val != 1 && e.val != -1 {
			cost += 1 << 30
		}
		if best < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	return r[best].col
}

// backEliminate clears the pivot column of row id from every other row.
func (m *echelon) backEliminate(id int32) {
	pc := m.pivot[id]
	for _, q := range m.colRows[pc] {
		if q != id && valueAt(m.rows[q], pc) != 0 {
			m.rows[q] = m.combine(q, id, pc)
		}
	}
	m.colRows[pc] = append(m.colRows[pc][:0], id)
}

// combine returns row q with column c cleared by row by:
// (p/g)*q - (a/g)*by, recording q under the hidden columns it gains.
func (m *echelon) combine(q, by, c int32) []entry {
	x, y := m.rows[q], m.rows[by]
	a, p := valueAt(x, c), valueAt(y, c)
	g := gcd(a, p)
	ms, mr := p/g, a/g
	out := make([]entry, 0, len(x)+len(y))
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case j == len(y) || i < len(x) && x[i].col < y[j].col:
			out = append(out, entry{x[i].col, m.mul(ms, x[i].val)})
			i++
		case i == len(x) || y[j].col < x[i].col:
			out = append(out, entry{y[j].col, -m.mul(mr, y[j].val)})
			if y[j].col < m.nHidden {
				m.colRows[y[j].col] = append(m.colRows[y[j].col], q)
			}
			j++
		default:
			if v := m.sum(m.mul(ms, x[i].val), -m.mul(mr, y[j].val)); v != 0 {
				out = append(out, entry{x[i].col, v})
			}
			i++
			j++
		}
	}
	return normalize(out)
}

func (m *echelon) mul(a, b int64) int64 {
	hi, lo := bits.Mul64(uint64(abs(a)), uint64(abs(b)))
	if hi != 0 || lo >= limit {
		m.overflow = true
		return 0
	}
	if (a < 0) != (b < 0) {
		return -int64(lo)
	}
	return int64(lo)
}

func (m *echelon) sum(a, b int64) int64 {
	s := a + b
	if s >= limit || s <= -limit {
		m.overflow = true
		return 0
	}
	return s
}

// valueAt returns the coefficient of column c in row, or 0.
func valueAt(row []entry, c int32) int64 {
	i, ok := slices.BinarySearchFunc(row, c, func(e entry, c int32) int { return int(e.col) - int(c) })
	if !ok {
		return 0
	}
	return row[i].val
}

// normalize divides a row by the greatest common divisor of its
// coefficients, which keeps them small.
func normalize(row []entry) []entry {
	var g int64
	for _, e := range row {
		if g = gcd(g, e.val); g == 1 {
			return row
		}
	}
	for i := range row {
		row[i].val /= g
	}
	return row
}

func gcd(a, b int64) int64 {
	a, b = abs(a), abs(b)
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func abs(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}
