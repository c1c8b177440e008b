package demo

import (
	"errors"
	"fmt"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// planIndicators pairs every catalogue indicator with its model and every
// group with its leaves. It needs no data, so that a catalogue the model
// does not fit fails before anything is read.
func planIndicators(cat *catalog.Catalog, os []origin) ([]preparedIndicator, error) {
	ms, ts := models(), trends()
	out := make([]preparedIndicator, 0, len(cat.Indicators))
	var errs []error
	for _, ind := range cat.Indicators {
		m, ok := ms[ind.ID]
		if !ok {
			errs = append(errs, fmt.Errorf("indicator %q has no demo model", ind.ID))
			continue
		}
		if want := m.unit(); ind.Unit != want {
			errs = append(errs, fmt.Errorf("indicator %q has unit %s in the catalogue, but the demo model makes %s", ind.ID, ind.Unit, want))
		}
		if m.kind == kindSegregation && ind.SplitByGroup {
			errs = append(errs, fmt.Errorf("indicator %q describes an area as a whole and cannot be split by group", ind.ID))
		}
		pi := preparedIndicator{id: ind.ID, model: m, hash: hashString(ind.ID), trend: ts[ind.ID], trendHash: hashString(ind.ID + "/trend")}
		for _, g := range cat.GroupsOf(ind) {
			leaves, err := groupLeaves(g.ID, os)
			if err != nil {
				errs = append(errs, fmt.Errorf("indicator %q: %w", ind.ID, err))
				continue
			}
			pi.groups = append(pi.groups, g.ID)
			pi.leaves = append(pi.leaves, leaves)
		}
		out = append(out, pi)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// calibrate calibrates the rate and CITO models on the demo population.
func (d *Dataset) calibrate() {
	for i := range d.indicators {
		switch pi := &d.indicators[i]; pi.model.kind {
		case kindRate:
			d.calibrateRate(pi)
		case kindCito:
			d.calibrateCito(pi)
		}
	}
}

// unit is the catalogue unit of the values a model makes.
func (m model) unit() catalog.Unit {
	switch m.kind {
	case kindCount:
		return catalog.UnitCount
	case kindCito:
		return catalog.UnitScore
	case kindDeathAge:
		return catalog.UnitYears
	case kindSegregation:
		return catalog.UnitIndex
	case kindRate:
		if m.rate.scale == 1000 {
			return catalog.UnitPer1000
		}
	}
	return catalog.UnitPercentage
}

// calibrateRate sets a rate's leaf effects and its intercept: one national
// intercept so that the expected national totaal is the model's level, or
// one per wijk so that the expected wijk totaal is the wijk's target.
// Chance terms are left out of the calibration.
func (d *Dataset) calibrateRate(pi *preparedIndicator) {
	m, p := pi.model.rate, d.pop
	L := len(p.leaves)
	pi.gamma = make([]float64, L)
	for l, li := range p.leaves {
		pi.gamma[l] = m.gamma(li, d.origins)
	}
	W := len(d.src.wijken)
	risk, den := make([]float64, W*L), make([]float64, W*L)
	denW := make([]float64, W)
	for w := range W {
		hh := p.leafHouseholds(w)
		for l := range L {
			ages := p.leafAges(w, l)
			risk[w*L+l] = float64(m.risk.size(ages, hh[l]))
			den[w*L+l] = float64(m.den.size(ages, hh[l]))
			denW[w] += den[w*L+l]
		}
	}
	if m.target == targetNational {
		offset := make([]float64, W*L)
		for w := range W {
			for l := range L {
				offset[w*L+l] = m.alpha*d.in[w].deprivation + pi.gamma[l]
			}
		}
		target := m.level / m.scale * sumOf(den)
		pi.intercept = solveIntercept(risk, offset, target, logit(clamp(target/sumOf(risk), 1e-6, 0.99)))
		return
	}
	targets := d.wijkRateTargets(m.target, denW)
	pi.wijkIntercept = make([]float64, W)
	for w := range W {
		t := targets[w]
		pi.wijkIntercept[w] = solveIntercept(risk[w*L:(w+1)*L], pi.gamma, t*denW[w], logit(t))
	}
}

// calibrateCito sets the leaf effects of the CITO model and the intercept
// that makes the expected national mean score citoMean.
func (d *Dataset) calibrateCito(pi *preparedIndicator) {
	p := d.pop
	L := len(p.leaves)
	pi.gamma = make([]float64, L)
	for l, li := range p.leaves {
		if li.kind == native {
			continue
		}
		g := -citoEdu * d.origins[li.origin].edu
		switch li.kind {
		case second:
			g *= citoSecond
		case recent:
			g *= citoRecent
		}
		pi.gamma[l] = g
	}
	var pupils, effect float64
	for w := range d.src.wijken {
		for l := range L {
			n := float64(p.leafAges(w, l)[age4to12]) * citoPupilAge
			pupils += n
			effect += n * (pi.gamma[l] - citoDep*d.in[w].deprivation)
		}
	}
	pi.intercept = citoMean
	if pupils > 0 {
		pi.intercept -= effect / pupils
	}
}
