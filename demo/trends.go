package demo

import (
	"math"
)

// trend is how an indicator's model moves from year to year, per year
// away from BaseYear: in log-odds for rates, in points for CITO, in years
// for the age at death. MODEL.md ("Years") documents every number.
type trend struct {
	// level moves every leaf of every wijk.
	level float64
	// gap moves a leaf by this fraction of its group effect γ (see
	// rateModel.gamma), times gapKind of its generation: negative narrows
	// the gap to geen migratieachtergrond.
	gap float64
	// wijk is the sd of a drift drawn per (wijk, indicator, region of
	// origin), so some wijken improve and others worsen.
	wijk float64
}

// trends returns the trend of every indicator whose model has one; the
// others change only with the population.
func trends() map[string]trend {
	return map[string]trend{
		"pct_vve":                         {level: 0.03, gap: -0.02, wijk: 0.05},
		"pct_zonder_startkwalificatie":    {level: -0.03, gap: -0.02, wijk: 0.05},
		"pct_hoogopgeleid_18_30":          {level: 0.04, gap: -0.02, wijk: 0.04},
		"pct_voortijdig_schoolverlaters":  {level: -0.04, gap: -0.03, wijk: 0.05},
		"pct_inkomsten_arbeid":            {level: 0.04, gap: -0.03, wijk: 0.04},
		"pct_bijstand":                    {level: -0.04, gap: -0.02, wijk: 0.05},
		"pct_nww":                         {level: -0.06, gap: 0, wijk: 0.05},
		"pct_laag_inkomen":                {level: -0.03, gap: -0.015, wijk: 0.05},
		"betalingsachterstand_zorgpremie": {level: -0.05, gap: 0.01, wijk: 0.05},
		"schuldsanering":                  {level: -0.04, gap: 0, wijk: 0.05},
		"pct_corporatiewoningen":          {level: -0.01, gap: 0, wijk: 0.03},
		"verdachten":                      {level: -0.03, gap: -0.02, wijk: 0.05},
		"veroordeelden":                   {level: -0.035, gap: -0.02, wijk: 0.05},
		"halt":                            {level: -0.03, gap: -0.015, wijk: 0.05},
		"pct_basis_ggz":                   {level: 0.02, gap: 0, wijk: 0.04},
		"pct_specialistische_ggz":         {level: 0.03, gap: 0.02, wijk: 0.04},
		"cito_score":                      {level: -0.3, gap: -0.05, wijk: 0.4},
		"gem_leeftijd_overleden":          {level: 0.15, wijk: 0.1},
	}
}

// gapKind is how much a generation's group effect follows the trend's gap:
// the second generation most, recent migrants not at all, so the gap
// narrows for some groups and stays for others.
func gapKind(k leafKind) float64 {
	switch k {
	case second:
		return 1.5
	case settled:
		return 1
	}
	return 0
}

// family is the region of origin of a leaf for the wijk drifts: 0 geen
// migratieachtergrond, 1 Europa, 2 Buiten-Europa.
func family(li leafInfo, os []origin) int {
	switch {
	case li.kind == native:
		return 0
	case os[li.origin].europe:
		return 1
	}
	return 2
}

// wijkDrifts returns the drift per year of wijk w for each family: the
// trend's level plus a seeded wijk term, from the stream of (wijk,
// indicator trend). It is zero in BaseYear.
func (pi *preparedIndicator) wijkDrifts(codeHash uint64) [3]float64 {
	r := newCellRNG(codeHash, pi.trendHash, 0)
	var out [3]float64
	for f := range out {
		out[f] = pi.trend.level + pi.trend.wijk*r.norm()
	}
	return out
}

// leafDrift returns the drift of leaf l after dt years: the wijk's drift
// of its family plus the gap term.
func (pi *preparedIndicator) leafDrift(dt float64, drifts [3]float64, li leafInfo, os []origin, l int) float64 {
	x := drifts[family(li, os)]
	if pi.gamma != nil { // models without group effects have no gap
		x += pi.trend.gap * gapKind(li.kind) * pi.gamma[l]
	}
	return dt * x
}

