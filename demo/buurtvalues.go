package demo

import (
	"iter"
	"math"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// buurtEffectSD is the sd, in log-odds, of the seeded buurt effect that
// shifts a rate's numerators between the buurten of a wijk.
const buurtEffectSD = 0.3

// BuurtValues yields a value for every indicator of the catalogue given to
// Load, in catalogue order, for every group of cat.GroupsOf(indicator), in
// catalogue order, for every buurt of Buurten by code: level
// catalog.Buurt, value year BaseYear, provenance store.Demo (CBS publishes no figures
// by herkomst, and the demo has no real buurt figures at all).
//
// Buurt values are the wijk values of Values split over the wijk's
// buurten: every numerator and denominator of the buurten of a wijk adds
// up exactly to the wijk's (for the real CBS figures of group totaal, to
// the model's figure the CBS figure replaces at wijk level). MODEL.md
// explains the split. A buurt of a wijk without inhabitants has no data,
// except its inwoners (0). Like Values, values are computed as they are
// yielded, in the same order every time.
func (d *Dataset) BuurtValues() iter.Seq[store.Value] {
	return func(yield func(store.Value) bool) {
		B, L := len(d.Buurten), len(d.pop.leaves)
		maxGroups := 0
		for _, pi := range d.indicators {
			maxGroups = max(maxGroups, len(pi.groups))
		}
		t := &buurtTable{buurten: B, num: make([]int64, maxGroups*B), den: make([]int64, maxGroups*B)}
		s := newSplitScratch(d.bu.maxBuurtenPerWijk(), L, len(d.origins))
		num, den := make([]int64, L), make([]int64, L)
		shares := d.outsideShares()
		for i := range d.indicators {
			pi := &d.indicators[i]
			d.fillBuurten(pi, t, s, num, den)
			if !d.emitBuurten(pi, t, shares, yield) {
				return
			}
		}
	}
}

// buurtTable holds one indicator's numerator and denominator sums for
// every group and buurt, group by group as they are yielded:
// [group*buurten + buurt].
type buurtTable struct {
	buurten  int
	num, den []int64
}

// fillBuurten computes the indicator's leaves in every wijk that has
// buurten, splits them over the buurten and sums them into groups.
func (d *Dataset) fillBuurten(pi *preparedIndicator, t *buurtTable, s *splitScratch, num, den []int64) {
	clear(t.num)
	clear(t.den)
	L := len(d.pop.leaves)
	for w, bs := range d.bu.byWijk {
		if len(bs) == 0 || d.src.wijken[w].population == 0 {
			continue
		}
		d.leafValues(pi, d.base, w, num, den)
		bNum, bDen := s.out[0], s.out[1]
		d.splitLeaves(pi, w, bs, num, den, s)
		for k, b := range bs {
			for gi, leaves := range pi.leaves {
				var n, dd int64
				for _, l := range leaves {
					n += bNum[k*L+l]
					dd += bDen[k*L+l]
				}
				if pi.model.kind == kindShare {
					dd = d.bu.pop.total[b]
				}
				t.num[gi*t.buurten+b], t.den[gi*t.buurten+b] = n, dd
			}
		}
	}
}

// splitLeaves splits the numerator and denominator of every leaf of wijk w
// (num, den) over its buurten bs, into s.out[0] and s.out[1] (buurt k, leaf
// l at k*L+l).
func (d *Dataset) splitLeaves(pi *preparedIndicator, w int, bs []int, num, den []int64, s *splitScratch) {
	L := len(d.pop.leaves)
	if len(bs) == 1 {
		// A split over one buurt leaves everything as it is.
		copy(s.out[0], num)
		copy(s.out[1], den)
		return
	}
	switch pi.model.kind {
	case kindRate:
		d.splitRate(pi, w, bs, num, den, s)
		return
	case kindCito, kindDeathAge:
		d.splitSums(pi, bs, num, den, s)
		return
	}
	bNum, bDen := s.out[0], s.out[1]
	var ages [numAges]int64
	counts := d.pop.leafCounts(w)
	for k, b := range bs {
		for l := range L {
			if counts[l] == 0 {
				bNum[k*L+l], bDen[k*L+l] = 0, 0
				continue
			}
			d.bu.pop.leafAges(b, l, &ages)
			bNum[k*L+l], bDen[k*L+l] = d.countLeaf(pi.model, l, d.bu.pop.count(b, l), ages[:])
		}
	}
}

// splitRate splits a rate's leaves. The denominator (and the risk
// population, when it differs) is split in proportion to the buurten's own
// sub-populations; the numerator in proportion to the buurten's risk
// population times a seeded buurt effect exp(buurtEffectSD·N(0,1)), never
// above the risk population.
func (d *Dataset) splitRate(pi *preparedIndicator, w int, bs []int, num, den []int64, s *splitScratch) {
	m, p, n, L := pi.model.rate, d.pop, len(bs), len(d.pop.leaves)
	effect := s.factor[:n]
	for k, b := range bs {
		r := newCellRNG(hashString(d.Buurten[b].Code), pi.hash, math.MaxUint64)
		effect[k] = math.Exp(buurtEffectSD * r.norm())
	}
	bNum, bDen := s.out[0], s.out[1]
	denW, riskW, risk, out := s.denW[:n], s.riskW[:n], s.caps[:n], s.ints[:n]
	for l := range L {
		if num[l] == 0 && den[l] == 0 {
			zeroLeaf(bNum, bDen, l, n, L)
			continue
		}
		for k, b := range bs {
			ages, hh := d.bu.pop.agesOf(b, l), d.bu.pop.household(b, l)
			riskW[k] = subPopSize(m.risk, ages, hh)
			if m.den != m.risk {
				denW[k] = subPopSize(m.den, ages, hh)
			}
		}
		splitInt(m.risk.size(p.leafAges(w, l), p.leafHouseholds(w)[l]), riskW, risk)
		if m.den == m.risk {
			copy(out, risk)
		} else {
			splitInt(den[l], denW, out)
		}
		for k := range n {
			bDen[k*L+l] = out[k]
			s.weights[k] = float64(risk[k]) * effect[k]
		}
		splitCapped(num[l], s.weights[:n], risk, out, s.want[:n])
		for k := range n {
			bNum[k*L+l] = out[k]
		}
	}
}

// splitSums splits the leaves of CITO scores and ages at death, whose
// denominator is a number of persons drawn from part of the leaf (pupils
// of 4–12, deaths) and whose numerator is the sum of their scores or ages.
// The persons are split in proportion to the buurten's part of the leaf,
// never above it; the sum in proportion to the persons, so the mean of a
// leaf is the wijk's in each of its buurten.
func (d *Dataset) splitSums(pi *preparedIndicator, bs []int, num, den []int64, s *splitScratch) {
	n, L := len(bs), len(d.pop.leaves)
	bNum, bDen := s.out[0], s.out[1]
	caps, out := s.caps[:n], s.ints[:n]
	var ages [numAges]int64
	for l := range L {
		if num[l] == 0 && den[l] == 0 {
			zeroLeaf(bNum, bDen, l, n, L)
			continue
		}
		for k, b := range bs {
			d.bu.pop.leafAges(b, l, &ages)
			if pi.model.kind == kindCito {
				caps[k], s.weights[k] = ages[age4to12], float64(ages[age4to12])
				continue
			}
			caps[k] = d.bu.pop.count(b, l)
			s.weights[k] = deathRate65*float64(ages[age65plus]) + deathRateYoung*float64(caps[k]-ages[age65plus])
		}
		splitCapped(den[l], s.weights[:n], caps, out, s.want[:n])
		for k := range n {
			bDen[k*L+l] = out[k]
		}
		copy(caps, out)
		splitInt(num[l], caps, out)
		for k := range n {
			bNum[k*L+l] = out[k]
		}
	}
}

// zeroLeaf sets leaf l of all n buurten to 0 / 0.
func zeroLeaf(num, den []int64, l, n, L int) {
	for k := range n {
		num[k*L+l], den[k*L+l] = 0, 0
	}
}

// emitBuurten yields the buurt values of one indicator.
func (d *Dataset) emitBuurten(pi *preparedIndicator, t *buurtTable, shares []float64, yield func(store.Value) bool) bool {
	for gi, group := range pi.groups {
		inwoners := group == catalog.TotaalGroup && pi.model.real == realInwoners
		for b := range d.Buurten {
			v := store.Value{Level: catalog.Buurt, Year: BaseYear, Code: d.bu.codes[b], Indicator: pi.id, Group: group, Provenance: store.Demo}
			i := gi*t.buurten + b
			switch {
			case d.bu.uninhabited[b] && !inwoners:
				// No data, as in the wijk.
			case pi.model.kind == kindSegregation:
				g := d.in[d.bu.wijk[b]].gemeente
				v.Value = store.NullFloat(math.Min(100, dissimilarityTerm(share(t.num[i], t.den[i]), shares[g])))
				v.Observations = int(t.den[i])
			default:
				d.modelValue(pi, t.num[i], t.den[i], &v)
			}
			if !yield(v) {
				return false
			}
		}
	}
	return true
}

// share returns num/den, 0 when den is 0.
func share(num, den int64) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// outsideShares returns, for every gemeente, the share of its inhabitants
// of Buiten-Europa herkomst: S of the segregation index.
func (d *Dataset) outsideShares() []float64 {
	outside, all := make([]int64, len(d.src.gemeenten)), make([]int64, len(d.src.gemeenten))
	for w := range d.src.wijken {
		g := d.in[w].gemeente
		for l, c := range d.pop.leafCounts(w) {
			all[g] += c
			if li := d.pop.leaves[l]; li.kind != native && !d.origins[li.origin].europe {
				outside[g] += c
			}
		}
	}
	out := make([]float64, len(all))
	for g := range out {
		out[g] = share(outside[g], all[g])
	}
	return out
}
