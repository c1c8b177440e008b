package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// TestSortValues checks that SortValues orders values exactly as sorting
// with CompareValues does, on shuffled, sorted and partly sorted input.
func TestSortValues(t *testing.T) {
	var values []store.Value
	levels := []catalog.Level{catalog.Buurt, catalog.Nederland, catalog.Wijk, catalog.Gemeente}
	for _, level := range levels {
		for g := range 5 {
			for c := range 50 {
				values = append(values, store.Value{Level: level, Group: fmt.Sprint("g", g), Code: fmt.Sprintf("%s%04d", level, c*7%50),
					Observations: len(values)})
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name    string
		prepare func([]store.Value)
	}{
		{"shuffled", func(v []store.Value) { rng.Shuffle(len(v), func(i, j int) { v[i], v[j] = v[j], v[i] }) }},
		{"sorted", func(v []store.Value) { slices.SortFunc(v, store.CompareValues) }},
		{"in runs, codes unsorted", func([]store.Value) {}},
		{"reversed", func(v []store.Value) { slices.SortFunc(v, store.CompareValues); slices.Reverse(v) }},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(values)
			if tt.prepare == nil {
				in = nil
			} else {
				tt.prepare(in)
			}
			want := slices.Clone(in)
			slices.SortFunc(want, store.CompareValues)
			store.SortValues(in)
			if !slices.Equal(in, want) {
				t.Errorf("SortValues differs from sorting with CompareValues")
			}
		})
	}
}
