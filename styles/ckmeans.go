package styles

import "math"

// ckmeans is the dynamic-programming table of Ckmeans.1d.dp (Wang & Song,
// "Ckmeans.1d.dp: Optimal k-means Clustering in One Dimension by Dynamic
// Programming", The R Journal 3/2, 2011; the O(k·n·log n) fill by divide and
// conquer is from Song & Zhong's later versions of the package).
//
// It clusters sorted, distinct values xs with weights ws (how often each
// value occurs), which gives the same optimum as clustering every value but
// can never split equal values over two classes.
//
// cost[q][i] is the least weighted within-cluster sum of squares of
// xs[0..i] in q+1 clusters, and first[q][i] is the index in xs of the first
// value of the last of those clusters.
type ckmeans struct {
	xs    []float64
	n     int
	cost  [][]float64
	first [][]int
	// Prefix sums of w, w·x and w·x² over values shifted by xs' median,
	// which keeps the sums of squares numerically stable.
	sumW, sumX, sumX2 []float64
}

// newCKMeans fills the table for up to kmax clusters. The caller ensures
// 1 ≤ kmax ≤ len(xs).
func newCKMeans(xs, ws []float64, kmax int) *ckmeans {
	n := len(xs)
	c := &ckmeans{
		xs:    xs,
		n:     n,
		cost:  make([][]float64, kmax),
		first: make([][]int, kmax),
		sumW:  make([]float64, n+1),
		sumX:  make([]float64, n+1),
		sumX2: make([]float64, n+1),
	}
	shift := xs[n/2]
	for i, x := range xs {
		d := x - shift
		c.sumW[i+1] = c.sumW[i] + ws[i]
		c.sumX[i+1] = c.sumX[i] + ws[i]*d
		c.sumX2[i+1] = c.sumX2[i] + ws[i]*d*d
	}
	for q := range kmax {
		c.cost[q] = make([]float64, n)
		c.first[q] = make([]int, n)
	}
	for i := range n {
		c.cost[0][i] = c.ssq(0, i)
	}
	for q := 1; q < kmax; q++ {
		c.fillRow(q, q, n-1, q, n-1)
	}
	return c
}

// ssq returns the weighted sum of squared deviations from their mean of
// xs[j..i].
func (c *ckmeans) ssq(j, i int) float64 {
	w := c.sumW[i+1] - c.sumW[j]
	s := c.sumX[i+1] - c.sumX[j]
	s2 := c.sumX2[i+1] - c.sumX2[j]
	return math.Max(0, s2-s*s/w)
}

// fillRow computes cost[q][i] for i in [imin, imax], knowing that the
// optimal start of the last cluster lies in [jmin, jmax] for all of them.
// Because that optimal start never decreases as i grows, solving the middle
// i first halves the search range of both halves: O(n·log n) per row.
func (c *ckmeans) fillRow(q, imin, imax, jmin, jmax int) {
	if imin > imax {
		return
	}
	i := (imin + imax) / 2
	best, bestJ := math.Inf(1), -1
	for j := max(q, jmin); j <= min(i, jmax); j++ {
		if v := c.cost[q-1][j-1] + c.ssq(j, i); v < best {
			best, bestJ = v, j
		}
	}
	c.cost[q][i], c.first[q][i] = best, bestJ
	c.fillRow(q, imin, i-1, jmin, bestJ)
	c.fillRow(q, i+1, imax, bestJ, jmax)
}

// totalCost returns the least within-cluster sum of squares of all values
// in k clusters.
func (c *ckmeans) totalCost(k int) float64 { return c.cost[k-1][c.n-1] }

// starts returns the index in xs of the first value of each of the k
// clusters of the optimal clustering, ascending.
func (c *ckmeans) starts(k int) []int {
	out := make([]int, k)
	end := c.n - 1
	for q := k - 1; q >= 0; q-- {
		j := 0
		if q > 0 {
			j = c.first[q][end]
		}
		out[q] = j
		end = j - 1
	}
	return out
}

// breaks returns the breaks between the k optimal clusters, each the
// smallest value of the cluster above it (step semantics).
func (c *ckmeans) breaks(k int) []float64 {
	starts := c.starts(k)
	out := make([]float64, 0, k-1)
	for _, s := range starts[1:] {
		out = append(out, c.xs[s])
	}
	return out
}
