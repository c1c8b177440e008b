package demo

import "math"

// segregation returns the segregation index of every area from a table
// whose numerators are inhabitants of Buiten-Europa herkomst and whose
// denominators are all inhabitants (group totaal).
//
// For a gemeente, and for Nederland over all its wijken, it is the index of
// dissimilarity between inhabitants of Buiten-Europa herkomst and all
// others, in percent:
//
//	D = 50 · Σ_w |b_w/B − o_w/O| = Σ_w (n_w/N) · 100·|s_w − S| / (2·S·(1−S))
//
// with b, o and n the Buiten-Europa, other and all inhabitants of wijk w,
// s_w = b_w/n_w and capitals for the gemeente. The second form shows D as
// the population-weighted mean of a wijk term; a wijk's own index is that
// term with its gemeente's S, capped at 100 — the wijk's contribution to its
// gemeente's segregation. It is a demo approximation: there is no
// established wijk-level dissimilarity index.
func segregation(lay *layout, t *table) []float64 {
	G := len(lay.gemeenten)
	out := make([]float64, t.nAreas)
	share := func(a int) float64 {
		if t.den[a] == 0 {
			return 0
		}
		return float64(t.num[a]) / float64(t.den[a])
	}
	for w := range lay.wijken {
		a := 1 + G + w
		n := float64(t.den[a])
		if n == 0 {
			continue
		}
		g := 1 + lay.wijkGemeente[w]
		out[a] = math.Min(100, dissimilarityTerm(share(a), share(g)))
		for _, agg := range [2]int{0, g} {
			out[agg] += n / float64(t.den[agg]) * dissimilarityTerm(share(a), share(agg))
		}
	}
	return out
}

// dissimilarityTerm is an area's term of the index of dissimilarity: how
// far its share s of inhabitants of Buiten-Europa herkomst is from the
// share S of the whole, 100·|s − S| / (2·S·(1 − S)); 0 when S is 0 or 1.
func dissimilarityTerm(s, S float64) float64 {
	if S <= 0 || S >= 1 {
		return 0
	}
	return 100 * math.Abs(s-S) / (2 * S * (1 - S))
}
