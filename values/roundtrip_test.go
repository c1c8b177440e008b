package values_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/values"
)

// value returns a store.Value of the level of code.
func value(year int, code, indicator, group string, v, num, den *float64, obs int, prov store.Provenance) store.Value {
	level, err := catalog.LevelOfCode(code)
	if err != nil {
		panic(err)
	}
	out := store.Value{Level: level, Year: year, Code: code, Indicator: indicator, Group: group, Observations: obs, Provenance: prov}
	if v != nil {
		out.Value = store.NullFloat(*v)
	}
	if num != nil {
		out.Numerator = store.NullFloat(*num)
	}
	if den != nil {
		out.Denominator = store.NullFloat(*den)
	}
	return out
}

// f returns a pointer to x.
func f(x float64) *float64 { return &x }

// roundTrip writes vs with a Writer and reads them back.
func roundTrip(t *testing.T, vs []store.Value, opt values.Options) ([]values.Row, string) {
	t.Helper()
	var buf bytes.Buffer
	w := values.NewWriter(&buf)
	for _, v := range vs {
		if err := w.Write(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := values.Read(bytes.NewReader(buf.Bytes()), opt)
	if err != nil {
		t.Fatalf("reading back what Writer wrote: %v\n%s", err, buf.String())
	}
	return rows, buf.String()
}

// TestRoundTrip checks that what Writer writes, Read gives back exactly.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		v    store.Value
	}{
		{"Nederland count", value(2023, "NL01", "inwoners", "totaal", f(17590672), f(17590672), nil, 17590672, store.CBS)},
		{"gemeente percentage with counts", value(2023, "GM0344", "pct_bijstand", "marokko", f(100*49.0/400), f(49), f(400), 49, store.Demo)},
		{"no data", value(2023, "WK034401", "pct_bijstand", "totaal", nil, nil, nil, -1, store.CBS)},
		{"no data with observations", value(2023, "WK034402", "pct_bijstand", "polen", nil, nil, nil, 3, store.Demo)},
		{"alphanumeric wijk, per 1000, full precision", value(2023, "WK03440A", "verdachten", "polen", f(1000*7.0/3000), f(7), f(3000), 0, store.Demo)},
		{"empty group", value(2023, "WK03440A", "verdachten", "iran", f(0), f(0), f(0), 0, store.Demo)},
		{"not split", value(2023, "GM0344", "segregatie_index", "totaal", f(31.2), nil, nil, -1, store.CBS)},
		{"score with sum and count", value(2022, "GM0344", "cito_score", "totaal", f(534.1234567891234), f(5341234.567891234), f(10000), 10000, store.Demo)},
		{"tiny percentage", value(2023, "NL01", "pct_vve", "eritrea", f(100*1/1e9), f(1), f(1e9), 1000000000, store.Demo)},
		{"unknown observations", value(2023, "NL01", "pct_laag_inkomen", "totaal", f(8.3), nil, nil, -1, store.CBS)},
	}
	var vs []store.Value
	for _, tt := range tests {
		vs = append(vs, tt.v)
	}
	rows, text := roundTrip(t, vs, testOptions(t))
	if len(rows) != len(tests) {
		t.Fatalf("got %d rows, want %d:\n%s", len(rows), len(tests), text)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if rows[i].Line != i+2 {
				t.Errorf("line %d, want %d", rows[i].Line, i+2)
			}
			if rows[i].Value != tt.v {
				t.Errorf("got  %+v\nwant %+v", rows[i].Value, tt.v)
			}
		})
	}
	if !strings.HasPrefix(text, "year,code,indicator,group,value,numerator,denominator,observations,provenance\n") {
		t.Errorf("no header:\n%s", text)
	}
}

// TestWriterEmpty checks that a Writer with nothing to write still writes
// a header, so that its output reads as an empty file of values.
func TestWriterEmpty(t *testing.T) {
	rows, text := roundTrip(t, nil, testOptions(t))
	if len(rows) != 0 || text != "year,code,indicator,group,value,numerator,denominator,observations,provenance\n" {
		t.Errorf("got %d rows from %q", len(rows), text)
	}
}

// TestWriterRefuses checks that Writer refuses values Read would not give
// back as they are.
func TestWriterRefuses(t *testing.T) {
	good := value(2023, "GM0344", "pct_bijstand", "totaal", f(3.5), nil, nil, -1, store.CBS)
	tests := []struct {
		name   string
		change func(*store.Value)
	}{
		{"level not of code", func(v *store.Value) { v.Level = catalog.Wijk }},
		{"malformed code", func(v *store.Value) { v.Code = "GM34" }},
		{"no provenance", func(v *store.Value) { v.Provenance = "" }},
		{"NaN", func(v *store.Value) { v.Value = store.NullFloat(math.NaN()) }},
		{"infinite denominator", func(v *store.Value) { v.Denominator = store.NullFloat(math.Inf(1)) }},
		{"observations below -1", func(v *store.Value) { v.Observations = -2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := good
			tt.change(&v)
			var buf bytes.Buffer
			if err := values.NewWriter(&buf).Write(v); err == nil {
				t.Errorf("Write(%+v) = nil, want an error", v)
			}
		})
	}
}

