package demo

import "math"

// kind is how the model makes an indicator's values.
type kind int

// The kinds of indicator model.
const (
	kindCount       kind = iota // a count of inhabitants of the group
	kindShare                   // the group's share of all inhabitants
	kindGeneration              // share of the group in one generation leaf kind
	kindAge                     // share of the group in some age classes
	kindRate                    // a binomial rate per sub-population
	kindCito                    // mean test score of pupils in groep 8
	kindDeathAge                // mean age of the deceased
	kindSegregation             // dissimilarity index, totaal only
)

// realFigure names the real CBS figure an indicator's totaal takes.
type realFigure int

// The real figures.
const (
	realNone       realFigure = iota
	realInwoners              // population, wijk and gemeente
	real65plus                // pop_65plus, wijk and gemeente
	realEmployment            // employment_rate, wijk and gemeente
	realEduHigh               // edu_appl_sci, wijk and gemeente
	realCorporatie            // pct_huurcorporatie, gemeente only
)

// subPop is a sub-population of a leaf: a denominator or the population a
// numerator is drawn from.
type subPop int

// The sub-populations.
const (
	subAll        subPop = iota
	subToddlers          // 2–5 jarigen: half of 0–3 plus 2/9 of 4–12
	sub12to22            // 1/9 of 4–12, 13–17, 5/9 of 18–26
	sub13to17            // 13–17 jarigen
	sub13plus            // 13 years and older
	sub15to64            // 15–64 jarigen
	sub18to30            // 18–30 jarigen
	sub18plus            // adults
	subHouseholds        // private households
)

// size returns the sub-population of a leaf with the given age counts and
// households.
func (sp subPop) size(ages []int64, households int64) int64 {
	return subPopSize(sp, ages, households)
}

// subPopSize is subPop.size for age counts of either integer type.
func subPopSize[T int32 | int64](sp subPop, ages []T, households int64) int64 {
	a := func(class int) int64 { return int64(ages[class]) }
	switch sp {
	case subToddlers:
		return int64(math.Round(0.5*float64(a(age0to3)) + 2.0/9*float64(a(age4to12))))
	case sub12to22:
		return a(age13to14) + a(age15to17) + int64(math.Round(float64(a(age4to12))/9+float64(a(age18to26))*5/9))
	case sub13to17:
		return a(age13to14) + a(age15to17)
	case sub13plus:
		return a(age13to14) + a(age15to17) + a(age18to26) + a(age27to30) + a(age31to64) + a(age65plus)
	case sub15to64:
		return a(age15to17) + a(age18to26) + a(age27to30) + a(age31to64)
	case sub18to30:
		return a(age18to26) + a(age27to30)
	case sub18plus:
		return a(age18to26) + a(age27to30) + a(age31to64) + a(age65plus)
	case subHouseholds:
		return households
	}
	var n int64
	for _, x := range ages {
		n += int64(x)
	}
	return n
}

// score selects one of an origin's disadvantage scores.
type score int

// The disadvantage scores.
const (
	scoreEco score = iota
	scoreEdu
	scoreCrime
)

func (s score) of(o origin) float64 {
	switch s {
	case scoreEdu:
		return o.edu
	case scoreCrime:
		return o.crime
	}
	return o.eco
}

// wijkTarget says what a rate is calibrated to.
type wijkTarget int

// The calibration targets.
const (
	// targetNational calibrates one intercept so that the national totaal
	// equals rateModel.level; wijken differ by deprivation and chance.
	targetNational wijkTarget = iota
	// The others calibrate every wijk's totaal to a wijk figure derived
	// from real CBS figures.
	targetEmployment
	targetEduHigh
	targetLowIncome
	targetCorporatie
)

// rateModel is a rate indicator: in every leaf of every wijk the numerator
// is binomial from the risk population with log-odds
//
//	intercept + alpha·deprivation + wijk noise + beta·score·generation + leaf noise
//
// and the value is scale · numerator / denominator.
type rateModel struct {
	den, risk subPop
	scale     float64
	level     float64 // national totaal in published units (targetNational)
	target    wijkTarget
	alpha     float64 // log-odds per sd of wijk deprivation
	score     score
	beta      float64 // log-odds per unit of the origin's score
	second    float64 // factor on the origin effect for the second generation
	recent    float64 // extra log-odds for the first generation < 5 years
}

// gamma returns the log-odds effect of a leaf.
func (m rateModel) gamma(li leafInfo, os []origin) float64 {
	if li.kind == native {
		return 0
	}
	g := m.beta * m.score.of(os[li.origin])
	switch li.kind {
	case second:
		g *= m.second
	case recent:
		g += m.recent
	}
	return g
}

// model is how the demo makes one indicator.
type model struct {
	kind kind
	real realFigure
	gen  leafKind // kindGeneration
	ages []int    // kindAge
	rate rateModel
}

