package styles_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/styles"
)

var updateReal = flag.Bool("update-real", false, "rewrite testdata/real/*.json from the real CBS figures")

// realFigures returns, per indicator and gemeente, the real CBS figures
// (provenance cbs) of its wijken, from the embedded data.
func realFigures(t *testing.T) map[string]map[string][]float64 {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := demo.Load(cat)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]map[string][]float64)
	for v := range ds.Values(demo.BaseYear) {
		if v.Level != catalog.Wijk || v.Provenance != store.CBS || !v.Value.Valid {
			continue
		}
		gm, err := catalog.GemeenteOf(v.Code)
		if err != nil {
			t.Fatal(err)
		}
		if out[v.Indicator] == nil {
			out[v.Indicator] = make(map[string][]float64)
		}
		out[v.Indicator][gm] = append(out[v.Indicator][gm], v.Value.V)
	}
	return out
}

// TestClassifyRealData classifies real CBS figures of 2022 per wijk (not
// demo figures) with every method and compares the breaks with golden
// files, written with -update-real and reviewed by hand.
func TestClassifyRealData(t *testing.T) {
	cases := []struct {
		indicator string
		decimals  int
		gemeenten []string
	}{
		{"inwoners", 0, []string{"GM0363", "GM0599", "GM0344", "GM0479"}},
		{"pct_inkomsten_arbeid", 1, []string{"GM0363", "GM0599", "GM0344", "GM0479"}},
		{"pct_leeftijd_65plus", 1, []string{"GM0363", "GM0599"}},
	}
	real := realFigures(t)
	for _, c := range cases {
		figures := real[c.indicator]
		for _, gm := range c.gemeenten {
			for _, m := range styles.Methods() {
				if m == styles.MethodManual {
					continue
				}
				name := fmt.Sprintf("%s-%s-%s", c.indicator, gm, m)
				t.Run(name, func(t *testing.T) {
					values := figures[gm]
					if len(values) < 5 {
						t.Fatalf("only %d real figures", len(values))
					}
					breaks, err := styles.Classify(values, m, 5, c.decimals, nil)
					if err != nil {
						t.Fatal(err)
					}
					checkGolden(t, filepath.Join("testdata", "real", name+".json"), map[string]any{"areas": len(values), "breaks": breaks})
				})
			}
		}
	}
}

func checkGolden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *updateReal {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (write it with -update-real)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s:\ngot  %s\nwant %s", path, got, want)
	}
}
