package glyphs

import "math"

// The signed distance field's parameters, as MapLibre's shaders expect
// them (they match TinySDF and node-fontnik): the field reaches radius
// pixels either side of the outline, and the outline itself is at
// 255·(1-cutoff), about 191.
const (
	sdfRadius = 8
	sdfCutoff = 0.25
)

// far stands for "no outline in reach" in the distance transform.
const far = 1e20

// distanceField turns a w×h coverage image (alpha 0–255, row-major) into
// a signed distance field of the same size, using the exact Euclidean
// distance transform of Felzenszwalb and Huttenlocher on the pixels
// outside and inside the outline, with the partial coverage of edge
// pixels as sub-pixel distance, as TinySDF does.
func distanceField(alpha []byte, w, h int) []byte {
	outer := make([]float64, w*h)
	inner := make([]float64, w*h)
	for i, a := range alpha {
		switch a {
		case 0:
			outer[i], inner[i] = far, 0
		case 255:
			outer[i], inner[i] = 0, far
		default:
			f := float64(a) / 255
			d := 0.5 - f
			outer[i] = math.Pow(math.Max(0, d), 2)
			inner[i] = math.Pow(math.Max(0, -d), 2)
		}
	}
	edt(outer, w, h)
	edt(inner, w, h)
	out := make([]byte, w*h)
	for i := range out {
		d := math.Sqrt(outer[i]) - math.Sqrt(inner[i])
		v := math.Round(255 - 255*(d/sdfRadius+sdfCutoff))
		out[i] = byte(math.Max(0, math.Min(255, v)))
	}
	return out
}

// edt replaces grid's values, squared distances to the nearest pixel of
// value 0, by the squared Euclidean distance transform: by columns, then
// by rows.
func edt(grid []float64, w, h int) {
	n := max(w, h)
	f := make([]float64, n)
	v := make([]int, n)
	z := make([]float64, n+1)
	for x := range w {
		edt1d(grid, x, w, h, f, v, z)
	}
	for y := range h {
		edt1d(grid, y*w, 1, w, f, v, z)
	}
}

// edt1d is the one-dimensional transform over grid[offset+i*stride] for
// i < length: the lower envelope of the parabolas rooted at each pixel.
func edt1d(grid []float64, offset, stride, length int, f []float64, v []int, z []float64) {
	v[0], z[0], z[1] = 0, -far, far
	f[0] = grid[offset]
	k := 0
	for q := 1; q < length; q++ {
		f[q] = grid[offset+q*stride]
		var s float64
		for {
			r := v[k]
			s = (f[q] - f[r] + float64(q*q-r*r)) / float64(q-r) / 2
			if s > z[k] || k == 0 {
				break
			}
			k--
		}
		if s <= z[k] {
			// k is 0 and the new parabola is below the first everywhere.
			v[0], z[0], z[1] = q, -far, far
			continue
		}
		k++
		v[k], z[k], z[k+1] = q, s, far
	}
	k = 0
	for q := range length {
		for z[k+1] < float64(q) {
			k++
		}
		r := v[k]
		grid[offset+q*stride] = f[r] + float64((q-r)*(q-r))
	}
}
