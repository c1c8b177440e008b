package demo

import (
	"math"
)

// The age classes of the population model. They are the classes of the
// catalogue's age indicators, split where another indicator needs a
// boundary (15–64, 18–30, 13–17).
const (
	age0to3 = iota
	age4to12
	age13to14
	age15to17
	age18to26
	age27to30
	age31to64
	age65plus
	numAges
)

// population is the demo population of every wijk, split into leaves (see
// leafInfo) with integer counts, ages and households. Index wijk w, leaf l
// as w*L+l, and its age class a as (w*L+l)*numAges+a.
type population struct {
	leaves     []leafInfo
	counts     []int64
	ages       []int64
	households []int64
}

// model inputs per wijk, prepared once.
type wijkInput struct {
	gemeente int // index into sources.gemeenten
	// deprivation is the standardised wijk score (mean 0, sd 1 over all
	// inhabited wijken) of low income, low employment, low home ownership
	// and urbanity; MODEL.md explains it.
	deprivation float64
	// ageMargin is the share of each age class, from the real CBS bands.
	ageMargin [numAges]float64
	codeHash  uint64
}

// leafCounts returns the counts of wijk w, one per leaf.
func (p *population) leafCounts(w int) []int64 {
	L := len(p.leaves)
	return p.counts[w*L : (w+1)*L]
}

// leafAges returns the age counts of leaf l in wijk w.
func (p *population) leafAges(w, l int) []int64 {
	i := (w*len(p.leaves) + l) * numAges
	return p.ages[i : i+numAges]
}

// leafHouseholds returns the households of wijk w, one per leaf.
func (p *population) leafHouseholds(w int) []int64 {
	L := len(p.leaves)
	return p.households[w*L : (w+1)*L]
}

// ageMargin interpolates the CBS age bands 0–14, 15–24, 25–44, 45–64, 65+
// to the model's classes, assuming a flat age distribution within each band
// except that 15–24 year olds above the national share (12%) are taken to be
// 18–24 (students). Bands that do not add up are rescaled.
func ageMargin(bands [5]figure) ([numAges]float64, bool) {
	var b [5]float64
	sum := 0.0
	for i, f := range bands {
		if !f.ok {
			return [numAges]float64{}, false
		}
		b[i] = f.v / 100
		sum += b[i]
	}
	if sum <= 0 {
		return [numAges]float64{}, false
	}
	for i := range b {
		b[i] /= sum
	}
	var m [numAges]float64
	m[age0to3] = b[0] * 4 / 15
	m[age4to12] = b[0] * 9 / 15
	m[age13to14] = b[0] * 2 / 15
	m[age15to17] = 0.3 * math.Min(b[1], 0.12)
	m[age18to26] = b[1] - m[age15to17] + b[2]*2/20
	m[age27to30] = b[2] * 4 / 20
	m[age31to64] = b[2]*14/20 + b[3]
	m[age65plus] = b[4]
	return m, true
}

// ageProfile is the age distribution a leaf of this kind and origin has
// before it is fitted to the wijk: recent migrants are young adults, the
// settled first generation is of working age, the second generation young.
func ageProfile(k leafKind, old float64) [numAges]float64 {
	var p [numAges]float64
	switch k {
	case native:
		p = [numAges]float64{0.040, 0.090, 0.021, 0.033, 0.100, 0.045, 0.431, 0.240}
	case recent:
		p = [numAges]float64{0.040, 0.100, 0.025, 0.035, 0.250, 0.160, 0.370, 0.020}
	case settled:
		p = [numAges]float64{0.005, 0.035, 0.012, 0.022, 0.090, 0.080, 0.600, 0.156}
	case second:
		p = [numAges]float64{0.110, 0.210, 0.045, 0.060, 0.170, 0.070, 0.290, 0.045}
	}
	if k != native {
		p[age65plus] *= old
	}
	sum := 0.0
	for _, v := range p {
		sum += v
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// fitAges splits every leaf of one wijk into age classes: the leaves' age
// profiles are fitted to the wijk's real age margin by iterative
// proportional fitting, then every leaf is rounded to its count with the
// largest-remainder method, so leaf ages add up to leaf counts exactly.
func fitAges(counts []int64, profiles [][numAges]float64, margin [numAges]float64, ages []int64) {
	L := len(counts)
	m := make([]float64, L*numAges)
	var total int64
	for l, c := range counts {
		total += c
		for a := range numAges {
			m[l*numAges+a] = float64(c) * profiles[l][a]
		}
	}
	for range 8 {
		for a := range numAges {
			col := 0.0
			for l := range L {
				col += m[l*numAges+a]
			}
			if col > 0 {
				f := margin[a] * float64(total) / col
				for l := range L {
					m[l*numAges+a] *= f
				}
			}
		}
		for l, c := range counts {
			row := 0.0
			for a := range numAges {
				row += m[l*numAges+a]
			}
			if row > 0 {
				f := float64(c) / row
				for a := range numAges {
					m[l*numAges+a] *= f
				}
			}
		}
	}
	var order [numAges]int
	for l, c := range counts {
		if c == 0 {
			clear(ages[l*numAges : (l+1)*numAges])
			continue
		}
		want := m[l*numAges : (l+1)*numAges]
		if sumOf(want) <= 0 {
			copy(want, profiles[l][:])
		}
		largestRemainder(want, c, ages[l*numAges:(l+1)*numAges], order[:])
	}
}

func sumOf(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// households splits the wijk's households over its leaves in proportion to
// their adults (18+). The wijk total is the real number of dwellings, kept
// between 0.3 and 1 household per adult; without dwellings it is one
// household per 1.8 adults.
func splitHouseholds(ages []int64, dwellings figure, out []int64) {
	L := len(out)
	adults := make([]float64, L)
	total := 0.0
	for l := range L {
		a := ages[l*numAges : (l+1)*numAges]
		adults[l] = float64(a[age18to26] + a[age27to30] + a[age31to64] + a[age65plus])
		total += adults[l]
	}
	if total == 0 {
		clear(out)
		return
	}
	ratio := 1 / 1.8
	if dwellings.ok && dwellings.v > 0 {
		ratio = clamp(dwellings.v/total, 0.3, 1)
	}
	order := make([]int, L)
	largestRemainder(adults, int64(math.Round(total*ratio)), out, order)
}
