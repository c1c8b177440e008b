package store_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

func TestNearestBoundaryYear(t *testing.T) {
	for _, tt := range []struct {
		year      int
		available []int
		want      int
		ok        bool
	}{
		{2019, []int{2022, 2024}, 2022, true},
		{2023, []int{2022, 2024}, 2024, true}, // a tie goes to the later year
		{2024, []int{2022, 2024}, 2024, true},
		{2030, []int{2022, 2024}, 2024, true},
		{2022, []int{2019}, 2019, true},
		{2022, nil, 0, false},
	} {
		got, ok := store.NearestBoundaryYear(tt.year, tt.available)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NearestBoundaryYear(%d, %v) = %d, %v, want %d, %v", tt.year, tt.available, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSameAreas(t *testing.T) {
	step := func(from, to int, code string, rel store.Relation, successor string) store.Lineage {
		return store.Lineage{Level: catalog.Gemeente, From: from, To: to, Code: code, Relation: rel,
			Successors: []store.Successor{{Code: successor, Share: 1, Covers: 1}}}
	}
	lineage := []store.Lineage{
		step(2022, 2023, "GM0001", store.Same, "GM0001"),
		step(2022, 2023, "GM0002", store.Renamed, "GM0102"),
		step(2022, 2023, "GM0003", store.Merged, "GM0001"),
		step(2022, 2023, "GM0004", store.Same, "GM0004"),
		step(2023, 2024, "GM0001", store.Same, "GM0001"),
		step(2023, 2024, "GM0102", store.Same, "GM0102"),
		step(2023, 2024, "GM0004", store.Redrawn, "GM0004"),
		{Level: catalog.Wijk, From: 2022, To: 2024, Code: "WK000101", Relation: store.Same,
			Successors: []store.Successor{{Code: "WK000101", Share: 1, Covers: 1}}},
	}
	for _, tt := range []struct {
		name     string
		from, to int
		want     map[string]string
	}{
		{"one step", 2022, 2023, map[string]string{"GM0001": "GM0001", "GM0102": "GM0002", "GM0004": "GM0004"}},
		{"two steps: a redrawn area drops out", 2022, 2024, map[string]string{"GM0001": "GM0001", "GM0102": "GM0002"}},
		{"backwards", 2024, 2022, map[string]string{"GM0001": "GM0001", "GM0002": "GM0102"}},
		{"no lineage between the years", 2019, 2022, map[string]string{}},
		{"lineage of part of the way", 2022, 2025, map[string]string{}},
		{"the same year", 2023, 2023, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.SameAreas(lineage, catalog.Gemeente, tt.from, tt.to); !maps.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("SameAreas(%d, %d) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestUnions(t *testing.T) {
	merged := func(code, into string) store.Lineage {
		return store.Lineage{Level: catalog.Wijk, From: 2022, To: 2024, Code: code, Relation: store.Merged,
			Successors: []store.Successor{{Code: into, Share: 1, Covers: 0.5}}}
	}
	lineage := []store.Lineage{
		merged("WK000101", "WK000150"), merged("WK000102", "WK000150"),
		merged("WK000103", "WK000151"), // alone: the rest of WK000151 came from a redrawn wijk
		{Level: catalog.Wijk, From: 2022, To: 2024, Code: "WK000104", Relation: store.Split,
			Successors: []store.Successor{{Code: "WK000161", Share: 0.6, Covers: 1}, {Code: "WK000160", Share: 0.4, Covers: 1}}},
		{Level: catalog.Wijk, From: 2022, To: 2024, Code: "WK000105", Relation: store.Same,
			Successors: []store.Successor{{Code: "WK000105", Share: 1, Covers: 1}}},
		{Level: catalog.Gemeente, From: 2022, To: 2023, Code: "GM0001", Relation: store.Merged,
			Successors: []store.Successor{{Code: "GM0003", Share: 1, Covers: 0.5}}},
	}
	for _, tt := range []struct {
		name     string
		boundary int
		want     [][]string
	}{
		{"the year before a merger", 2022, [][]string{{"WK000101", "WK000102"}}},
		{"the year after a split", 2024, [][]string{{"WK000160", "WK000161"}}},
		{"a year without lineage", 2019, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := store.Unions(lineage, catalog.Wijk, tt.boundary)
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("Unions(%d) = %v, want %v", tt.boundary, got, tt.want)
			}
		})
	}
}
