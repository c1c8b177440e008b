package demo

import (
	"math"
)

// Region indexes of gemeenteExtra.herkomst.
const (
	regionNL = iota
	regionEuropa
	regionBuitenEuropa
)

// Streams of cellRNG used by the population model; indicators use the hash
// of their id.
const (
	streamRegion uint64 = 1 + iota
	streamOrigin
	streamGeneration
)

// originShares returns, for one gemeente, the share of each origin within
// its region (Europa or Buiten-Europa). Turkije, Marokko, Suriname and the
// Nederlandse Cariben come from the gemeente's real 2022 percentages (a
// rounded 0 is taken as 0.2%); they may fill at most 75% of Buiten-Europa.
// The rest of each region is split by the national proportions in origins.
func originShares(e gemeenteExtra, os []origin) []float64 {
	out := make([]float64, len(os))
	be := e.herkomst[regionBuitenEuropa] / 100
	fixed := 0.0
	for i, o := range os {
		if o.real == noRealShare {
			continue
		}
		f := e.realShare(o.real)
		pct := 0.2
		if f.ok && f.v > 0 {
			pct = f.v
		}
		if be > 0 {
			out[i] = pct / 100 / be
		}
		fixed += out[i]
	}
	if fixed > 0.75 {
		for i, o := range os {
			if o.real != noRealShare {
				out[i] *= 0.75 / fixed
			}
		}
		fixed = 0.75
	}
	var restEU, restBE float64
	for _, o := range os {
		if o.real != noRealShare {
			continue
		}
		if o.europe {
			restEU += o.share
		} else {
			restBE += o.share
		}
	}
	for i, o := range os {
		switch {
		case o.real != noRealShare:
		case o.europe:
			out[i] = o.share / restEU
		default:
			out[i] = (1 - fixed) * o.share / restBE
		}
	}
	return out
}

func (e gemeenteExtra) realShare(r realShare) figure {
	switch r {
	case realTurkije:
		return e.turkije
	case realMarokko:
		return e.marokko
	case realSuriname:
		return e.suriname
	case realAntillen:
		return e.antillen
	}
	return figure{}
}

// regionShares returns the Europa and Buiten-Europa share of every wijk.
// A wijk's share is its gemeente's real share times a factor that grows with
// the wijk's deprivation relative to its gemeente (strongly for
// Buiten-Europa, mildly for Europa) and a random factor; the factors are
// then scaled per gemeente so that the population-weighted mean over its
// wijken equals the gemeente's real share again. A wijk's share is capped at
// 85% (Buiten-Europa) and 60% (Europa).
func regionShares(s *sources, in []wijkInput) (eu, be []float64) {
	W := len(s.wijken)
	eu, be = make([]float64, W), make([]float64, W)
	relDep := relativeDeprivation(s, in)
	fBE, fEU := make([]float64, W), make([]float64, W)
	for w := range s.wijken {
		r := newCellRNG(in[w].codeHash, streamRegion, 0)
		fBE[w] = math.Exp(1.0*relDep[w] + 0.35*r.norm())
		fEU[w] = math.Exp(0.35*relDep[w] + 0.35*r.norm())
	}
	byGemeente := wijkenByGemeente(s, in)
	for g, ws := range byGemeente {
		e := s.extra[s.gemeenten[g].code]
		sum := e.herkomst[0] + e.herkomst[1] + e.herkomst[2]
		calibrateShares(ws, s.wijken, fBE, e.herkomst[regionBuitenEuropa]/sum, 0.85, be)
		calibrateShares(ws, s.wijken, fEU, e.herkomst[regionEuropa]/sum, 0.60, eu)
	}
	for w := range W {
		if t := eu[w] + be[w]; t > 0.97 {
			eu[w] *= 0.97 / t
			be[w] *= 0.97 / t
		}
	}
	return eu, be
}

// calibrateShares sets out[w] = min(cap, target*k*factor[w]) for the wijken
// ws of one gemeente, with k chosen so that their population-weighted mean
// is target.
func calibrateShares(ws []int, wijken []kwb, factor []float64, target, cap float64, out []float64) {
	var pop, weighted float64
	for _, w := range ws {
		pop += float64(wijken[w].population)
		weighted += float64(wijken[w].population) * factor[w]
	}
	if pop == 0 || weighted == 0 {
		for _, w := range ws {
			out[w] = target
		}
		return
	}
	k := pop / weighted
	for range 6 {
		got := 0.0
		for _, w := range ws {
			out[w] = math.Min(cap, target*k*factor[w])
			got += float64(wijken[w].population) * out[w]
		}
		if got <= 0 || math.Abs(got/pop-target) < 1e-9 {
			return
		}
		k *= target * pop / got
	}
}

// relativeDeprivation is a wijk's deprivation minus the population-weighted
// mean deprivation of its gemeente.
func relativeDeprivation(s *sources, in []wijkInput) []float64 {
	G := len(s.gemeenten)
	sum, pop := make([]float64, G), make([]float64, G)
	for w, k := range s.wijken {
		g := in[w].gemeente
		sum[g] += float64(k.population) * in[w].deprivation
		pop[g] += float64(k.population)
	}
	out := make([]float64, len(s.wijken))
	for w := range s.wijken {
		g := in[w].gemeente
		if pop[g] > 0 {
			out[w] = in[w].deprivation - sum[g]/pop[g]
		}
	}
	return out
}

func wijkenByGemeente(s *sources, in []wijkInput) [][]int {
	out := make([][]int, len(s.gemeenten))
	for w := range s.wijken {
		g := in[w].gemeente
		out[g] = append(out[g], w)
	}
	return out
}

// wantLeaves fills want with the expected count of every leaf of a wijk of
// population pop: native is what Europa and Buiten-Europa leave; each
// origin's share of its region varies per wijk by a log-normal factor (sd
// 0.6, so groups cluster), and its first-generation share by ±5 points
// around the national figure.
func wantLeaves(os []origin, shares []float64, pop, eu, be float64, codeHash uint64, want []float64) {
	want[nativeLeaf] = pop * (1 - eu - be)
	var sumEU, sumBE float64
	f := make([]float64, len(os))
	for i := range os {
		r := newCellRNG(codeHash, streamOrigin, uint64(i))
		f[i] = shares[i] * math.Exp(0.6*r.norm())
		if os[i].europe {
			sumEU += f[i]
		} else {
			sumBE += f[i]
		}
	}
	for i, o := range os {
		region := be * f[i] / sumBE
		if o.europe {
			region = eu * f[i] / sumEU
		}
		n := pop * region
		r := newCellRNG(codeHash, streamGeneration, uint64(i))
		first := clamp(o.firstGen+0.05*r.norm(), 0.05, 0.95)
		want[leafOf(i, recent)] = n * first * o.recent
		want[leafOf(i, settled)] = n * first * (1 - o.recent)
		want[leafOf(i, second)] = n * (1 - first)
	}
}