// TestSemicolonDecimalComma checks the file a Dutch Excel writes: a byte
// order mark, ';' between fields, decimal commas, CRLF line ends.
func TestSemicolonDecimalComma(t *testing.T) {
	rows, err := readFile(t, "good_semicolon_bom.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Value{
		value(2023, "GM0344", "pct_bijstand", "totaal", f(3.5), f(35), f(1000), 1000, store.CBS),
		value(2023, "WK034401", "pct_bijstand", "marokko", f(12.25), f(49), f(400), 400, store.Demo),
		value(2023, "NL01", "verdachten", "totaal", f(9.1), f(1599), f(175712), 175712, store.CBS),
		value(2023, "GM0344", "inwoners", "totaal", f(361924), nil, nil, 361924, store.CBS),
		value(2023, "GM0344", "segregatie_index", "totaal", f(31.2), nil, nil, -1, store.CBS),
		value(2023, "WK034402", "pct_bijstand", "polen", nil, nil, nil, -1, store.CBS),
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		if rows[i].Value != w || rows[i].Line != i+2 {
			t.Errorf("line %d: got  %+v\nwant %+v", rows[i].Line, rows[i].Value, w)
		}
	}
}

// TestObservationsDefault checks the observations of a row that gives
// none: the denominator of a ratio, the value of a count, else unknown.
func TestObservationsDefault(t *testing.T) {
	tests := []struct {
		name string
		row  string // indicator,value,numerator,denominator,observations
		want int
	}{
		{"percentage with denominator", "pct_bijstand,12.25,49,400,", 400},
		{"per 1000 with denominator", "verdachten,2.3,7,3000,", 3000},
		{"fractional denominator rounds down", "pct_bijstand,50,6.35,12.7,", 12},
		{"percentage without denominator", "pct_bijstand,12.25,,,", -1},
		{"count", "inwoners,120,,,", 120},
		{"count without value", "inwoners,,,,", -1},
		{"score with denominator: the pupils", "cito_score,534.2,5342,10,", 10},
		{"index", "segregatie_index,31.2,,,", -1},
		{"given", "pct_bijstand,12.25,49,400,7", 7},
		{"given unknown", "pct_bijstand,12.25,49,400,-1", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			csv := "year,code,indicator,value,numerator,denominator,observations\n2023,GM0344," + tt.row + "\n"
			rows, err := values.Read(strings.NewReader(csv), values.Options{Catalog: testCatalog(t)})
			if err != nil {
				t.Fatal(err)
			}
			if got := rows[0].Value.Observations; got != tt.want {
				t.Errorf("observations %d, want %d", got, tt.want)
			}
		})
	}
}

// TestReadFailures checks the errors that are not about a line.
func TestReadFailures(t *testing.T) {
	if _, err := values.Read(strings.NewReader("year,code,indicator,value\n"), values.Options{}); err == nil {
		t.Error("no error without a catalogue")
	}
	broken := errors.New("disk on fire")
	_, err := values.Read(errReader{broken}, values.Options{Catalog: testCatalog(t)})
	var errs values.Errors
	if !errors.Is(err, broken) || errors.As(err, &errs) {
		t.Errorf("got %v, want the read error, not problems with lines", err)
	}
	rows, err := values.Read(strings.NewReader("year,code,indicator,value\n"), values.Options{Catalog: testCatalog(t)})
	if err != nil || len(rows) != 0 {
		t.Errorf("header only: got %d rows, %v; want none and no error", len(rows), err)
	}
}

// errReader fails every read.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestDemoRoundTrip exports a sample of the embedded demo data and imports
// it, checking that the demo model's values pass every rule and come back
// exactly. (The whole demo, 2.7 million values, is what BenchmarkRead is
// sized after.)
func TestDemoRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo data")
	}
	cat := testCatalog(t)
	d, err := demo.Load(cat)
	if err != nil {
		t.Fatal(err)
	}
	areas := make(map[string]bool)
	for _, a := range d.Areas {
		areas[a.Code] = true
	}
	var vs []store.Value
	i := 0
	for v := range d.Values(demo.BaseYear) {
		// Every 37th value samples every indicator, group and level.
		if i%37 == 0 {
			vs = append(vs, v)
		}
		i++
	}
	opt := values.Options{Catalog: cat, AreaExists: func(year int, _ catalog.Level, code string) bool {
		return year == demo.BaseYear && areas[code]
	}}
	rows, _ := roundTrip(t, vs, opt)
	for i, r := range rows {
		if r.Value != vs[i] {
			t.Fatalf("line %d: got  %+v\nwant %+v", r.Line, r.Value, vs[i])
		}
	}
}

// TestFormatExamples checks that the examples in FORMAT.md read.
func TestFormatExamples(t *testing.T) {
	doc, err := os.ReadFile("FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(doc), "```csv\n")[1:]
	if len(blocks) == 0 {
		t.Fatal("no csv examples in FORMAT.md")
	}
	for i, b := range blocks {
		example, _, _ := strings.Cut(b, "```")
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			rows, err := values.Read(strings.NewReader(example), testOptions(t))
			if err != nil || len(rows) != strings.Count(example, "\n")-1 {
				t.Errorf("got %d rows, %v from\n%s", len(rows), err, example)
			}
		})
	}
}
