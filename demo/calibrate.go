package demo

import (
	"math"
)

// deprivation returns every wijk's deprivation score: the sum of the
// z-scores of % low income, minus employment, minus home ownership and half
// of urbanity, damped in student wijken (see studentDamping) and
// standardised again to mean 0 and sd 1 over the inhabited wijken. A wijk
// without a figure takes its gemeente's.
func deprivation(s *sources, gemOf []int) []float64 {
	W := len(s.wijken)
	cols := make([][]float64, 4)
	for c := range cols {
		cols[c] = make([]float64, W)
	}
	for w, k := range s.wijken {
		g := s.gemeenten[gemOf[w]]
		cols[0][w] = k.incomeLow.or(g.incomeLow).v
		cols[1][w] = -k.employment.or(g.employment).v
		cols[2][w] = -k.ownership.or(g.ownership).v
		cols[3][w] = 0.5 * k.urbanity.or(g.urbanity).v
	}
	inhabited := func(w int) bool { return s.wijken[w].population > 0 }
	raw := make([]float64, W)
	for _, col := range cols {
		standardise(col, inhabited)
		for w := range W {
			raw[w] += col[w]
		}
	}
	for w, k := range s.wijken {
		if raw[w] > 0 {
			raw[w] *= studentDamping(k)
		}
	}
	standardise(raw, inhabited)
	return raw
}

// studentDamping is 1 for most wijken and falls to 0 as the share of 15–24
// jarigen rises from 15% to 55%: a student wijk has low incomes, low
// employment and few owner-occupied homes without being deprived in the
// sense the indicators measure (students receive no bijstand, and student
// households are left out of low-income statistics).
func studentDamping(k kwb) float64 {
	b := k.ageBands[1]
	if !b.ok {
		return 1
	}
	return clamp(1-2.5*(b.v/100-0.15), 0, 1)
}

// standardise rescales xs to mean 0 and sd 1 over the elements keep keeps;
// the others become 0.
func standardise(xs []float64, keep func(int) bool) {
	var n, sum, sq float64
	for i, x := range xs {
		if keep(i) {
			n++
			sum += x
			sq += x * x
		}
	}
	mean := sum / n
	sd := math.Sqrt(sq/n - mean*mean)
	for i := range xs {
		switch {
		case !keep(i) || sd == 0:
			xs[i] = 0
		default:
			xs[i] = (xs[i] - mean) / sd
		}
	}
}

// solveIntercept returns c with sum(risk[i]·sigmoid(c+offset[i])) = target,
// by Newton's method from a start value. The sum increases with c; a target
// outside (0, sum(risk)) is clamped just inside.
func solveIntercept(risk, offset []float64, target, start float64) float64 {
	total := sumOf(risk)
	if total <= 0 {
		return start
	}
	target = clamp(target, 1e-6*total, (1-1e-6)*total)
	c := start
	for range 30 {
		var f, df float64
		for i, r := range risk {
			if r == 0 {
				continue
			}
			p := sigmoid(c + offset[i])
			f += r * p
			df += r * p * (1 - p)
		}
		if df <= 0 {
			break
		}
		step := clamp((target-f)/df, -2, 2)
		c += step
		if math.Abs(step) < 1e-7 {
			break
		}
	}
	return c
}

// wijkRateTargets returns, for a rate calibrated to wijk figures, every
// wijk's target totaal as a fraction of the denominator.
func (d *Dataset) wijkRateTargets(t wijkTarget, denom []float64) []float64 {
	s := d.src
	out := make([]float64, len(s.wijken))
	switch t {
	case targetEmployment, targetEduHigh:
		for w, k := range s.wijken {
			g := s.gemeenten[d.in[w].gemeente]
			f := k.employment.or(g.employment)
			if t == targetEduHigh {
				f = k.eduHigh.or(g.eduHigh)
			}
			out[w] = clamp(f.v/100, 0.01, 0.99)
		}
	case targetLowIncome, targetCorporatie:
		d.spreadGemeenteFigure(t, denom, out)
	}
	return out
}

// spreadGemeenteFigure spreads a real gemeente percentage over its wijken:
// in log-odds, a wijk differs from its gemeente by a multiple of how much
// its own related KWB figure differs (income_low for low income, the rented
// share of dwellings for corporation housing), shifted per gemeente so that
// the denominator-weighted mean over its wijken is the gemeente figure.
func (d *Dataset) spreadGemeenteFigure(t wijkTarget, denom, out []float64) {
	s := d.src
	for g, ws := range d.byGemeente {
		gem := s.gemeenten[g]
		e := s.extra[gem.code]
		var level, slope float64
		related := func(k kwb) float64 {
			if t == targetLowIncome {
				g := gem.incomeLow.v
				return clamp((g+studentDamping(k)*(k.incomeLow.or(gem.incomeLow).v-g))/100, 0.02, 0.98)
			}
			return clamp(1-k.ownership.or(gem.ownership).v/100, 0.02, 0.98)
		}
		if t == targetLowIncome {
			level, slope = clamp(e.rondSociaalMin.or(figure{6, true}).v/100, 0.005, 0.5), 1.5
		} else {
			level, slope = clamp(e.corporatie.or(figure{28, true}).v/100, 0.005, 0.9), 1.2
		}
		weights, offsets := make([]float64, len(ws)), make([]float64, len(ws))
		for i, w := range ws {
			weights[i] = denom[w]
			offsets[i] = logit(level) + slope*(logit(related(s.wijken[w]))-logit(related(gem)))
		}
		shift := solveIntercept(weights, offsets, level*sumOf(weights), 0)
		for i, w := range ws {
			out[w] = sigmoid(offsets[i] + shift)
		}
	}
}
