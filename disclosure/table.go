package disclosure

import (
	"fmt"
	"math/big"
	"math/bits"
	"slices"
)

// This file protects a table of linked statistics against differencing
// ("terugrekenen"): a gemeente's figure minus all but one of its wijken, or
// totaal minus all but one herkomstgroep, gives away the one that was
// suppressed. Protect adds complementary suppressions until no suppressed
// cell can be recomputed from the published ones; Recoverable is the exact
// check it relies on, and what tests and audits use.

// Cell is one statistic in a table of linked statistics. A cell stands for
// the value and its counts together: suppressing it hides all of them.
type Cell struct {
	// Observations is what the statistic is based on. A negative count is
	// unknown: the figure was disclosure-controlled at its source (a
	// published CBS figure); it is never suppressed, neither primarily nor
	// as a complementary cell, and never needs protecting. Suppressing it
	// would hide nothing, since the source publishes it anyway, so it counts
	// as known to anyone who reads the relations.
	Observations int
	// Weight is the information lost by suppressing this cell (for example
	// its observations); complementary suppression prefers cells with a
	// small weight. Weights should be finite.
	Weight float64
	// Auxiliary cells are never published: they stand for a sum that no
	// output carries, only to state a relation between published cells.
	// "Europa, both generations" is one: it is the sum of the two
	// generations of the five-way split and also of the five European
	// countries of the twenty-way split, which ties those cells together.
	// An auxiliary cell with fewer observations than the threshold is
	// protected like any primary cell (the sum is itself a figure about a
	// small group); give it negative Observations when its sum may be
	// known.
	Auxiliary bool
}

// Relation says cells[Total] = sum of cells[Parts], for every count the
// cells carry.
type Relation struct {
	Total int
	Parts []int
}

// Reason says why a cell is or is not published. The zero Reason is not a
// valid reason; anything but Publishable counts as hidden.
type Reason uint8

// The reasons.
const (
	// Publishable cells may leave the server.
	Publishable Reason = iota + 1
	// Primary cells are based on fewer observations than the threshold.
	Primary
	// Complementary cells are hidden so that no primary cell (nor any
	// other hidden one) can be recomputed from published cells.
	Complementary
	// Auxiliary cells are not figures anyone publishes (see
	// Cell.Auxiliary) and are based on enough observations, or an unknown
	// number, so they need no protection.
	Auxiliary
)

