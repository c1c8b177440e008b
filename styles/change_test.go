package styles

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// changeParams returns the parameters of a change map 2021–2023 of the
// fixture with the given changes, plus one suppressed, one without data
// and two not comparable.
func changeParams(f fixture, amounts ...float64) Params {
	p := f.params(f.oks(1, 2, 3), ptr(5))
	p.Compare = 2021
	for _, a := range amounts {
		p.Changes = append(p.Changes, Change{Status: store.OK, Amount: a})
	}
	p.Changes = append(p.Changes, Change{Status: store.Suppressed}, Change{Status: store.NoData},
		Change{Status: store.NotComparable}, Change{Status: store.NotComparable})
	return p
}

func TestChangeStyle(t *testing.T) {
	amounts := []float64{-4.2, -2.5, -1.1, -0.3, 0, 0.2, 0.6, 1.4, 2.2, 3.0, 6.8}
	tests := []struct {
		name string
		ind  catalog.Indicator
		// increaseSide is the side of the classes above no change.
		increaseSide string
	}{
		{"lower is favourable: a drop is favourable", bijstand(), SideUnfavourable},
		{"higher is favourable: a rise is favourable", arbeid(), SideFavourable},
		{"neutral: no judgement", leeftijd65(), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fixture{level: catalog.Wijk, ind: tc.ind, group: buitenEuropa()}
			st, err := Build(changeParams(f, amounts...))
			if err != nil {
				t.Fatal(err)
			}
			l := st.Metadata.Legend
			if l.Kind != KindDiverging || l.Compare != 2021 || l.Method != MethodQuantile || l.Reference != nil {
				t.Errorf("kind %s, compare %d, method %s, reference %v; want diverging, 2021, quantile, none", l.Kind, l.Compare, l.Method, l.Reference)
			}
			if want := "Verandering 2021–2023 (procentpunt)"; l.TitleNL != want {
				t.Errorf("title %q, want %q", l.TitleNL, want)
			}
			checkSymmetric(t, l.Classes)
			mid := len(l.Classes) / 2
			if len(l.Classes)%2 != 1 || l.Classes[mid].Side != "" {
				t.Fatalf("classes %+v: want an odd number with a neutral middle", l.Classes)
			}
			if got := l.Classes[len(l.Classes)-1].Side; got != tc.increaseSide {
				t.Errorf("the largest rise is on side %q, want %q", got, tc.increaseSide)
			}
			total := 0
			for _, c := range l.Classes {
				total += c.Count
			}
			if total != len(amounts) {
				t.Errorf("classes count %d areas, want %d", total, len(amounts))
			}
			if l.Specials[0].Status != SpecialNotComparable || *l.Specials[0].Count != 2 ||
				l.Specials[0].LabelNL != "Niet vergelijkbaar: grenzen gewijzigd" || l.Specials[0].Color == ColorNoData {
				t.Errorf("first special %+v, want not comparable, 2 areas, its own colour", l.Specials[0])
			}
		})
	}
}

// checkSymmetric checks that the class bounds are symmetric around 0.
func checkSymmetric(t *testing.T, classes []Class) {
	t.Helper()
	var bounds []float64
	for _, c := range classes {
		bounds = append(bounds, c.Min)
	}
	bounds = append(bounds, classes[len(classes)-1].Max)
	for i, b := range bounds {
		if mirror := bounds[len(bounds)-1-i]; b != -mirror {
			t.Fatalf("bounds %v are not symmetric around 0", bounds)
		}
	}
}

func TestChangeStyleTargets(t *testing.T) {
	f := fixture{level: catalog.Wijk, ind: bijstand(), group: buitenEuropa()}
	tests := []struct {
		target Target
		layer  string
	}{
		{TargetMapLibre, LayerNotComparable},
		{TargetQGIS, LayerNotComparableFill},
	}
	for _, tc := range tests {
		t.Run(string(tc.target), func(t *testing.T) {
			p := changeParams(f, -3, -1, 0.5, 2, 4)
			p.Target = tc.target
			st, err := Build(p)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(st.Layers, func(l Layer) bool { return l.ID == tc.layer }) {
				t.Errorf("no layer %s", tc.layer)
			}
			text := fmt.Sprint(st.Layers)
			if !strings.Contains(text, "get change") || strings.Contains(text, "get value") {
				t.Errorf("layers do not classify the change property: %s", text)
			}
		})
	}
}

func TestChangeStyleInvalid(t *testing.T) {
	f := fixture{level: catalog.Wijk, ind: bijstand(), group: buitenEuropa()}
	tests := []struct {
		name   string
		modify func(*Params)
	}{
		{"compare equals year", func(p *Params) { p.Compare = p.Year }},
		{"method equal interval", func(p *Params) { p.Method = MethodEqualInterval }},
		{"sequential palette", func(p *Params) { p.Palette = "Blues" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := changeParams(f, 1, 2)
			tc.modify(&p)
			if _, err := Build(p); !errors.Is(err, ErrInvalid) {
				t.Errorf("err %v, want ErrInvalid", err)
			}
		})
	}
}

func TestSymmetricBreaks(t *testing.T) {
	tests := []struct {
		name  string
		sizes []float64
		n     int
		want  Breaks
	}{
		{"none", nil, 2, nil},
		{"all zero", []float64{0, 0}, 2, Breaks{0, 0}},
		{"two per side", []float64{0, 1, 2, 3, 4, 5, 6, 7, 8}, 2, Breaks{-8, -5, -3, 3, 5, 8}},
		{"ties collapse", []float64{1, 1, 1, 1, 4}, 2, Breaks{-4, -1, 1, 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := symmetricBreaks(tc.sizes, tc.n, 1); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestChangeStyleNothingComparable builds a change map in which no area
// has a change, as for one gemeente whose boundaries changed: no classes,
// and the not-comparable entry still explains the map.
func TestChangeStyleNothingComparable(t *testing.T) {
	for _, target := range []Target{TargetMapLibre, TargetQGIS} {
		t.Run(string(target), func(t *testing.T) {
			f := fixture{level: catalog.Gemeente, ind: bijstand(), group: buitenEuropa()}
			p := f.params(f.oks(4.2), ptr(5))
			p.Compare, p.Target = 2022, target
			p.Changes = []Change{{Status: store.NotComparable}}
			st, err := Build(p)
			if err != nil {
				t.Fatal(err)
			}
			if l := st.Metadata.Legend; len(l.Classes) != 0 || !slices.ContainsFunc(l.Specials, func(s Special) bool { return s.Status == string(store.NotComparable) }) {
				t.Errorf("classes %+v, specials %+v: want no classes and the not-comparable entry", l.Classes, l.Specials)
			}
		})
	}
}
