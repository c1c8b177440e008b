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

// Values yields every value of the dataset: for every indicator of the
// catalogue given to Load, in catalogue order, for every group of
// cat.GroupsOf(indicator), in catalogue order, the value of Nederland
// (level catalog.Nederland, code catalog.NederlandCode), then of every
// gemeente and every wijk by code, all of year Year. The same dataset always
// yields the same values in the same order; values are computed as they are
// yielded, so iterating twice computes them twice.
func (d *Dataset) Values() iter.Seq[store.Value] {
	return func(yield func(store.Value) bool) {
		L := len(d.pop.leaves)
		t := &table{nAreas: 1 + len(d.src.gemeenten) + len(d.src.wijken)}
		maxGroups := 0
		for _, pi := range d.indicators {
			maxGroups = max(maxGroups, len(pi.groups))
		}
		t.num, t.den = make([]int64, maxGroups*t.nAreas), make([]int64, maxGroups*t.nAreas)
		num, den := make([]int64, L), make([]int64, L)
		for i := range d.indicators {
			pi := &d.indicators[i]
			d.fill(pi, t, num, den)
			if !d.emit(pi, t, yield) {
				return
			}
		}
	}
}

// fill computes the indicator's leaves in every wijk and sums them into
// groups, wijken, gemeenten and Nederland.
func (d *Dataset) fill(pi *preparedIndicator, t *table, num, den []int64) {
	clear(t.num)
	clear(t.den)
	G := len(d.src.gemeenten)
	for w, k := range d.src.wijken {
		if k.population == 0 {
			continue
		}
		d.leafValues(pi, w, num, den)
		areas := [3]int{0, 1 + d.in[w].gemeente, 1 + G + w}
		for gi, leaves := range pi.leaves {
			var n, dd int64
			for _, l := range leaves {
				n += num[l]
				dd += den[l]
			}
			if pi.model.kind == kindShare {
				dd = int64(k.population)
			}
			for _, a := range areas {
				t.num[gi*t.nAreas+a] += n
				t.den[gi*t.nAreas+a] += dd
			}
		}
	}
}

// leafValues sets the numerator and denominator of every leaf of wijk w.
func (d *Dataset) leafValues(pi *preparedIndicator, w int, num, den []int64) {
	p := d.pop
	counts := p.leafCounts(w)
	m := pi.model
	switch m.kind {
	case kindRate:
		d.sampleRate(pi, w, num, den)
		return
	case kindCito:
		d.sampleCito(pi, w, num, den)
		return
	case kindDeathAge:
		d.sampleDeaths(pi, w, num, den)
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
func (d *Dataset) sampleRate(pi *preparedIndicator, w int, num, den []int64) {
	m, p, in := pi.model.rate, d.pop, d.in[w]
	base := pi.intercept + m.alpha*in.deprivation
	if pi.wijkIntercept != nil {
		base = pi.wijkIntercept[w]
	} else {
		r := newCellRNG(in.codeHash, pi.hash, math.MaxUint64)
		base += 0.25 * r.norm()
	}
	hh := p.leafHouseholds(w)
	for l := range p.leaves {
		ages := p.leafAges(w, l)
		den[l] = m.den.size(ages, hh[l])
		risk := m.risk.size(ages, hh[l])
		num[l] = 0
		if risk == 0 {
			continue
		}
		r := newCellRNG(in.codeHash, pi.hash, uint64(l))
		num[l] = r.binomial(risk, sigmoid(base+pi.gamma[l]+0.2*r.norm()))
	}
}

// sampleCito draws every leaf's pupils in groep 8 and the sum of their
// scores (the numerator; the value is the mean).
func (d *Dataset) sampleCito(pi *preparedIndicator, w int, num, den []int64) {
	p, in := d.pop, d.in[w]
	wijkNoise := newCellRNG(in.codeHash, pi.hash, math.MaxUint64)
	base := pi.intercept - citoDep*in.deprivation + 1.0*wijkNoise.norm()
	for l := range p.leaves {
		r := newCellRNG(in.codeHash, pi.hash, uint64(l))
		n := r.binomial(p.leafAges(w, l)[age4to12], citoPupilAge)
		den[l], num[l] = n, 0
		if n == 0 {
			continue
		}
		mean := clamp(base+pi.gamma[l]+0.7*r.norm(), 505, 548)
		sum := float64(n)*mean + citoPupilSD*math.Sqrt(float64(n))*r.norm()
		num[l] = int64(math.Round(clamp(sum, 501*float64(n), 550*float64(n))))
	}
}

// sampleDeaths draws every leaf's deaths, of 65+ and of younger
// inhabitants, and the sum of their ages at death.
func (d *Dataset) sampleDeaths(pi *preparedIndicator, w int, num, den []int64) {
	p, in := d.pop, d.in[w]
	risk := math.Exp(deathRateDepScale * in.deprivation)
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
		sum := float64(old)*mean65 + deathAge65SD*math.Sqrt(float64(old))*r.norm()
		sum += float64(young)*deathAgeYoung + deathAgeYoungSD*math.Sqrt(float64(young))*r.norm()
		lo, hi := 65*float64(old), 105*float64(old)+64*float64(young)
		num[l] = int64(math.Round(clamp(sum, lo, hi)))
	}
}

// emit yields the values of one indicator.
func (d *Dataset) emit(pi *preparedIndicator, t *table, yield func(store.Value) bool) bool {
	var seg []float64
	if pi.model.kind == kindSegregation {
		seg = d.segregation(t)
	}
	for gi, group := range pi.groups {
		totaal := group == catalog.TotaalGroup
		for a := range t.nAreas {
			v := d.areaValue(a)
			v.Indicator, v.Group = pi.id, group
			switch {
			case totaal && pi.model.real != realNone && d.realValue(pi.model.real, a, &v):
			case d.uninhabited(a):
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

// areaValue returns a value of area a with its level, year and code and
// provenance Demo.
func (d *Dataset) areaValue(a int) store.Value {
	v := store.Value{Year: Year, Provenance: store.Demo}
	switch G := len(d.src.gemeenten); {
	case a == 0:
		v.Level, v.Code = catalog.Nederland, catalog.NederlandCode
	case a <= G:
		v.Level, v.Code = catalog.Gemeente, d.src.gemeenteAreas[a-1].Code
	default:
		v.Level, v.Code = catalog.Wijk, d.src.wijkAreas[a-1-G].Code
	}
	return v
}

// uninhabited reports whether area a is a wijk without inhabitants.
func (d *Dataset) uninhabited(a int) bool {
	G := len(d.src.gemeenten)
	return a > G && d.src.wijken[a-1-G].population == 0
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

// realValue fills v with real figure r of area a when there is one: CBS
// figures for wijken and gemeenten (no data when CBS gives none), the
// national estimate for Nederland. It reports whether it did.
func (d *Dataset) realValue(r realFigure, a int, v *store.Value) bool {
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
