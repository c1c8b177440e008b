package demo

import (
	"math"
	"math/rand/v2"
	"slices"
)

// hashString is 64-bit FNV-1a. It keys the random stream of a model cell, so
// it must never change: changing it changes every demo value.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix is the splitmix64 finaliser: it spreads the bits of a key.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// cellRNG is the random stream of one model cell, such as (wijk,
// indicator, leaf). Each cell seeds its own PCG from its key, so a value
// does not depend on which other values were generated before it.
type cellRNG struct {
	pcg rand.PCG
}

// newCellRNG seeds a stream from the hashes of the parts of a cell key.
func newCellRNG(area, topic, part uint64) cellRNG {
	var r cellRNG
	k := mix(area ^ mix(topic^mix(part+0x9e3779b97f4a7c15)))
	r.pcg.Seed(k, mix(k^0x6a09e667f3bcc909))
	return r
}

// float64 returns a uniform number in [0, 1).
func (r *cellRNG) float64() float64 { return float64(r.pcg.Uint64()>>11) * 0x1p-53 }

// norm returns a standard normal number (Box–Muller).
func (r *cellRNG) norm() float64 {
	u := 1 - r.float64() // (0, 1]
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*r.float64())
}

// binomial draws the number of successes in n trials of probability p:
// exactly for small n, by the Poisson limit for rare events and by the
// normal approximation when n·p·(1−p) is large.
func (r *cellRNG) binomial(n int64, p float64) int64 {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - r.binomial(n, 1-p)
	}
	mean := float64(n) * p
	if v := mean * (1 - p); v >= 20 {
		k := int64(math.Round(mean + math.Sqrt(v)*r.norm()))
		return max(0, min(n, k))
	}
	if n <= 64 {
		var k int64
		for range n {
			if r.float64() < p {
				k++
			}
		}
		return k
	}
	return min(n, r.poisson(mean))
}

// poisson draws a Poisson number of mean lambda < ~40 by multiplying
// uniforms (Knuth).
func (r *cellRNG) poisson(lambda float64) int64 {
	limit := math.Exp(-lambda)
	var k int64
	for prod := r.float64(); prod > limit; prod *= r.float64() {
		k++
	}
	return k
}

// largestRemainder rounds the non-negative expected counts in want to
// integers in out that sum to total: everyone gets the floor of their
// (rescaled) share and the remaining units go to the largest remainders,
// ties to the lowest index. order is scratch space of len(want).
func largestRemainder(want []float64, total int64, out []int64, order []int) {
	sum := 0.0
	for _, w := range want {
		sum += w
	}
	if sum <= 0 || total <= 0 {
		clear(out)
		if total > 0 {
			out[0] = total
		}
		return
	}
	scale := float64(total) / sum
	var given int64
	for i, w := range want {
		out[i] = int64(math.Floor(w * scale))
		given += out[i]
		order[i] = i
	}
	rem := func(i int) float64 { return want[i]*scale - float64(out[i]) }
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := rem(a), rem(b)
		switch {
		case ra > rb:
			return -1
		case ra < rb:
			return 1
		}
		return 0
	})
	for i := 0; given < total; i = (i + 1) % len(order) {
		out[order[i]]++
		given++
	}
}

// logit and sigmoid convert between probabilities and log-odds.
func logit(p float64) float64 { return math.Log(p / (1 - p)) }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// clamp limits x to [lo, hi].
func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
