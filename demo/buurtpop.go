package demo

import "math"

// buurtPopulation is the demo population of every buurt of
// Dataset.Buurten, split from its wijk's population so that the buurten of
// a wijk add up to the wijk exactly, leaf by leaf and age class by age
// class. Index buurt b, leaf l as b*L+l and its age class a as
// (b*L+l)*numAges+a. int32 keeps it small: a buurt's leaf never exceeds
// its wijk's.
type buurtPopulation struct {
	leaves     int     // L
	total      []int64 // inhabitants per buurt
	counts     []int32
	ages       []int32
	households []int32
}

// count returns the count of leaf l in buurt b.
func (bp *buurtPopulation) count(b, l int) int64 { return int64(bp.counts[b*bp.leaves+l]) }

// household returns the households of leaf l in buurt b.
func (bp *buurtPopulation) household(b, l int) int64 {
	return int64(bp.households[b*bp.leaves+l])
}

// agesOf returns the age counts of leaf l in buurt b.
func (bp *buurtPopulation) agesOf(b, l int) []int32 {
	i := (b*bp.leaves + l) * numAges
	return bp.ages[i : i+numAges]
}

// leafAges copies the age counts of leaf l in buurt b into dst.
func (bp *buurtPopulation) leafAges(b, l int, dst *[numAges]int64) {
	i := (b*bp.leaves + l) * numAges
	for a := range numAges {
		dst[a] = int64(bp.ages[i+a])
	}
}

// splitScratch is the scratch space of the splits of one wijk.
type splitScratch struct {
	weights, want           []float64
	ints, caps, denW, riskW []int64
	order                   []int
	out                     [][]int64 // per buurt
	factor                  []float64 // per buurt × origin
}

func newSplitScratch(maxBuurten, leaves, origins int) *splitScratch {
	s := &splitScratch{
		weights: make([]float64, maxBuurten), want: make([]float64, maxBuurten),
		ints: make([]int64, maxBuurten), caps: make([]int64, maxBuurten),
		denW: make([]int64, maxBuurten), riskW: make([]int64, maxBuurten),
		order: make([]int, maxBuurten), factor: make([]float64, maxBuurten*origins),
		out: make([][]int64, 2),
	}
	for i := range s.out {
		s.out[i] = make([]int64, maxBuurten*leaves)
	}
	return s
}

// maxBuurtenPerWijk returns the largest number of buurten of one wijk.
func (bu *buurtData) maxBuurtenPerWijk() int {
	n := 1
	for _, bs := range bu.byWijk {
		n = max(n, len(bs))
	}
	return n
}

// splitPopulation splits every inhabited wijk's leaves over its buurten.
func (d *Dataset) splitPopulation() buurtPopulation {
	L, B := len(d.pop.leaves), len(d.Buurten)
	bp := buurtPopulation{
		leaves: L, counts: make([]int32, B*L), households: make([]int32, B*L),
		ages: make([]int32, B*L*numAges),
	}
	s := newSplitScratch(d.bu.maxBuurtenPerWijk(), L, len(d.origins))
	for w, bs := range d.bu.byWijk {
		if len(bs) > 0 && d.src.wijken[w].population > 0 {
			d.splitWijkPopulation(w, bs, &bp, s)
		}
	}
	bp.total = make([]int64, B)
	for b := range B {
		for l := range L {
			bp.total[b] += bp.count(b, l)
		}
	}
	return bp
}

// splitWijkPopulation splits the leaves of wijk w over its buurten bs. A
// leaf's count is split in proportion to the buurt weights times a seeded
// factor exp(0.5·N(0,1)) per buurt and origin, so that groups cluster in
// some buurten, by the largest-remainder method. Its age classes are then
// dealt out buurt by buurt in proportion to what is left of each class,
// and its households in proportion to the buurten's adults of the leaf.
func (d *Dataset) splitWijkPopulation(w int, bs []int, bp *buurtPopulation, s *splitScratch) {
	p, n, O := d.pop, len(bs), len(d.origins)
	topic := hashString("buurt/origin")
	for k, b := range bs {
		h := hashString(d.Buurten[b].Code)
		for o := range O {
			r := newCellRNG(h, topic, uint64(o))
			s.factor[k*O+o] = math.Exp(0.5 * r.norm())
		}
	}
	counts, households := p.leafCounts(w), p.leafHouseholds(w)
	out := s.ints[:n]
	for l, li := range p.leaves {
		if counts[l] == 0 {
			continue
		}
		for k, b := range bs {
			s.weights[k] = d.bu.weight[b]
			if li.origin >= 0 {
				s.weights[k] *= s.factor[k*O+li.origin]
			}
		}
		largestRemainder(s.weights[:n], counts[l], out, s.order[:n])
		adults := s.caps[:n]
		dealAges(p.leafAges(w, l), out, bs, l, bp, adults)
		splitInt(households[l], adults, out)
		for k, b := range bs {
			bp.households[b*bp.leaves+l] = int32(out[k])
		}
	}
}

// dealAges deals the age classes of one leaf of a wijk out over its
// buurten, which get counts[k] members each: every buurt in turn gets its
// members from the classes left, in proportion to them (exact integer
// largest remainder), and the last gets the rest, so every class adds up.
// It sets the buurten's counts and ages and returns their adults (18+).
func dealAges(wijkAges []int64, counts []int64, bs []int, l int, bp *buurtPopulation, adults []int64) {
	var left, got [numAges]int64
	copy(left[:], wijkAges)
	for k, b := range bs {
		if k == len(bs)-1 {
			got = left
		} else {
			splitInt(counts[k], left[:], got[:])
		}
		i := b*bp.leaves + l
		bp.counts[i] = int32(counts[k])
		adults[k] = 0
		for a := range numAges {
			left[a] -= got[a]
			bp.ages[i*numAges+a] = int32(got[a])
			if a >= age18to26 {
				adults[k] += got[a]
			}
		}
	}
}
