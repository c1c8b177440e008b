package demo

import (
	"slices"
	"testing"
)

func TestSplitInt(t *testing.T) {
	tests := []struct {
		name    string
		total   int64
		weights []int64
		want    []int64
	}{
		{"exact shares", 6, []int64{1, 2, 3}, []int64{1, 2, 3}},
		{"largest remainder", 5, []int64{1, 1, 1}, []int64{2, 2, 1}},
		{"remainders by size", 4, []int64{3, 4, 3}, []int64{1, 2, 1}},
		{"no more than the weight", 9, []int64{1, 8, 1}, []int64{1, 7, 1}},
		{"nothing to split", 0, []int64{2, 3}, []int64{0, 0}},
		{"no weight", 3, []int64{0, 0}, []int64{3, 0}},
		{"zero weight gets nothing", 3, []int64{0, 5, 5}, []int64{0, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := make([]int64, len(tt.weights))
			splitInt(tt.total, tt.weights, out)
			if !slices.Equal(out, tt.want) {
				t.Errorf("splitInt(%d, %v) = %v, want %v", tt.total, tt.weights, out, tt.want)
			}
		})
	}
}

func TestSplitCapped(t *testing.T) {
	tests := []struct {
		name    string
		total   int64
		weights []float64
		caps    []int64
		want    []int64
	}{
		{"proportional", 10, []float64{1, 1, 3}, []int64{10, 10, 10}, []int64{2, 2, 6}},
		{"capped item gives the rest to the others", 10, []float64{1, 1, 8}, []int64{10, 10, 4}, []int64{3, 3, 4}},
		{"everything capped", 6, []float64{1, 5}, []int64{3, 3}, []int64{3, 3}},
		{"no cap, nothing", 4, []float64{1, 1, 1}, []int64{0, 2, 2}, []int64{0, 2, 2}},
		{"nothing to split", 0, []float64{1, 2}, []int64{1, 2}, []int64{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, want := make([]int64, len(tt.weights)), make([]float64, len(tt.weights))
			splitCapped(tt.total, tt.weights, tt.caps, out, want)
			if !slices.Equal(out, tt.want) {
				t.Errorf("splitCapped(%d, %v, %v) = %v, want %v", tt.total, tt.weights, tt.caps, out, tt.want)
			}
		})
	}
}

// TestSplitsAddUp checks the invariants the buurt values rely on over many
// seeded cases: the parts add up to the total exactly and no part exceeds
// its cap (or its weight, for splitInt with total ≤ the sum of weights).
func TestSplitsAddUp(t *testing.T) {
	for c := range uint64(2000) {
		r := newCellRNG(c, 1, 2)
		n := 1 + int(r.float64()*12)
		weights, caps := make([]float64, n), make([]int64, n)
		intWeights := make([]int64, n)
		var capSum int64
		for i := range n {
			caps[i] = int64(r.float64() * 50)
			if r.float64() < 0.2 {
				caps[i] = 0
			}
			intWeights[i] = caps[i]
			weights[i] = float64(caps[i]) * (0.2 + 3*r.float64())
			capSum += caps[i]
		}
		total := int64(r.float64() * float64(capSum+1))
		total = min(total, capSum)
		out, want := make([]int64, n), make([]float64, n)
		splitCapped(total, weights, caps, out, want)
		checkParts(t, "splitCapped", total, out, caps)
		splitInt(total, intWeights, out)
		checkParts(t, "splitInt", total, out, intWeights)
	}
}

func checkParts(t *testing.T, what string, total int64, out, caps []int64) {
	t.Helper()
	var sum int64
	for i, o := range out {
		sum += o
		if o < 0 || (total > 0 && o > caps[i]) {
			t.Fatalf("%s of %d: part %d is %d, cap %d (%v, caps %v)", what, total, i, o, caps[i], out, caps)
		}
	}
	if sum != total {
		t.Fatalf("%s of %d: parts %v add up to %d", what, total, out, sum)
	}
}