// String returns the reason's name.
func (r Reason) String() string {
	switch r {
	case Publishable:
		return "publishable"
	case Primary:
		return "primary"
	case Complementary:
		return "complementary"
	case Auxiliary:
		return "auxiliary"
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Suppressed reports whether the cell's value and counts must not leave the
// server.
func (r Reason) Suppressed() bool { return r != Publishable }

// protected reports whether a hidden cell must not be recomputable: primary
// and complementary cells must not; auxiliary ones may.
func (r Reason) protected() bool { return r != Publishable && r != Auxiliary }

// Protect returns, per cell, whether and why it is suppressed: primary
// suppression for 0 <= Observations < minObservations, then complementary
// suppression until no primary or complementary cell can be recomputed
// exactly from published cells through the relations.
//
// Complementary cells are chosen greedily. First, whenever a relation would
// leave exactly one hidden cell to recompute, its published cell with the
// smallest Weight (the lowest index among equals) is hidden too, until no
// relation does. Then an exact audit (the one Recoverable does) finds the
// cells that only a combination of relations gives away; for each it hides
// a published cell whose count that combination uses and that would not be
// recoverable itself, preferring a cell of the recoverable cell's own
// relations, then the smallest Weight; and it repeats until the audit finds
// nothing. The result is deterministic.
//
// Cells with unknown observations are never chosen: a suppressed cell that
// can be recomputed from those alone cannot be protected by this table and
// stays recoverable, so a caller that must be sure checks the result with
// Recoverable. Protection is against exact recomputation: knowing that
// counts are whole and not negative, an attacker can still bound a hidden
// count by the published ones, and pins it down when the hidden parts of a
// published total must add up to 0. Protect panics when a relation names a
// cell outside cells.
func Protect(cells []Cell, rels []Relation, minObservations int) []Reason {
	return protect(cells, rels, minObservations, true)
}

// ProtectHeuristic is Protect without the exact audit: it only makes sure
// that no single relation has exactly one hidden cell. It is faster, and
// misses recomputations that combine relations; use it only where Protect
// is measured to be too slow, and audit its result with Recoverable.
func ProtectHeuristic(cells []Cell, rels []Relation, minObservations int) []Reason {
	return protect(cells, rels, minObservations, false)
}

func protect(cells []Cell, rels []Relation, minObservations int, audit bool) []Reason {
	p := newProtector(cells, newSystem(len(cells), rels), minObservations)
	p.drain()
	for audit && p.auditRound() {
		p.drain()
	}
	return p.reasons
}

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

// protector holds the state of Protect's greedy step: per equation the
// number of hidden cells an attacker does not know, and the auxiliary cells
// it does know because a relation pins them down.
type protector struct {
	cells   []Cell
	sys     *system
	reasons []Reason
	// unknown counts, per equation, the hidden cells not in known.
	unknown []int32
	// known marks hidden auxiliary cells that need no protection and that
	// one equation pins down; derives[e] is the cell equation e pins, or -1.
	known   []bool
	derives []int32
	queue   []int32
	// dirty marks the equations of cells hidden since the last audit; an
	// audit solves only the components they touch, the others being as
	// the last audit left them.
	dirty   []bool
	audited bool
}

func newProtector(cells []Cell, sys *system, minObservations int) *protector {
	p := &protector{
		cells:   cells,
		sys:     sys,
		reasons: make([]Reason, len(cells)),
		unknown: make([]int32, len(sys.eqs)),
		known:   make([]bool, len(cells)),
		derives: make([]int32, len(sys.eqs)),
		dirty:   make([]bool, len(sys.eqs)),
	}
	for i, c := range cells {
		switch {
		case c.Observations >= 0 && c.Observations < minObservations:
			p.reasons[i] = Primary
		case c.Auxiliary:
			p.reasons[i] = Auxiliary
		default:
			p.reasons[i] = Publishable
		}
	}
	for e, ts := range sys.eqs {
		p.derives[e] = -1
		for _, t := range ts {
			if p.reasons[t.cell].Suppressed() {
				p.unknown[e]++
			}
		}
		if p.unknown[e] == 1 {
			p.queue = append(p.queue, int32(e))
		}
	}
	return p
}

// drain handles equations with exactly one unknown cell until there are
// none: an auxiliary one becomes known, a protected one gets a
// complementary suppression.
func (p *protector) drain() {
	for len(p.queue) > 0 {
		e := p.queue[0]
		p.queue = p.queue[1:]
		if p.unknown[e] != 1 {
			continue
		}
		u := p.soleUnknown(e)
		if !p.reasons[u].protected() {
			p.derive(u, e)
			continue
		}
		if c, ok := p.lightest(p.sys.eqs[e]); ok {
			p.suppress(c)
		}
	}
}

func (p *protector) soleUnknown(e int32) int32 {
	for _, t := range p.sys.eqs[e] {
		if p.reasons[t.cell].Suppressed() && !p.known[t.cell] {
			return t.cell
		}
	}
	panic("disclosure: equation without unknown cell") // unknown[e] == 1 says otherwise
}

// derive records that equation e pins down auxiliary cell u.
func (p *protector) derive(u, e int32) {
	p.known[u] = true
	p.derives[e] = u
	for _, f := range p.sys.eqsOf[u] {
		p.unknown[f]--
		if p.unknown[f] == 1 {
			p.queue = append(p.queue, f)
		}
	}
}

// suppress hides published cell c as a complementary cell.
func (p *protector) suppress(c int32) {
	p.reasons[c] = Complementary
	for _, e := range p.sys.eqsOf[c] {
		p.dirty[e] = true
	}
	p.becomeUnknown(c)
}

// becomeUnknown counts c as unknown in its equations. An auxiliary cell
// that one of them pinned down is no longer pinned, so it becomes unknown
// in turn.
func (p *protector) becomeUnknown(c int32) {
	for _, e := range p.sys.eqsOf[c] {
		p.unknown[e]++
		if p.unknown[e] == 1 {
			p.queue = append(p.queue, e)
		}
		if u := p.derives[e]; u >= 0 {
			p.derives[e] = -1
			p.known[u] = false
			p.becomeUnknown(u)
		}
	}
}

// eligible reports whether c may become a complementary cell: published,
// with known observations.
func (p *protector) eligible(c int32) bool {
	return p.reasons[c] == Publishable && p.cells[c].Observations >= 0 && !p.cells[c].Auxiliary
}

// lightest returns the eligible cell of ts with the smallest weight, the
// lowest index among equals (ts is sorted by cell).
func (p *protector) lightest(ts []term) (int32, bool) {
	best, found := int32(0), false
	for _, t := range ts {
		if p.eligible(t.cell) && (!found || p.cells[t.cell].Weight < p.cells[best].Weight) {
			best, found = t.cell, true
		}
	}
	return best, found
}

// auditRound finds the protected cells that a combination of relations
// gives away and hides cells so that they no longer are; it reports whether
// it hid any. All components are judged on the same snapshot, so one
// component's new suppressions cannot double another's.
func (p *protector) auditRound() bool {
	hidden := make([]bool, len(p.cells))
	for i, r := range p.reasons {
		hidden[i] = r.Suppressed()
	}
	pl := peel(p.sys, hidden)
	cols := newColumns(len(p.cells))
	var fixes []int32
	for _, comp := range components(p.sys, pl.open) {
		if p.audited && !anyMarked(p.dirty, comp.eqs) {
			continue
		}
		det := cols.determined(p.sys, comp)
		var xs []int32
		for i, c := range comp.cells {
			if det[i] && p.reasons[c].protected() {
				xs = append(xs, c)
			}
		}
		if len(xs) > 0 {
			fixes = append(fixes, p.fixes(pl.closure(p.sys, comp), xs, cols)...)
		}
	}
	for x, k := range pl.known {
		if k && p.reasons[x].protected() {
			sub := pl.closure(p.sys, component{eqs: []int32{pl.definedBy[x]}})
			fixes = append(fixes, p.fixes(sub, []int32{int32(x)}, cols)...)
		}
	}
	clear(p.dirty)
	p.audited = true
	for _, c := range fixes {
		if p.reasons[c] == Publishable {
			p.suppress(c)
		}
	}
	return len(fixes) > 0
}

func anyMarked(marks []bool, idx []int32) bool {
	for _, i := range idx {
		if marks[i] {
			return true
		}
	}
	return false
}

// fixes returns cells to hide so that the recoverable cells xs of the
// subsystem sub no longer are. It looks for them near xs first (in the
// equations of xs and of the hidden cells those share), then in all of sub.
// A cell found nowhere is recoverable from cells with unknown observations
// alone, and gets no fix.
func (p *protector) fixes(sub component, xs []int32, cols *columns) []int32 {
	var chosen []int32
	for _, wide := range []bool{false, true} {
		if len(xs) == 0 {
			break
		}
		probes := p.probes(sub, xs, wide)
		n := len(sub.cells)
		m, ok := eliminate(cols.rows(p.sys, sub.eqs, sub.cells, probes), n+len(probes), n)
		if !ok {
			return append(chosen, p.simpleFixes(xs)...)
		}
		xs, chosen = p.pick(m, sub.cells, probes, xs, chosen, wide)
	}
	return chosen
}

// probes returns the eligible cells of sub's equations that fixes
// considers: those near xs, or all of them.
func (p *protector) probes(sub component, xs []int32, all bool) []int32 {
	eqs := sub.eqs
	if !all {
		eqs = nil
		for _, x := range xs {
			for _, e := range p.sys.eqsOf[x] {
				for _, t := range p.sys.eqs[e] {
					if _, hidden := slices.BinarySearch(sub.cells, t.cell); hidden {
						eqs = append(eqs, p.sys.eqsOf[t.cell]...)
					}
				}
			}
		}
		eqs = sortedSet(eqs)
	}
	var out []int32
	for _, e := range eqs {
		if _, in := slices.BinarySearch(sub.eqs, e); !in {
			continue
		}
		for _, t := range p.sys.eqs[e] {
			if p.eligible(t.cell) {
				out = append(out, t.cell)
			}
		}
	}
	return sortedSet(out)
}

func sortedSet(s []int32) []int32 {
	slices.Sort(s)
	return slices.Compact(s)
}

// pick chooses for every recoverable cell x a probe to hide: one whose
// value x's derivation uses (a nonzero in x's reduced row, its weight in
// the attacker's sum) and that would not be pinned down itself (absent
// from every row without hidden cells, and from every equation it would be
// the only hidden cell of). Hiding it makes x undetermined; a probe chosen
// for an earlier x may already do. It prefers a cell of x's own equations,
// then the lightest, then the lowest index. With pinnedToo, a pinned probe
// will also do: it becomes recoverable itself, and the next round protects
// it. pick returns the cells it found nothing for and the probes chosen so
// far.
func (p *protector) pick(m *echelon, cells, probes, xs, chosen []int32, pinnedToo bool) ([]int32, []int32) {
	n := int32(len(cells))
	pinned := m.probesInConstraints()
	var rest []int32
	for _, x := range xs {
		i, _ := slices.BinarySearch(cells, x)
		own := p.neighbours(x)
		best, bestOwn, covered := int32(-1), false, false
		for _, e := range m.rows[m.pivotRow[i]][1:] {
			c := probes[e.col-n]
			if !pinnedToo && (pinned[e.col] || p.alone(c)) {
				continue
			}
			if covered = slices.Contains(chosen, c); covered {
				break
			}
			_, isOwn := slices.BinarySearch(own, c)
			if best < 0 || isOwn && !bestOwn || isOwn == bestOwn && p.cells[c].Weight < p.cells[best].Weight {
				best, bestOwn = c, isOwn // probes are sorted, so the lowest index wins ties
			}
		}
		switch {
		case covered:
		case best >= 0:
			chosen = append(chosen, best)
		default:
			rest = append(rest, x)
		}
	}
	return rest, chosen
}

// neighbours returns the cells that share an equation with x, sorted.
func (p *protector) neighbours(x int32) []int32 {
	var out []int32
	for _, e := range p.sys.eqsOf[x] {
		for _, t := range p.sys.eqs[e] {
			out = append(out, t.cell)
		}
	}
	return sortedSet(out)
}

// alone reports whether published cell c has an equation in which all
// other cells are published: hiding c there would give it away.
func (p *protector) alone(c int32) bool {
	for _, e := range p.sys.eqsOf[c] {
		if !slices.ContainsFunc(p.sys.eqs[e], func(t term) bool { return t.cell != c && p.reasons[t.cell].Suppressed() }) {
			return true
		}
	}
	return false
}

// simpleFixes hides the lightest eligible cell of an equation of every x:
// the choice when the exact one overflowed.
func (p *protector) simpleFixes(xs []int32) []int32 {
	var out []int32
	for _, x := range xs {
		var ts []term
		for _, e := range p.sys.eqsOf[x] {
			ts = append(ts, p.sys.eqs[e]...)
		}
		slices.SortFunc(ts, func(a, b term) int { return int(a.cell) - int(b.cell) })
		if c, ok := p.lightest(ts); ok {
			out = append(out, c)
		}
	}
	return out
}

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

// denseDetermined is sparseDetermined in exact rational arithmetic of any
// size, on a dense matrix: slow and memory-hungry, the fallback for the
// rare system whose integer coefficients outgrow an int64.
func denseDetermined(rows [][]entry, n int) []bool {
	a := make([][]big.Rat, len(rows))
	for i, r := range rows {
		a[i] = make([]big.Rat, n)
		for _, e := range r {
			a[i][e.col].SetInt64(e.val)
		}
	}
	pivotRow := make([]int, n)
	var f, t big.Rat
	rank := 0
	for c := 0; c < n; c++ {
		pivotRow[c] = -1
		i := slices.IndexFunc(a[rank:], func(r []big.Rat) bool { return r[c].Sign() != 0 })
		if i < 0 {
			continue
		}
		a[rank], a[rank+i] = a[rank+i], a[rank]
		f.Inv(&a[rank][c])
		for k := range a[rank] {
			a[rank][k].Mul(&a[rank][k], &f)
		}
		for j := range a {
			if j != rank && a[j][c].Sign() != 0 {
				f.Set(&a[j][c])
				for k := range a[j] {
					a[j][k].Sub(&a[j][k], t.Mul(&f, &a[rank][k]))
				}
			}
		}
		pivotRow[c] = rank
		if rank++; rank == len(a) {
			break
		}
	}
	det := make([]bool, n)
	for c, r := range pivotRow {
		det[c] = r >= 0 && onlyNonzero(a[r], c)
	}
	return det
}

// onlyNonzero reports whether row[c] is the only nonzero in row.
func onlyNonzero(row []big.Rat, c int) bool {
	for k := range row {
		if k != c && row[k].Sign() != 0 {
			return false
		}
	}
	return true
}
