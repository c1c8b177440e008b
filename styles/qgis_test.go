package styles

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wijkkaart/wijkkaart/store"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in      string
		want    Target
		wantErr bool
	}{
		{"", TargetMapLibre, false},
		{"maplibre", TargetMapLibre, false},
		{"qgis", TargetQGIS, false},
		{"QGIS", "", true},
		{"arcgis", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseTarget(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func qgisParams() map[string]Params {
	out := make(map[string]Params)
	for name, p := range goldenParams() {
		p.Target = TargetQGIS
		out[name] = p
	}
	return out
}

func TestGoldenQGISStyles(t *testing.T) {
	for name, p := range qgisParams() {
		t.Run(name, func(t *testing.T) {
			s, err := Build(p)
			if err != nil {
				t.Fatal(err)
			}
			got := marshal(t, s)
			path := filepath.Join("testdata", name+".qgis.style.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./styles -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("style differs from %s (run go test ./styles -update after checking the change):\n%s", path, got)
			}
		})
	}
}

// TestQGISStyleIsConstant checks what QGIS 3.22 needs: no paint property
// is an expression, and every filter uses only comparisons of a property
// with a literal.
func TestQGISStyleIsConstant(t *testing.T) {
	for name, p := range qgisParams() {
		t.Run(name, func(t *testing.T) {
			s, err := Build(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range s.Layers {
				for key, v := range l.Paint {
					if _, ok := v.([]any); ok {
						t.Errorf("layer %s: paint %s is an expression: %v", l.ID, key, v)
					}
				}
				if err := checkSimpleFilter(l.Filter); l.Filter != nil && err != nil {
					t.Errorf("layer %s: %v", l.ID, err)
				}
			}
			if s.Metadata.Query.Target != TargetQGIS {
				t.Errorf("query target %q, want qgis", s.Metadata.Query.Target)
			}
		})
	}
}

func checkSimpleFilter(f []any) error {
	if len(f) == 0 {
		return fmt.Errorf("empty filter")
	}
	switch f[0] {
	case "all":
		for _, sub := range f[1:] {
			s, ok := sub.([]any)
			if !ok {
				return fmt.Errorf("all takes filters, got %v", sub)
			}
			if err := checkSimpleFilter(s); err != nil {
				return err
			}
		}
		return nil
	case "==", "!=", ">=", "<":
		get, ok := f[1].([]any)
		if len(f) != 3 || !ok || len(get) != 2 || get[0] != "get" {
			return fmt.Errorf("comparison %v is not of a property with a literal", f)
		}
		if _, isExpr := f[2].([]any); isExpr {
			return fmt.Errorf("comparison %v is not with a literal", f)
		}
		return nil
	}
	return fmt.Errorf("operator %v is not one QGIS 3.22 converts", f[0])
}

// evalFilter evaluates a filter of the kinds checkSimpleFilter allows on a
// feature's properties, as QGIS does: comparisons with a missing property
// are false.
func evalFilter(f []any, props map[string]any) bool {
	if f == nil {
		return true
	}
	if f[0] == "all" {
		for _, sub := range f[1:] {
			if !evalFilter(sub.([]any), props) {
				return false
			}
		}
		return true
	}
	v, ok := props[f[1].([]any)[1].(string)]
	if !ok {
		return false
	}
	switch f[0] {
	case "==":
		return v == f[2]
	case "!=":
		return v != f[2]
	case ">=":
		return v.(float64) >= f[2].(float64)
	case "<":
		return v.(float64) < f[2].(float64)
	}
	panic(fmt.Sprint("unknown operator ", f[0]))
}

// TestQGISFillsMatchLegend draws every value on the indicator's grid from
// below the first class to above the last, and every special status, and
// checks that exactly one fill layer of the QGIS style takes the feature,
// with the colour the MapLibre style's classes (the legend) give it.
func TestQGISFillsMatchLegend(t *testing.T) {
	for name, p := range qgisParams() {
		t.Run(name, func(t *testing.T) {
			s, err := Build(p)
			if err != nil {
				t.Fatal(err)
			}
			legend := s.Metadata.Legend
			fills := slices.DeleteFunc(slices.Clone(s.Layers), func(l Layer) bool { return l.Type != "fill" })
			check := func(props map[string]any, want string) {
				t.Helper()
				var got []string
				for _, l := range fills {
					if evalFilter(l.Filter, props) {
						got = append(got, l.Paint["fill-color"].(string))
					}
				}
				if len(got) != 1 || got[0] != want {
					t.Errorf("feature %v is filled %v, want only %s", props, got, want)
				}
			}
			inside := "GM0344"
			if p.Gemeente == nil {
				inside = "GM0363"
			}
			for _, sp := range legend.Specials {
				props := map[string]any{"status": sp.Status, "gemeente_code": inside}
				if sp.Status == SpecialOutside {
					props = map[string]any{"status": "ok", "value": 1.0, "gemeente_code": "GM0363"}
				}
				check(props, sp.Color)
			}
			if len(legend.Classes) == 0 {
				return
			}
			unit := math.Pow10(-p.Indicator.Decimals)
			lo, hi := legend.Classes[0].Min-3*unit, legend.Classes[len(legend.Classes)-1].Max+3*unit
			breaks := make(Breaks, 0, len(legend.Classes)+1)
			for _, c := range legend.Classes {
				breaks = append(breaks, c.Min)
			}
			breaks = append(breaks, legend.Classes[len(legend.Classes)-1].Max)
			for i := 0; ; i++ {
				v := roundTo(lo+float64(i)*unit, p.Indicator.Decimals)
				if v > hi {
					break
				}
				check(map[string]any{"status": string(store.OK), "value": v, "gemeente_code": inside},
					legend.Classes[breaks.Class(v)].Color)
			}
		})
	}
}
