package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in      string
		want    catalog.Level
		wantErr bool
	}{
		{"gemeente", catalog.Gemeente, false},
		{"wijk", catalog.Wijk, false},
		// Buurten are a map level: disclosure control covers buurt,
		// wijk and gemeente together.
		{"buurt", catalog.Buurt, false},
		{"nederland", "", true},
		{"Gemeente", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := catalog.ParseLevel(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseLevel(%q) = %q, want an error", tt.in, got)
				}
				if !strings.Contains(err.Error(), "gemeente, wijk") {
					t.Errorf("error %q does not list the valid levels", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseLevel(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestLevelsAreOrderedCoarseToFine(t *testing.T) {
	want := []catalog.Level{catalog.Nederland, catalog.Gemeente, catalog.Wijk, catalog.Buurt}
	if got := catalog.Levels(); !slices.Equal(got, want) {
		t.Fatalf("Levels() = %v, want %v", got, want)
	}
	for i, l := range catalog.Levels() {
		t.Run(string(l), func(t *testing.T) {
			if l.Rank() != i {
				t.Errorf("%s.Rank() = %d, want its index %d", l, l.Rank(), i)
			}
			parent, ok := l.Parent()
			if i == 0 {
				if ok {
					t.Errorf("%s.Parent() = %s, want none", l, parent)
				}
				return
			}
			if !ok || parent != catalog.Levels()[i-1] {
				t.Errorf("%s.Parent() = %q, %v; want %s", l, parent, ok, catalog.Levels()[i-1])
			}
		})
	}
}

func TestLevelRelations(t *testing.T) {
	tests := []struct {
		level      catalog.Level
		rank       int
		parent     catalog.Level
		hasParent  bool
		shows      []catalog.Level
		isBoundary bool
	}{
		{level: catalog.Nederland, rank: 0},
		{level: catalog.Gemeente, rank: 1, parent: catalog.Nederland, hasParent: true, shows: []catalog.Level{catalog.Gemeente}, isBoundary: true},
		{level: catalog.Wijk, rank: 2, parent: catalog.Gemeente, hasParent: true, shows: []catalog.Level{catalog.Wijk}, isBoundary: true},
		{level: catalog.Buurt, rank: 3, parent: catalog.Wijk, hasParent: true, shows: []catalog.Level{catalog.Buurt}, isBoundary: true},
		// Auto chooses per gemeente between its wijken and its buurten.
		{level: catalog.Auto, rank: 2, parent: catalog.Gemeente, hasParent: true, shows: []catalog.Level{catalog.Wijk, catalog.Buurt}},
		{level: "provincie", rank: -1},
		{level: "", rank: -1},
	}
	for _, tt := range tests {
		t.Run(string(tt.level), func(t *testing.T) {
			if got := tt.level.Rank(); got != tt.rank {
				t.Errorf("Rank() = %d, want %d", got, tt.rank)
			}
			parent, ok := tt.level.Parent()
			if parent != tt.parent || ok != tt.hasParent {
				t.Errorf("Parent() = %q, %v; want %q, %v", parent, ok, tt.parent, tt.hasParent)
			}
			if ok && parent.Rank() != tt.rank-1 {
				t.Errorf("parent %s ranks %d, want one above %d", parent, parent.Rank(), tt.rank)
			}
			if got := tt.level.Shows(); !slices.Equal(got, tt.shows) {
				t.Errorf("Shows() = %v, want %v", got, tt.shows)
			}
			if got := slices.Contains(catalog.BoundaryLevels(), tt.level); got != tt.isBoundary {
				t.Errorf("in BoundaryLevels: %v, want %v", got, tt.isBoundary)
			}
		})
	}
}

func TestLevelOfCode(t *testing.T) {
	tests := []struct {
		code    string
		want    catalog.Level
		wantErr string
	}{
		{code: catalog.NederlandCode, want: catalog.Nederland},
		{code: "GM0344", want: catalog.Gemeente},
		{code: "WK034401", want: catalog.Wijk},
		{code: "WK0363AA", want: catalog.Wijk},
		{code: "BU03440101", want: catalog.Buurt},
		{code: "BU0363AA01", want: catalog.Buurt},
		{code: "", wantErr: "no known prefix"},
		{code: "XX034401", wantErr: "no known prefix"},
		{code: "gm0344", wantErr: "no known prefix"},
		{code: "GM344", wantErr: "6 characters"},
		{code: "GM03440", wantErr: "6 characters"},
		{code: "WK0344", wantErr: "8 characters"},
		{code: "BU034401", wantErr: "10 characters"},
		{code: "GM03A4", wantErr: "four-digit gemeente number"},
		{code: "WKAB3401", wantErr: "four-digit gemeente number"},
		{code: "WK0363aa", wantErr: "upper-case"},
		{code: "BU0344 101", wantErr: "upper-case"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, err := catalog.LevelOfCode(tt.code)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("LevelOfCode(%q) = %q, %v; want an error containing %q", tt.code, got, err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.code) {
					t.Errorf("error %q does not name the code", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("LevelOfCode(%q) = %q, %v; want %q", tt.code, got, err, tt.want)
			}
		})
	}
}

func TestGemeenteOf(t *testing.T) {
	tests := []struct {
		code    string
		want    string
		wantErr bool
	}{
		{code: "WK034401", want: "GM0344"},
		{code: "BU03440101", want: "GM0344"},
		{code: "GM0344", want: "GM0344"},
		{code: "WK0363AA", want: "GM0363"},
		{code: "BU0599AB12", want: "GM0599"},
		{code: catalog.NederlandCode, wantErr: true},
		{code: "", wantErr: true},
		{code: "WK03", wantErr: true},
		{code: "WKAB3401", wantErr: true},
		{code: "garbage", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, err := catalog.GemeenteOf(tt.code)
			if tt.wantErr {
				if err == nil {
					t.Errorf("GemeenteOf(%q) = %q, want an error", tt.code, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("GemeenteOf(%q) = %q, %v; want %q", tt.code, got, err, tt.want)
			}
		})
	}
}

func TestFeatureID(t *testing.T) {
	t.Run("known values", func(t *testing.T) {
		// These ids are part of the tile contract (MapLibre promoteId,
		// feature-state): changing them breaks saved client state.
		tests := []struct {
			code string
			want uint64
		}{
			{"GM0344", 4036*4 + 1},
			{"WK034401", 5230657*4 + 2},
			{"WK0363AA", 5323042*4 + 2},
			{"BU9999ZZZZ", 725429509631*4 + 3},
		}
		for _, tt := range tests {
			got, err := catalog.FeatureID(tt.code)
			if err != nil || got != tt.want {
				t.Errorf("FeatureID(%q) = %d, %v; want %d", tt.code, got, err, tt.want)
			}
		}
	})
	t.Run("stable", func(t *testing.T) {
		a, errA := catalog.FeatureID("WK0363AA")
		b, errB := catalog.FeatureID("WK0363AA")
		if errA != nil || errB != nil || a != b {
			t.Errorf("FeatureID not stable: %d, %d (%v, %v)", a, b, errA, errB)
		}
	})
	t.Run("distinct within a level and below 2^53", func(t *testing.T) {
		const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		levels := map[catalog.Level][]string{}
		for _, gm := range []string{"0000", "0344", "0363", "9999"} {
			levels[catalog.Gemeente] = append(levels[catalog.Gemeente], "GM"+gm)
			for _, a := range alnum {
				for _, b := range alnum {
					wk := "WK" + gm + string(a) + string(b)
					levels[catalog.Wijk] = append(levels[catalog.Wijk], wk)
					levels[catalog.Buurt] = append(levels[catalog.Buurt], "BU"+wk[2:]+string(b)+string(a))
				}
			}
		}
		for level, codes := range levels {
			seen := make(map[uint64]string, len(codes))
			for _, code := range codes {
				id, err := catalog.FeatureID(code)
				if err != nil {
					t.Fatalf("FeatureID(%q): %v", code, err)
				}
				if id >= 1<<53 {
					t.Errorf("FeatureID(%q) = %d, not exact in JavaScript", code, id)
				}
				if other, dup := seen[id]; dup {
					t.Errorf("%s: FeatureID(%q) = FeatureID(%q) = %d", level, code, other, id)
				}
				seen[id] = code
			}
		}
	})
	t.Run("errors on garbage", func(t *testing.T) {
		for _, code := range []string{"", "WK", "garbage", "XX034401", "WK-34401", "WK34401", "WK0344 1", "GM0344\n", "BU03440101BU"} {
			if id, err := catalog.FeatureID(code); err == nil {
				t.Errorf("FeatureID(%q) = %d, want an error", code, id)
			}
		}
	})
}
