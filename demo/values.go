package demo

import (
	"iter"
	"math"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// table holds one indicator's numerator and denominator sums for every
// group and area. Area 0 is Nederland, 1+g gemeente g, 1+G+w wijk w.
type table struct {
	nAreas   int
	num, den []int64 // [group*nAreas + area]
}

// yearModel is what the values of one value year are made from.
type yearModel struct {
	lay *layout
	// pop is the model population of the year on the wijken of BaseYear;
	// modelPop the inhabitants of each of those wijken.
	pop      *population
	modelPop []int64
	// dt is the number of years from BaseYear.
	dt float64
	// wijkPop is the model's inhabitants of every wijk of lay.
	wijkPop []int64
}

// newYearModel returns the model of value year year; false when it is not
// a value year.
func (d *Dataset) newYearModel(year int) (*yearModel, bool) {
	lay, ok := d.layouts[year]
	if !ok {
		return nil, false
	}
	ym := &yearModel{lay: lay, pop: d.yearPopulation(year), dt: float64(year - BaseYear)}
	L := len(d.pop.leaves)
	ym.modelPop, ym.wijkPop = make([]int64, len(d.src.wijken)), make([]int64, len(lay.wijken))
	s := newFillScratch(L, 0)
	for w := range d.src.wijken {
		for _, c := range ym.pop.leafCounts(w) {
			ym.modelPop[w] += c
		}
		if lay.successors == nil {
			ym.wijkPop[w] = ym.modelPop[w]
			continue
		}
		succ := lay.successors[w]
		for _, c := range ym.pop.leafCounts(w) {
			apportion(succ, c, c, s.pNum, s.pDen, s.order)
			for k, sw := range succ.wijk {
				ym.wijkPop[sw] += s.pDen[k]
			}
		}
	}
	return ym, true
}

// fillScratch is the scratch space of fill.
type fillScratch struct {
	num, den   []int64 // the leaves of one model wijk
	wNum, wDen []int64 // the leaves of every wijk of a layout: [w*L+l]
	pNum, pDen []int64 // one leaf split over successors
	order      []int
}

// maxSuccessors bounds the successors of a wijk (MODEL.md, "Years": at
// most a handful).
const maxSuccessors = 64

func newFillScratch(L, layoutWijken int) *fillScratch {
	return &fillScratch{
		num: make([]int64, L), den: make([]int64, L),
		wNum: make([]int64, layoutWijken*L), wDen: make([]int64, layoutWijken*L),
		pNum: make([]int64, maxSuccessors), pDen: make([]int64, maxSuccessors), order: make([]int, maxSuccessors),
	}
}

// Values yields every value of value year year (see Years) at Nederland,
// gemeente and wijk level: for every indicator of the catalogue given to
// Load, in catalogue order, for every group of cat.GroupsOf(indicator), in
// catalogue order, the value of Nederland (level catalog.Nederland, code
// catalog.NederlandCode), then of every gemeente and every wijk by code,
// the areas of the boundary years of that value year (BoundaryYears). A
// year that is not a value year yields nothing. The same dataset always
// yields the same values in the same order; values are computed as they
// are yielded, so iterating twice computes them twice.
func (d *Dataset) Values(year int) iter.Seq[store.Value] {
	return func(yield func(store.Value) bool) {
		ym, ok := d.newYearModel(year)
		if !ok {
			return
		}
		L := len(d.pop.leaves)
		t := &table{nAreas: 1 + len(ym.lay.gemeenten) + len(ym.lay.wijken)}
		maxGroups := 0
		for _, pi := range d.indicators {
			maxGroups = max(maxGroups, len(pi.groups))
		}
		t.num, t.den = make([]int64, maxGroups*t.nAreas), make([]int64, maxGroups*t.nAreas)
		layoutWijken := 0
		if ym.lay.successors != nil {
			layoutWijken = len(ym.lay.wijken)
		}
		s := newFillScratch(L, layoutWijken)
		for i := range d.indicators {
			pi := &d.indicators[i]
			d.fill(pi, ym, t, s)
			if !d.emit(pi, ym, t, yield) {
				return
			}
		}
	}
}

// fill computes the indicator's leaves in every model wijk, takes them to
// the wijken of the year's layout and sums them into groups, wijken,
// gemeenten and Nederland.
func (d *Dataset) fill(pi *preparedIndicator, ym *yearModel, t *table, s *fillScratch) {
	clear(t.num)
	clear(t.den)
	L, lay := len(d.pop.leaves), ym.lay
	clear(s.wNum)
	clear(s.wDen)
	for w := range d.src.wijken {
		if ym.modelPop[w] == 0 {
			continue
		}
		d.leafValues(pi, ym, w, s.num, s.den)
		if lay.successors == nil {
			d.addWijk(pi, ym, t, w, s.num, s.den)
			continue
		}
		succ := lay.successors[w]
		for l := range L {
			if s.num[l] == 0 && s.den[l] == 0 {
				continue
			}
			apportion(succ, s.num[l], s.den[l], s.pNum, s.pDen, s.order)
			for k, sw := range succ.wijk {
				s.wNum[sw*L+l] += s.pNum[k]
				s.wDen[sw*L+l] += s.pDen[k]
			}
		}
	}
	if lay.successors == nil {
		return
	}
	for w := range lay.wijken {
		if ym.wijkPop[w] > 0 {
			d.addWijk(pi, ym, t, w, s.wNum[w*L:(w+1)*L], s.wDen[w*L:(w+1)*L])
		}
	}
}

// addWijk sums the leaves of wijk w of the layout into its groups and adds
// them to the wijk, its gemeente and Nederland.
func (d *Dataset) addWijk(pi *preparedIndicator, ym *yearModel, t *table, w int, num, den []int64) {
	areas := [3]int{0, 1 + ym.lay.wijkGemeente[w], 1 + len(ym.lay.gemeenten) + w}
	for gi, leaves := range pi.leaves {
		var n, dd int64
		for _, l := range leaves {
			n += num[l]
			dd += den[l]
		}
		if pi.model.kind == kindShare {
			dd = ym.wijkPop[w]
		}
		for _, a := range areas {
			t.num[gi*t.nAreas+a] += n
			t.den[gi*t.nAreas+a] += dd
		}
	}
}

// apportion splits a leaf's numerator and denominator of a model wijk over
// its successors: the denominator by their shares with the largest
// remainder method, so the parts add up exactly, and the numerator in
// proportion to the denominator's parts (splitInt), so a part's numerator
// is never above its denominator where the whole's is not, and a mean
// (CITO, age at death) stays the same in every part. A wijk without
// successors has nothing to split.
func apportion(succ successors, num, den int64, numOut, denOut []int64, order []int) {
	switch n := len(succ.wijk); n {
	case 0:
	case 1:
		numOut[0], denOut[0] = num, den
	default:
		largestRemainder(succ.share, den, denOut[:n], order[:n])
		splitInt(num, denOut[:n], numOut[:n])
	}
}

// leafValues sets the numerator and denominator of every leaf of model
// wijk w in the year of ym.
func (d *Dataset) leafValues(pi *preparedIndicator, ym *yearModel, w int, num, den []int64) {
	p := ym.pop
	counts := p.leafCounts(w)
	m := pi.model
	switch m.kind {
	case kindRate:
		d.sampleRate(pi, ym, w, num, den)
		return
	case kindCito:
		d.sampleCito(pi, ym, w, num, den)
		return
	case kindDeathAge:
		d.sampleDeaths(pi, ym, w, num, den)
		return
	}
	for l, c := range counts {
		num[l], den[l] = d.countLeaf(m, l, c, p.leafAges(w, l))
	}
}

// countLeaf returns the numerator and denominator of leaf l, of count c
// and with these age counts, for the models whose values are counts of
// inhabitants: count, share, generation, age and segregation.
func (d *Dataset) countLeaf(m model, l int, c int64, ages []int64) (num, den int64) {
	switch li := d.pop.leaves[l]; m.kind {
	case kindGeneration:
		if li.kind == m.gen {
			return c, c
		}
		return 0, c
	case kindAge:
		for _, a := range m.ages {
			num += ages[a]
		}
		return num, c
	case kindSegregation:
		if li.kind != native && !d.origins[li.origin].europe {
			return c, c
		}
		return 0, c
	}
	return c, c
}

// sampleRate draws the numerator of every leaf of wijk w from its risk
// population.
func (d *Dataset) sampleRate(pi *preparedIndicator, ym *yearModel, w int, num, den []int64) {
	m, p, in := pi.model.rate, ym.pop, d.in[w]
	base := pi.intercept + m.alpha*in.deprivation
	if pi.wijkIntercept != nil {
		base = pi.wijkIntercept[w]
	} else {
		r := newCellRNG(in.codeHash, pi.hash, math.MaxUint64)
		base += 0.25 * r.norm()
	}
	var drifts [3]float64
	if ym.dt != 0 {
		drifts = pi.wijkDrifts(in.codeHash)
	}
	hh := p.leafHouseholds(w)
	for l, li := range p.leaves {
		ages := p.leafAges(w, l)
		den[l] = m.den.size(ages, hh[l])
		risk := m.risk.size(ages, hh[l])
		num[l] = 0
		if risk == 0 {
			continue
		}
		// The same stream every year: the leaf noise persists and the
		// draws move with the probability, so a rate changes by its
		// trend, not by fresh chance every year.
		r := newCellRNG(in.codeHash, pi.hash, uint64(l))
		x := base + pi.gamma[l] + 0.2*r.norm()
		if ym.dt != 0 {
			x += pi.leafDrift(ym.dt, drifts, li, d.origins, l)
		}
		num[l] = r.binomial(risk, sigmoid(x))
	}
}

// sampleCito draws every leaf's pupils in groep 8 and the sum of their
// scores (the numerator; the value is the mean).
func (d *Dataset) sampleCito(pi *preparedIndicator, ym *yearModel, w int, num, den []int64) {
	p, in := ym.pop, d.in[w]
	wijkNoise := newCellRNG(in.codeHash, pi.hash, math.MaxUint64)
	base := pi.intercept - citoDep*in.deprivation + 1.0*wijkNoise.norm()
	var drifts [3]float64
	if ym.dt != 0 {
		drifts = pi.wijkDrifts(in.codeHash)
	}
	for l, li := range p.leaves {
		r := newCellRNG(in.codeHash, pi.hash, uint64(l))
		n := r.binomial(p.leafAges(w, l)[age4to12], citoPupilAge)
		den[l], num[l] = n, 0
		if n == 0 {
			continue
		}
		x := base + pi.gamma[l] + 0.7*r.norm()
		if ym.dt != 0 {
			x += pi.leafDrift(ym.dt, drifts, li, d.origins, l)
		}
		mean := clamp(x, 505, 548)
		sum := float64(n)*mean + citoPupilSD*math.Sqrt(float64(n))*r.norm()
		num[l] = int64(math.Round(clamp(sum, 501*float64(n), 550*float64(n))))
	}
}

// sampleDeaths draws every leaf's deaths, of 65+ and of younger
// inhabitants, and the sum of their ages at death.
func (d *Dataset) sampleDeaths(pi *preparedIndicator, ym *yearModel, w int, num, den []int64) {
	p, in := ym.pop, d.in[w]
	risk := math.Exp(deathRateDepScale * in.deprivation)
	var drifts [3]float64
	if ym.dt != 0 {
		drifts = pi.wijkDrifts(in.codeHash)
	}
	for l, li := range p.leaves {
		ages := p.leafAges(w, l)
		r := newCellRNG(in.codeHash, pi.hash, uint64(l))
		old := r.binomial(ages[age65plus], deathRate65*risk)
		young := r.binomial(subAll.size(ages, 0)-ages[age65plus], deathRateYoung*risk)
		den[l], num[l] = old+young, 0
		if old+young == 0 {
			continue
		}
		mean65 := deathAge65 - deathAgeDep*in.deprivation
		if li.kind != native {
			mean65 -= deathAgeEco * d.origins[li.origin].eco
		}
		if ym.dt != 0 {
			mean65 += pi.leafDrift(ym.dt, drifts, li, d.origins, l)
		}
		sum := float64(old)*mean65 + deathAge65SD*math.Sqrt(float64(old))*r.norm()
		sum += float64(young)*deathAgeYoung + deathAgeYoungSD*math.Sqrt(float64(young))*r.norm()
		lo, hi := 65*float64(old), 105*float64(old)+64*float64(young)
		num[l] = int64(math.Round(clamp(sum, lo, hi)))
	}
}

// emit yields the values of one indicator.
func (d *Dataset) emit(pi *preparedIndicator, ym *yearModel, t *table, yield func(store.Value) bool) bool {
	var seg []float64
	if pi.model.kind == kindSegregation {
		seg = segregation(ym.lay, t)
	}
	for gi, group := range pi.groups {
		totaal := group == catalog.TotaalGroup
		for a := range t.nAreas {
			v := areaValue(ym.lay, a)
			v.Indicator, v.Group = pi.id, group
			switch {
			case totaal && pi.model.real != realNone && d.realValue(ym.lay, pi.model.real, a, &v):
			case ym.uninhabited(a):
				// No data: the model makes nothing for a wijk without
				// inhabitants.
			case seg != nil:
				v.Value = store.NullFloat(seg[a])
				v.Observations = int(t.den[gi*t.nAreas+a])
			default:
				d.modelValue(pi, t.num[gi*t.nAreas+a], t.den[gi*t.nAreas+a], &v)
			}
			if !yield(v) {
				return false
			}
		}
	}
	return true
}

// areaValue returns a value of area a of the layout with its level, value
// year and code and provenance Demo.
func areaValue(lay *layout, a int) store.Value {
	v := store.Value{Year: lay.year, Provenance: store.Demo}
	switch G := len(lay.gemeenten); {
	case a == 0:
		v.Level, v.Code = catalog.Nederland, catalog.NederlandCode
	case a <= G:
		v.Level, v.Code = catalog.Gemeente, lay.gemeenten[a-1].Code
	default:
		v.Level, v.Code = catalog.Wijk, lay.wijken[a-1-G].Code
	}
	return v
}

// uninhabited reports whether area a is a wijk without inhabitants in the
// model of the year.
func (ym *yearModel) uninhabited(a int) bool {
	G := len(ym.lay.gemeenten)
	return a > G && ym.wijkPop[a-1-G] == 0
}

// modelValue fills v from a numerator and denominator of the model. An
// empty group (denominator 0) gets value 0 with 0 observations, so that it
// is suppressed like any group of fewer than 10 rather than shown as "no
// data", which would tell that it is empty.
func (d *Dataset) modelValue(pi *preparedIndicator, num, den int64, v *store.Value) {
	n, dd := float64(num), float64(den)
	v.Observations = int(den)
	switch pi.model.kind {
	case kindCount:
		v.Value, v.Numerator = store.NullFloat(n), store.NullFloat(n)
		v.Observations = int(num)
		return
	case kindShare:
		// A share is based on the group: a small group must not be
		// recomputable from its share of a large wijk.
		v.Observations = int(num)
	}
	scale := 100.0
	switch pi.model.kind {
	case kindRate:
		scale = pi.model.rate.scale
	case kindCito, kindDeathAge:
		scale = 1
	}
	value := 0.0
	if den > 0 {
		value = scale * n / dd
	}
	v.Value, v.Numerator, v.Denominator = store.NullFloat(value), store.NullFloat(n), store.NullFloat(dd)
}

// realValue fills v with real figure r of area a of the layout when its
// value year has one: in BaseYear every real figure (baseRealValue), in a
// year with real inhabitants (2024) those. It reports whether it did.
func (d *Dataset) realValue(lay *layout, r realFigure, a int, v *store.Value) bool {
	switch {
	case lay.year == BaseYear:
		return d.baseRealValue(r, a, v)
	case lay.inwoners != nil && r == realInwoners:
		lay.realInwoners(a, v)
		return true
	}
	return false
}

// realInwoners fills v with the real inhabitants of area a: CBS's figure
// for a gemeente or wijk (no data when CBS gives none), their sum over the
// gemeenten for Nederland.
func (lay *layout) realInwoners(a int, v *store.Value) {
	v.Provenance, v.Observations = store.CBS, -1
	f := figure{lay.nlInwoners, true}
	switch G := len(lay.gemeenten); {
	case a > G:
		f = lay.inwoners[lay.wijken[a-1-G].Code]
	case a > 0:
		f = lay.inwoners[lay.gemeenten[a-1].Code]
	}
	if f.ok {
		v.Value, v.Numerator = store.NullFloat(f.v), store.NullFloat(f.v)
	}
}

// baseRealValue fills v with real figure r of area a of BaseYear when
// there is one: CBS figures for wijken and gemeenten (no data when CBS
// gives none), the national estimate for Nederland. It reports whether it
// did.
func (d *Dataset) baseRealValue(r realFigure, a int, v *store.Value) bool {
	G := len(d.src.gemeenten)
	var f figure
	v.Provenance, v.Observations = store.CBS, -1
	switch {
	case a == 0 && r == realInwoners:
		f = figure{float64(d.nlPopulation), true}
	case a == 0:
		f.v, f.ok = d.nlReal[r]
		v.Provenance = store.Demo
	case a <= G:
		f = d.gemeenteReal(r, a-1)
	default:
		var ok bool
		if f, ok = d.wijkReal(r, a-1-G); !ok {
			v.Provenance, v.Observations = store.Demo, 0
			return false
		}
	}
	if f.ok {
		v.Value = store.NullFloat(f.v)
		if r == realInwoners {
			v.Numerator = v.Value
		}
	}
	return true
}
