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
// In log-odds, a wijk's share is its gemeente's real share plus a multiple
// of the wijk's deprivation relative to its gemeente (0.9 for
// Buiten-Europa, 0.25 for Europa) plus noise (sd 0.25), shifted per gemeente
// so that the population-weighted mean over its wijken is the gemeente's
// real share again. Europa and Buiten-Europa together are kept at most 97%.
func regionShares(s *sources, in []wijkInput, byGemeente [][]int) (eu, be []float64) {
	W := len(s.wijken)
	eu, be = make([]float64, W), make([]float64, W)
	relDep := relativeDeprivation(s, in)
	noise := make([][2]float64, W)
	for w := range W {
		r := newCellRNG(in[w].codeHash, streamRegion, 0)
		noise[w] = [2]float64{0.25 * r.norm(), 0.25 * r.norm()}
	}
	for g, ws := range byGemeente {
		e := s.extra[s.gemeenten[g].code]
		sum := e.herkomst[0] + e.herkomst[1] + e.herkomst[2]
		for i, region := range []struct {
			share, slope float64
			out          []float64
		}{
			{e.herkomst[regionEuropa] / sum, 0.25, eu},
			{e.herkomst[regionBuitenEuropa] / sum, 0.9, be},
		} {
			share := clamp(region.share, 0.001, 0.95)
			weights, offsets := make([]float64, len(ws)), make([]float64, len(ws))
			for j, w := range ws {
				weights[j] = float64(s.wijken[w].population)
				offsets[j] = logit(share) + region.slope*relDep[w] + noise[w][i]
			}
			shift := solveIntercept(weights, offsets, share*sumOf(weights), 0)
			for j, w := range ws {
				region.out[w] = sigmoid(offsets[j] + shift)
			}
		}
	}
	for w := range W {
		if t := eu[w] + be[w]; t > 0.97 {
			eu[w] *= 0.97 / t
			be[w] *= 0.97 / t
		}
	}
	return eu, be
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

// originCounts returns, for every wijk, the expected number of inhabitants
// of each origin. Within a gemeente, an origin's share of its region varies
// per wijk by a log-normal factor (sd 0.5, so groups cluster) and, for
// origins with an economic disadvantage, grows with the wijk's relative
// deprivation (0.3·eco per sd); iterative
// proportional fitting then makes the wijken's region totals match
// regionShares and the gemeente's origin totals match originShares.
func originCounts(s *sources, in []wijkInput, byGemeente [][]int, os []origin, eu, be []float64) [][]float64 {
	out := make([][]float64, len(s.wijken))
	relDep := relativeDeprivation(s, in)
	for g, ws := range byGemeente {
		shares := originShares(s.extra[s.gemeenten[g].code], os)
		region := func(w, o int) float64 {
			if os[o].europe {
				return float64(s.wijken[w].population) * eu[w]
			}
			return float64(s.wijken[w].population) * be[w]
		}
		colTarget := make([]float64, len(os))
		for _, w := range ws {
			out[w] = make([]float64, len(os))
			for o := range os {
				r := newCellRNG(in[w].codeHash, streamOrigin, uint64(o))
				out[w][o] = shares[o] * math.Exp(0.5*r.norm()+0.3*os[o].eco*relDep[w])
				colTarget[o] += shares[o] * region(w, o)
			}
		}
		for range 10 {
			fitRows(ws, os, out, region)
			for o := range os {
				sum := 0.0
				for _, w := range ws {
					sum += out[w][o]
				}
				if sum > 0 {
					for _, w := range ws {
						out[w][o] *= colTarget[o] / sum
					}
				}
			}
		}
		fitRows(ws, os, out, region)
	}
	return out
}

// fitRows scales every wijk's origin counts, per region, to the wijk's
// region total.
func fitRows(ws []int, os []origin, m [][]float64, region func(w, o int) float64) {
	for _, w := range ws {
		var sumEU, sumBE float64
		for o := range os {
			if os[o].europe {
				sumEU += m[w][o]
			} else {
				sumBE += m[w][o]
			}
		}
		for o := range os {
			sum := sumBE
			if os[o].europe {
				sum = sumEU
			}
			if sum > 0 {
				m[w][o] *= region(w, o) / sum
			}
		}
	}
}

// wantLeaves fills want with the expected count of every leaf of a wijk of
// population pop, from the expected count of each origin: native is the
// rest, and each origin's first-generation share varies by ±5 points around
// the national figure.
func wantLeaves(os []origin, originCount []float64, pop float64, codeHash uint64, want []float64) {
	want[nativeLeaf] = pop
	for i, o := range os {
		n := originCount[i]
		want[nativeLeaf] -= n
		r := newCellRNG(codeHash, streamGeneration, uint64(i))
		first := clamp(o.firstGen+0.05*r.norm(), 0.05, 0.95)
		want[leafOf(i, recent)] = n * first * o.recent
		want[leafOf(i, settled)] = n * first * (1 - o.recent)
		want[leafOf(i, second)] = n * (1 - first)
	}
	want[nativeLeaf] = max(0, want[nativeLeaf])
}