// models returns the model of every catalogue indicator, by id. MODEL.md
// documents every number.
func models() map[string]model {
	rate := func(r rateModel) model { return model{kind: kindRate, rate: r} }
	return map[string]model{
		"inwoners":                  {kind: kindCount, real: realInwoners},
		"aantal_herkomst":           {kind: kindCount},
		"pct_herkomst":              {kind: kindShare},
		"pct_eerste_generatie_kort": {kind: kindGeneration, gen: recent},
		"pct_eerste_generatie_lang": {kind: kindGeneration, gen: settled},
		"pct_leeftijd_0_3":          {kind: kindAge, ages: []int{age0to3}},
		"pct_leeftijd_4_12":         {kind: kindAge, ages: []int{age4to12}},
		"pct_leeftijd_13_17":        {kind: kindAge, ages: []int{age13to14, age15to17}},
		"pct_leeftijd_18_26":        {kind: kindAge, ages: []int{age18to26}},
		"pct_leeftijd_27_64":        {kind: kindAge, ages: []int{age27to30, age31to64}},
		"pct_leeftijd_65plus":       {kind: kindAge, ages: []int{age65plus}, real: real65plus},
		"pct_vve": rate(rateModel{den: subToddlers, risk: subToddlers, scale: 100, level: 20,
			alpha: 0.5, score: scoreEdu, beta: 0.6, second: 0.8}),
		"pct_zonder_startkwalificatie": rate(rateModel{den: sub18to30, risk: sub18to30, scale: 100, level: 9,
			alpha: 0.35, score: scoreEdu, beta: 0.7, second: 0.6, recent: 0.5}),
		"pct_hoogopgeleid_18_30": {kind: kindRate, real: realEduHigh, rate: rateModel{den: sub18to30, risk: sub18to30, scale: 100,
			target: targetEduHigh, score: scoreEdu, beta: -0.7, second: 0.5, recent: -0.2}},
		"pct_voortijdig_schoolverlaters": rate(rateModel{den: sub12to22, risk: sub12to22, scale: 100, level: 2,
			alpha: 0.4, score: scoreEdu, beta: 0.6, second: 0.7, recent: 0.6}),
		"cito_score": {kind: kindCito},
		"pct_inkomsten_arbeid": {kind: kindRate, real: realEmployment, rate: rateModel{den: sub15to64, risk: sub15to64, scale: 100,
			target: targetEmployment, score: scoreEco, beta: -0.9, second: 0.4, recent: -0.9}},
		"pct_bijstand": rate(rateModel{den: sub15to64, risk: sub15to64, scale: 100, level: 3.8,
			alpha: 0.55, score: scoreEco, beta: 1.6, second: 0.45, recent: 0.8}),
		"pct_nww": rate(rateModel{den: sub15to64, risk: sub15to64, scale: 100, level: 3.5,
			alpha: 0.35, score: scoreEco, beta: 0.8, second: 0.5, recent: 0.4}),
		"pct_laag_inkomen": rate(rateModel{den: subHouseholds, risk: subHouseholds, scale: 100,
			target: targetLowIncome, score: scoreEco, beta: 1.1, second: 0.5, recent: 0.6}),
		"betalingsachterstand_zorgpremie": rate(rateModel{den: subAll, risk: sub18plus, scale: 1000, level: 11,
			alpha: 0.6, score: scoreEco, beta: 0.9, second: 0.7}),
		"schuldsanering": rate(rateModel{den: subAll, risk: sub18plus, scale: 1000, level: 0.6,
			alpha: 0.5, score: scoreEco, beta: 0.6, second: 0.6, recent: -0.5}),
		"pct_corporatiewoningen": {kind: kindRate, real: realCorporatie, rate: rateModel{den: subHouseholds, risk: subHouseholds, scale: 100,
			target: targetCorporatie, score: scoreEco, beta: 1.0, second: 0.6, recent: 0.8}},
		"segregatie_index": {kind: kindSegregation},
		"verdachten": rate(rateModel{den: subAll, risk: sub13plus, scale: 1000, level: 12,
			alpha: 0.35, score: scoreCrime, beta: 0.9, second: 1.3, recent: -0.1}),
		"veroordeelden": rate(rateModel{den: subAll, risk: sub13plus, scale: 1000, level: 5,
			alpha: 0.35, score: scoreCrime, beta: 1.0, second: 1.3, recent: -0.1}),
		"halt": rate(rateModel{den: sub13to17, risk: sub13to17, scale: 1000, level: 12,
			alpha: 0.3, score: scoreCrime, beta: 0.7, second: 1.1}),
		"gem_leeftijd_overleden": {kind: kindDeathAge},
		"pct_basis_ggz": rate(rateModel{den: subAll, risk: subAll, scale: 100, level: 2.3,
			alpha: 0.05, score: scoreEco, beta: -0.25, second: 0.5, recent: -0.6}),
		"pct_specialistische_ggz": rate(rateModel{den: subAll, risk: subAll, scale: 100, level: 5,
			alpha: 0.25, score: scoreEco, beta: 0.1, second: 1.0}),
	}
}

// The CITO model: a pupil's expected score is citoMean, minus citoDep per sd
// of wijk deprivation, minus citoEdu per unit of the origin's education
// score (times citoSecond in the second generation, citoRecent for recent
// migrants), plus wijk and leaf noise; pupils scatter with sd citoPupilSD.
const (
	citoMean     = 535.0
	citoDep      = 2.2
	citoEdu      = 4.0
	citoSecond   = 0.6
	citoRecent   = 1.4
	citoPupilSD  = 9.0
	citoPupilAge = 1.0 / 9 // share of 4–12 jarigen in groep 8
)

// The mortality model: the share of 65+ and of younger inhabitants who die
// in a year, and the mean and sd of their age at death, with effects of
// deprivation and of the origin's economic score.
const (
	deathRate65       = 0.039
	deathRateYoung    = 0.0012
	deathAge65        = 84.8
	deathAge65SD      = 7.5
	deathAgeYoung     = 50.0
	deathAgeYoungSD   = 12.0
	deathAgeDep       = 0.8 // years per sd of deprivation
	deathAgeEco       = 1.0 // years per unit of the origin's economic score
	deathRateDepScale = 0.15
)
