package disclosure

// Protect guards a table of linked statistics against differencing
// ("terugrekenen"): a gemeente's figure minus all but one of its wijken, or
// totaal minus all but one herkomstgroep, gives away the one that was
// suppressed. This file holds its greedy step: hide a published cell
// wherever one relation would leave a single hidden cell to recompute. The
// exact audit that follows it is in audit.go.

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
