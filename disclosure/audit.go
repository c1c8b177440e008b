package disclosure

import "slices"

// The exact audit of Protect: find the hidden cells that a combination of
// relations gives away (peel.go, eliminate.go) and choose published cells
// to hide so that they no longer are.

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
