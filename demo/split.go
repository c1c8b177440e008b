package demo

import "math"

// splitInt splits total over out in proportion to the non-negative integer
// weights, exactly in integers: item i gets floor(total·w_i/W) and the
// units left go one each to the largest remainders total·w_i mod W, ties to
// the lowest index. When total ≤ W no item gets more than its weight.
// Without any weight, out[0] gets everything.
func splitInt(total int64, weights, out []int64) {
	clear(out)
	if total <= 0 {
		return
	}
	var sum int64
	for _, w := range weights {
		sum += w
	}
	switch sum {
	case 0:
		out[0] = total
		return
	case total:
		copy(out, weights)
		return
	}
	left := total
	for i, w := range weights {
		out[i] = total * w / sum
		left -= out[i]
	}
	// Fewer units are left than items have a remainder, so every unit
	// goes to another item: the next in order of (remainder desc, index).
	prevRem, prevIdx := int64(math.MaxInt64), -1
	for ; left > 0; left-- {
		best, bestRem := -1, int64(-1)
		for i, w := range weights {
			r := total * w % sum
			if (r < prevRem || (r == prevRem && i > prevIdx)) && r > bestRem {
				best, bestRem = i, r
			}
		}
		out[best]++
		prevRem, prevIdx = bestRem, best
	}
}

// splitCapped splits total over out in proportion to the non-negative
// weights without giving any item more than its cap: an item whose share
// reaches its cap gets the cap and the rest is split again over the others
// (water-filling); the shares left are rounded by the largest-remainder
// method. An item with a cap must have a positive weight, and total must
// not exceed the sum of the caps. want is scratch space of len(weights).
func splitCapped(total int64, weights []float64, caps, out []int64, want []float64) {
	clear(out)
	clear(want) // want[i] < 0 marks an item that got its cap
	left := total
	sum := 0.0
	for left > 0 {
		sum = 0
		for i, w := range weights {
			if want[i] >= 0 && caps[i] > 0 {
				sum += w
			}
		}
		if sum <= 0 {
			break
		}
		capped, start := false, float64(left)
		for i, w := range weights {
			if want[i] >= 0 && caps[i] > 0 && start*w/sum >= float64(caps[i]) {
				out[i], want[i], capped = caps[i], -1, true
				left -= caps[i]
			}
		}
		if !capped {
			break
		}
	}
	if left <= 0 || sum <= 0 {
		fillUpTo(left, caps, out)
		return
	}
	given := int64(0)
	for i, w := range weights {
		if want[i] < 0 || caps[i] == 0 {
			want[i] = -1
			continue
		}
		share := float64(left) * w / sum
		out[i] = int64(share)
		given += out[i]
		want[i] = share - float64(out[i])
	}
	left -= given
	left = addToLargest(want, left, caps, out)
	fillUpTo(left, caps, out)
}

// addToLargest adds one unit to each of the n items with the largest
// remainders rem (ties to the lowest index), skipping items with a
// negative remainder or without room below their cap. It returns the units
// it could not place.
func addToLargest(rem []float64, n int64, caps, out []int64) int64 {
	prevRem, prevIdx := math.Inf(1), -1
	for ; n > 0; n-- {
		best, bestRem := -1, -1.0
		for i, r := range rem {
			if r >= 0 && out[i] < caps[i] && (r < prevRem || (r == prevRem && i > prevIdx)) && r > bestRem {
				best, bestRem = i, r
			}
		}
		if best < 0 {
			return n
		}
		out[best]++
		prevRem, prevIdx = bestRem, best
	}
	return 0
}

// fillUpTo places n units on the items with room below their cap, in
// index order. It is the guard against rounding in splitCapped, which
// leaves it nothing to do.
func fillUpTo(n int64, caps, out []int64) {
	for i := range out {
		if n <= 0 {
			return
		}
		add := min(n, caps[i]-out[i])
		if add > 0 {
			out[i] += add
			n -= add
		}
	}
}
