package styles

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// colorBrewer holds the schemes as d3-scale-chromatic ships them (one
// string of concatenated hex colours per class count, from 3), to check the
// palette tables were copied without typos.
func colorBrewer() map[string][]string {
	return map[string][]string{
		"YlGnBu": {"edf8b17fcdbb2c7fb8", "ffffcca1dab441b6c4225ea8", "ffffcca1dab441b6c42c7fb8253494",
			"ffffccc7e9b47fcdbb41b6c42c7fb8253494", "ffffccc7e9b47fcdbb41b6c41d91c0225ea80c2c84"},
		"Blues": {"deebf79ecae13182bd", "eff3ffbdd7e76baed62171b5", "eff3ffbdd7e76baed63182bd08519c",
			"eff3ffc6dbef9ecae16baed63182bd08519c", "eff3ffc6dbef9ecae16baed64292c62171b5084594"},
		"PuBu": {"ece7f2a6bddb2b8cbe", "f1eef6bdc9e174a9cf0570b0", "f1eef6bdc9e174a9cf2b8cbe045a8d",
			"f1eef6d0d1e6a6bddb74a9cf2b8cbe045a8d", "f1eef6d0d1e6a6bddb74a9cf3690c00570b0034e7b"},
		"RdYlBu": {"fc8d59ffffbf91bfdb", "d7191cfdae61abd9e92c7bb6", "d7191cfdae61ffffbfabd9e92c7bb6",
			"d73027fc8d59fee090e0f3f891bfdb4575b4", "d73027fc8d59fee090ffffbfe0f3f891bfdb4575b4"},
		"PuOr": {"f1a340f7f7f7998ec3", "e66101fdb863b2abd25e3c99", "e66101fdb863f7f7f7b2abd25e3c99",
			"b35806f1a340fee0b6d8daeb998ec3542788", "b35806f1a340fee0b6f7f7f7d8daeb998ec3542788"},
		"BrBG": {"d8b365f5f5f55ab4ac", "a6611adfc27d80cdc1018571", "a6611adfc27df5f5f580cdc1018571",
			"8c510ad8b365f6e8c3c7eae55ab4ac01665e", "8c510ad8b365f6e8c3f5f5f5c7eae55ab4ac01665e"},
	}
}

func TestPalettesAreColorBrewer(t *testing.T) {
	want := colorBrewer()
	for _, p := range palettes() {
		t.Run(p.id, func(t *testing.T) {
			for i, v := range p.variants {
				var got string
				for _, c := range v {
					got += c[1:]
				}
				if got != want[p.id][i] || len(v) != i+3 {
					t.Errorf("%d-class variant %v, want %s", i+3, v, want[p.id][i])
				}
			}
		})
	}
}

func TestSpecialColoursAreDistinct(t *testing.T) {
	specials := []string{ColorSuppressed, ColorNoData, ColorOutside, ColorBackground}
	for i, c := range specials {
		if slices.Index(specials, c) != i {
			t.Errorf("special colour %s occurs twice", c)
		}
		for _, p := range palettes() {
			for _, v := range p.variants {
				if slices.Contains(v, c) {
					t.Errorf("special colour %s is a colour of palette %s", c, p.id)
				}
			}
		}
	}
}

func TestFindPalette(t *testing.T) {
	tests := []struct {
		kind    Kind
		id      string
		want    string
		wantErr bool
	}{
		{KindSequential, "", "YlGnBu", false},
		{KindSequential, "Blues", "Blues", false},
		{KindSequential, "PuBu", "PuBu", false},
		{KindDiverging, "", "RdYlBu", false},
		{KindDiverging, "BrBG", "BrBG", false},
		{KindDiverging, "Blues", "", true},
		{KindSequential, "RdYlBu", "", true},
		{KindSequential, "viridis", "", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.kind, tt.id), func(t *testing.T) {
			p, err := findPalette(tt.kind, tt.id)
			if (err != nil) != tt.wantErr || p.id != tt.want {
				t.Errorf("findPalette = %q, %v; want %q", p.id, err, tt.want)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestPaletteRamps(t *testing.T) {
	div, err := findPalette(KindDiverging, "RdYlBu")
	if err != nil {
		t.Fatal(err)
	}
	seq, err := findPalette(KindSequential, "Blues")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want []string
	}{
		{"1 favourable", div.side(1, true), []string{"#91bfdb"}},
		{"1 unfavourable", div.side(1, false), []string{"#fc8d59"}},
		{"2 favourable outward", div.side(2, true), []string{"#abd9e9", "#2c7bb6"}},
		{"3 favourable outward", div.side(3, true), []string{"#e0f3f8", "#91bfdb", "#4575b4"}},
		{"3 unfavourable outward", div.side(3, false), []string{"#fee090", "#fc8d59", "#d73027"}},
		{"sequential 1", seq.sequential(1), []string{"#9ecae1"}},
		{"sequential 2", seq.sequential(2), []string{"#deebf7", "#3182bd"}},
		{"sequential 4", seq.sequential(4), []string{"#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Equal(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}
