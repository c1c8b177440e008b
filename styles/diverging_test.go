package styles

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
)

func TestDivergingLegend(t *testing.T) {
	values := []float64{2.1, 3.4, 4.0, 5.2, 6.8, 8.9, 9.5, 11.0, 14.2, 15.1, 19.7}
	const ref = 6.1
	tests := []struct {
		name string
		ind  catalog.Indicator
		// wantBelow is the side of the classes below the reference.
		wantBelow, wantAbove string
		wantLow, wantHigh    string
	}{
		{"higher is favourable", arbeid(), SideUnfavourable, SideFavourable,
			"ongunstiger dan gemiddeld in Nederland", "gunstiger dan gemiddeld in Nederland"},
		{"lower is favourable", bijstand(), SideFavourable, SideUnfavourable,
			"gunstiger dan gemiddeld in Nederland", "ongunstiger dan gemiddeld in Nederland"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fixture{level: catalog.Wijk, ind: tt.ind, group: buitenEuropa()}
			s, err := Build(f.params(f.oks(values...), ptr(ref)))
			if err != nil {
				t.Fatal(err)
			}
			l := s.Metadata.Legend
			if l.Kind != KindDiverging || l.Reference == nil || l.Reference.Value != ref {
				t.Fatalf("kind %s, reference %+v; want diverging around %v", l.Kind, l.Reference, ref)
			}
			atRef := slices.IndexFunc(l.Classes, func(c Class) bool { return c.Min == ref })
			if atRef < 1 {
				t.Fatalf("no class starts at the reference %v: %+v", ref, l.Classes)
			}
			pal, err := findPalette(KindDiverging, l.Palette)
			if err != nil {
				t.Fatal(err)
			}
			below, above := atRef, len(l.Classes)-atRef
			for i, c := range l.Classes {
				// Colours grow darker away from the reference: the class
				// nearest it takes the first colour of its half.
				wantSide, sideClasses, intensity := tt.wantAbove, above, i-atRef
				if i < atRef {
					wantSide, sideClasses, intensity = tt.wantBelow, below, atRef-1-i
				}
				if c.Side != wantSide {
					t.Errorf("class %d (%s): side %q, want %q", i, c.LabelNL, c.Side, wantSide)
				}
				if want := pal.side(sideClasses, wantSide == SideFavourable)[intensity]; c.Color != want {
					t.Errorf("class %d (%s): colour %s, want %s", i, c.LabelNL, c.Color, want)
				}
			}
			if l.Ends.LowNL != tt.wantLow || l.Ends.HighNL != tt.wantHigh {
				t.Errorf("ends %q / %q, want %q / %q", l.Ends.LowNL, l.Ends.HighNL, tt.wantLow, tt.wantHigh)
			}
			if n := total(l.Classes); n != len(values) {
				t.Errorf("classes count %d areas, want %d", n, len(values))
			}
		})
	}
}

func total(cs []Class) int {
	n := 0
	for _, c := range cs {
		n += c.Count
	}
	return n
}

func TestClassifyAround(t *testing.T) {
	tests := []struct {
		name    string
		values  []float64
		method  Method
		classes int
		manual  []float64
		ref     float64
		want    Breaks
	}{
		{"reference becomes a break", []float64{1, 2, 4, 7, 8, 10}, MethodCKMeans, 4, nil, 5, Breaks{1, 4, 5, 10, 10}},
		{"value equal to the reference lies above it", []float64{1, 2, 5, 9}, MethodCKMeans, 3, nil, 5, Breaks{1, 5, 9, 9}},
		{"all values above the reference", []float64{6, 6.5, 7, 10, 10.5, 14, 15}, MethodCKMeans, 7, nil, 5, Breaks{6, 10, 14, 15}},
		{"all values below the reference", []float64{1, 2, 3}, MethodQuantile, 5, nil, 5, Breaks{1, 2, 3, 3}},
		{"reference at the minimum", []float64{5, 6, 9}, MethodCKMeans, 3, nil, 5, Breaks{5, 6, 9, 9}},
		{"at most three classes a side", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, MethodEqualInterval, 7, nil, 10.5, Breaks{1, 4, 7, 10.5, 11.5, 12}},
		{"quantile splits by count", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 20}, MethodQuantile, 4, nil, 9.5, Breaks{1, 4, 7, 9.5, 20}},
		{"manual breaks on their side", []float64{1, 3, 5, 7, 9}, MethodManual, 0, []float64{2, 8}, 6, Breaks{1, 2, 6, 8, 9}},
		{"reference is rounded", []float64{1, 2, 8, 9}, MethodCKMeans, 3, nil, 5.04, Breaks{1, 5, 9, 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := classifyAround(tt.values, tt.method, tt.classes, 1, tt.manual, tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("breaks = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClassifyAroundManualTooManyOnOneSide(t *testing.T) {
	_, err := classifyAround([]float64{1, 2, 3, 4, 5, 9}, MethodManual, 0, 0, []float64{2, 3, 4, 5}, 8)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "at most 3") {
		t.Errorf("error %v, want an ErrInvalid about at most 3 classes a side", err)
	}
}

func TestEvaluativeWithoutReferenceFallsBackToSequential(t *testing.T) {
	f := fixture{level: catalog.Wijk, ind: bijstand(), group: buitenEuropa()}
	p := f.params(f.oks(1, 2, 3, 4, 5, 6), nil)
	p.Palette = "PuOr" // a diverging palette is valid for the indicator
	s, err := Build(p)
	if err != nil {
		t.Fatal(err)
	}
	l := s.Metadata.Legend
	if l.Kind != KindSequential || l.Reference != nil || l.Palette != DefaultPalette(KindSequential) {
		t.Errorf("kind %s, reference %v, palette %s; want sequential %s without reference",
			l.Kind, l.Reference, l.Palette, DefaultPalette(KindSequential))
	}
	if l.Ends.LowNL != "lager" || l.Ends.HighNL != "hoger" {
		t.Errorf("ends %q / %q, want lager / hoger", l.Ends.LowNL, l.Ends.HighNL)
	}
	if len(l.Notes) != 1 || !strings.Contains(l.Notes[0].NL, "geen landelijk gemiddelde") {
		t.Errorf("notes %+v, want one explaining the missing national average", l.Notes)
	}
	for _, c := range l.Classes {
		if c.Side != "" {
			t.Errorf("class %s has side %q in a sequential legend", c.LabelNL, c.Side)
		}
	}
}