// originGrowth returns the population growth per year, in log, of each
// origin (catalogue group id) around BaseYear: labour migrants from
// Central and Eastern Europe and refugees grow fastest, the old
// post-colonial groups slowest, Indonesië shrinks as it ages. Round
// figures in the direction of CBS's population by origin 2019–2024.
func originGrowth() map[string]float64 {
	return map[string]float64{
		"bulgarije": 0.06, "polen": 0.05, "roemenie": 0.06, "oekraine": 0.02, "overig_europa": 0.015,
		"turkije": 0.01, "marokko": 0.012, "suriname": 0.004, "indonesie": -0.012, "nederlandse_cariben": 0.02,
		"iran": 0.03, "irak": 0.03, "somalie": 0.03, "eritrea": 0.06, "syrie": 0.05, "afghanistan": 0.04,
		"overig_amerika_oceanie": 0.035, "overig_afrika": 0.04, "overig_azie": 0.04,
	}
}

// The population trend: geen migratieachtergrond shrinks slowly; the
// second generation grows by births, the settled first generation loses
// to emigration and death; wijken grow or shrink by a seeded trend per
// wijk and per (wijk, region of origin).
const (
	nativeGrowth       = -0.002
	secondGrowth       = 0.01
	settledGrowth      = -0.005
	wijkGrowthSD       = 0.01
	wijkFamilyGrowthSD = 0.015
)

// ukraineJump returns the factor on Oekraïne's recent first generation in
// year relative to 1 January 2022: the arrivals after February 2022 (about
// 90,000 in 2022, some more in 2023).
func ukraineJump(year int) float64 {
	switch {
	case year == 2023:
		return 5.5
	case year >= 2024:
		return 6.5
	}
	return 1
}

// leafGrowth returns the national factor of a leaf's count in year
// relative to BaseYear.
func leafGrowth(li leafInfo, os []origin, growth map[string]float64, year int) float64 {
	dt := float64(year - BaseYear)
	if li.kind == native {
		return math.Exp(nativeGrowth * dt)
	}
	o := os[li.origin]
	r := growth[o.group]
	switch li.kind {
	case second:
		r += secondGrowth
	case settled:
		r += settledGrowth
	}
	f := math.Exp(r * dt)
	if li.kind == recent && o.group == "oekraine" {
		f *= ukraineJump(year)
	}
	return f
}

// ageTrend is the change per year, in log, of each age class's weight
// within a leaf: the population ages (fewer young children, more 65+).
func ageTrend() [numAges]float64 {
	return [numAges]float64{age0to3: -0.01, age4to12: -0.008, age65plus: 0.02}
}

// yearPopulation returns the model population of value year year on the
// wijken of BaseYear: every leaf count of BaseYear times its national
// growth and a seeded wijk trend, rounded up or down by a uniform number
// that is the same every year (so a count moves smoothly); its ages
// re-dealt in proportion to the leaf's ages of BaseYear shifted by
// ageTrend; its households in proportion to the count.
func (d *Dataset) yearPopulation(year int) *population {
	if year == BaseYear {
		return d.pop
	}
	p := d.pop
	L, W := len(p.leaves), len(d.src.wijken)
	out := &population{leaves: p.leaves, counts: make([]int64, W*L), ages: make([]int64, W*L*numAges), households: make([]int64, W*L)}
	dt := float64(year - BaseYear)
	growth, og := make([]float64, L), originGrowth()
	for l, li := range p.leaves {
		growth[l] = leafGrowth(li, d.origins, og, year)
	}
	var ageW [numAges]float64
	for a, t := range ageTrend() {
		ageW[a] = math.Exp(t * dt)
	}
	topic := hashString("population/trend")
	var want [numAges]float64
	var order [numAges]int
	for w := range W {
		code := d.in[w].codeHash
		r := newCellRNG(code, topic, math.MaxUint64)
		wijk := wijkGrowthSD * r.norm()
		var fam [3]float64
		for f := range fam {
			fam[f] = math.Exp(dt * (wijk + wijkFamilyGrowthSD*r.norm()))
		}
		for l, c := range p.leafCounts(w) {
			if c == 0 {
				continue
			}
			x := float64(c) * growth[l] * fam[family(p.leaves[l], d.origins)]
			u := newCellRNG(code, topic, uint64(l))
			n := int64(math.Floor(x))
			if u.float64() < x-float64(n) {
				n++
			}
			out.counts[w*L+l] = n
			for a, v := range p.leafAges(w, l) {
				want[a] = float64(v) * ageW[a]
			}
			largestRemainder(want[:], n, out.leafAges(w, l), order[:])
			out.households[w*L+l] = int64(math.Round(float64(p.households[w*L+l]) * float64(n) / float64(c)))
		}
	}
	return out
}
