package values_test

import (
	"bytes"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/values"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testCatalog returns the catalogue that ships with wijkkaart.
func testCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// testAreas says which areas have boundaries in the test files' years.
func testAreas(year int, level catalog.Level, code string) bool {
	known := map[int]string{
		2022: "GM0344",
		2023: "GM0344 GM0363 GM0599 GM0518 GM0014 GM0034 GM0307 GM0153 GM0202 WK034401 WK034402 WK03440A",
	}
	for _, c := range strings.Fields(known[year]) {
		if c == code {
			return true
		}
	}
	return false
}

// testOptions are the options the testdata files are read with.
func testOptions(t testing.TB) values.Options {
	return values.Options{Catalog: testCatalog(t), AreaExists: testAreas}
}

// readFile reads a testdata file.
func readFile(t *testing.T, name string) ([]values.Row, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return values.Read(bytes.NewReader(b), testOptions(t))
}

// describeRows spells out rows, one per line, for golden files.
func describeRows(rows []values.Row) string {
	var b strings.Builder
	for _, r := range rows {
		v := r.Value
		fmt.Fprintf(&b, "line %d: %d %s %s %s %s value=%s numerator=%s denominator=%s observations=%d %s\n",
			r.Line, v.Year, v.Level, v.Code, v.Indicator, v.Group,
			describeNull(v.Value), describeNull(v.Numerator), describeNull(v.Denominator), v.Observations, v.Provenance)
	}
	return b.String()
}

// describeNull spells out an optional number.
func describeNull(n sql.Null[float64]) string {
	if !n.Valid {
		return "none"
	}
	return strconv.FormatFloat(n.V, 'f', -1, 64)
}

// TestGolden reads every testdata/*.csv and compares what Read says with
// the golden file next to it: .errors holds the error message a user sees,
// .rows the rows of a good file. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			rows, err := readFile(t, name)
			got, ext := describeRows(rows), ".rows"
			if err != nil {
				got, ext = err.Error()+"\n", ".errors"
			}
			if strings.HasPrefix(name, "bad_") != (ext == ".errors") {
				t.Errorf("%s: want an error only for bad_ files, got %q", name, got)
			}
			golden := strings.TrimSuffix(path, ".csv") + ext
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant (%s):\n%s", got, golden, want)
			}
		})
	}
}

// at is where a problem is expected: line and column, and the offending
// text.
type at struct {
	line         int
	column, text string
}

// TestErrorKinds checks that each kind of problem is reported on exactly
// the expected lines and columns; the reasons are checked by TestGolden.
func TestErrorKinds(t *testing.T) {
	tests := []struct {
		file string
		want []at
	}{
		{"bad_empty.csv", []at{{1, "", ""}}},
		{"bad_utf16.csv", []at{{1, "", ""}}},
		{"bad_header_none.csv", []at{{1, "", ""}}},
		{"bad_header_missing.csv", []at{{1, "", "indicatr"}, {1, "indicator", ""}, {1, "value", ""}}},
		{"bad_header_duplicate.csv", []at{{1, "value", "VALUE"}, {1, "", ""}}},
		{"bad_field_count.csv", []at{{2, "", ""}, {4, "", ""}}},
		{"bad_quote.csv", []at{{2, "", ""}}},
		{"bad_year.csv", []at{{2, "year", "23"}, {3, "year", "20x3"}, {4, "year", "1850"}, {5, "year", ""}}},
		{"bad_code.csv", []at{{2, "code", "GM034"}, {3, "code", "XX0344"}, {4, "code", "gm0344"}, {5, "code", "NL02"}, {6, "code", ""}}},
		{"bad_area_unknown.csv", []at{{3, "code", "WK034499"}, {4, "code", "WK034402"}, {6, "code", "GM9999"}, {7, "code", "GM9999"}}},
		{"bad_indicator.csv", []at{{2, "indicator", "pct_bijstnd"}, {3, "indicator", "PCT_BIJSTAND"}, {4, "indicator", ""}}},
		{"bad_group.csv", []at{{2, "group", "marokaans"}, {3, "group", "Marokko"}}},
		{"bad_split.csv", []at{{2, "group", "marokko"}}},
		{"bad_number.csv", []at{{2, "value", "abc"}, {3, "value", "4,5"}, {4, "value", "NaN"},
			{5, "numerator", "-Inf"}, {5, "denominator", "1e999"}, {6, "value", "0x1p-2"}}},
		{"bad_negative.csv", []at{{2, "numerator", "-5342"}, {3, "denominator", "-10"}, {4, "value", "-12"}}},
		{"bad_numerator_gt.csv", []at{{2, "numerator", "120"}, {3, "numerator", "1200"}}},
		{"bad_percentage_range.csv", []at{{2, "value", "101"}, {3, "value", "-0.1"}, {5, "value", "1000.5"}}},
		{"bad_inconsistent.csv", []at{{5, "value", "12.41"}, {6, "value", "13"}, {8, "value", "13.4"}}},
		{"bad_duplicate.csv", []at{{4, "", "2023,GM0344,pct_bijstand,totaal"}, {6, "", "2023,GM0344,pct_bijstand,totaal"}}},
		{"bad_observations.csv", []at{{2, "observations", "-2"}, {3, "observations", "1.5"}}},
		{"bad_provenance.csv", []at{{3, "provenance", "model"}}},
		{"bad_count_semicolon.csv", []at{{2, "value", "1.234"}, {3, "value", "-3"}, {4, "value", "1.234,5"}}},
		{"bad_many.csv", []at{{3, "value", "101"}, {4, "value", "abc"}, {5, "indicator", "pct_bijstnd"}, {7, "value", "5"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rows, err := readFile(t, tt.file)
			if rows != nil {
				t.Errorf("got %d rows from a bad file, want none", len(rows))
			}
			var errs values.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("got error %v (%T), want a values.Errors", err, err)
			}
			var got []at
			for _, e := range errs {
				got = append(got, at{e.Line, e.Column, e.Text})
				if e.Reason == "" {
					t.Errorf("%v: no reason", e)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got problems at\n%v\nwant\n%v\nfull message:\n%v", got, tt.want, err)
			}
		})
	}
}

// TestDuplicateNamesBothLines checks that a duplicate names the line of
// the first row in its message.
func TestDuplicateNamesBothLines(t *testing.T) {
	_, err := readFile(t, "bad_duplicate.csv")
	var errs values.Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("got %v, want two duplicates", err)
	}
	if got, want := errs[0].Error(), `line 4: "2023,GM0344,pct_bijstand,totaal": duplicate of line 2`; !strings.HasPrefix(got, want) {
		t.Errorf("got %q, want it to start with %q", got, want)
	}
}

// TestCollectsAll checks that every bad line of a file is reported, not
// only the first.
func TestCollectsAll(t *testing.T) {
	csv := "year,code,indicator,value\n" +
		"2023,GM0344,pct_bijstand,3.5\n" +
		"2023,GM0363,pct_bijstand,abc\n" +
		"2023,GM0599,pct_bijstand,4.5\n" +
		"202,GM0518,pct_bijstand,4.5\n" +
		"2023,GM0014,onbekend,4.5\n"
	_, err := values.Read(strings.NewReader(csv), values.Options{Catalog: testCatalog(t)})
	var errs values.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want a values.Errors", err)
	}
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
	}
	if want := []int{3, 5, 6}; !slices.Equal(lines, want) {
		t.Errorf("got problems on lines %v, want %v", lines, want)
	}
	want := "3 problems on 3 lines:\n" +
		`line 3: column value: "abc": not a number` + "\n" +
		`line 5: column year: "202": not a year: write the year as four digits, like 2023` + "\n" +
		`line 6: column indicator: "onbekend": unknown indicator; the ids are in the catalogue, catalog/indicators.json`
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant:\n%s", err, want)
	}
}

// badLines returns a CSV with n lines that each have a bad value.
func badLines(n int) string {
	var b strings.Builder
	b.WriteString("year,code,indicator,value\n")
	for i := range n {
		fmt.Fprintf(&b, "2023,GM%04d,pct_bijstand,x%d\n", i, i)
	}
	return b.String()
}

// TestMaxErrors checks that Read stops at Options.MaxErrors and says so.
func TestMaxErrors(t *testing.T) {
	tests := []struct {
		name      string
		lines     int
		max       int
		wantCount int
		wantNote  bool
	}{
		{"under the limit", 5, 10, 5, false},
		{"exactly the limit", 10, 10, 10, false},
		{"over the limit", 11, 10, 10, true},
		{"default limit", 1500, 0, 1000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := values.Read(strings.NewReader(badLines(tt.lines)), values.Options{Catalog: testCatalog(t), MaxErrors: tt.max})
			var errs values.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("got %v, want a values.Errors", err)
			}
			if len(errs) != tt.wantCount {
				t.Errorf("got %d problems, want %d", len(errs), tt.wantCount)
			}
			if got := strings.Contains(err.Error(), "stopped after"); got != tt.wantNote {
				t.Errorf("message says it stopped: %v, want %v", got, tt.wantNote)
			}
		})
	}
}

// TestErrorsMessage checks that a long list of problems is cut after 50.
func TestErrorsMessage(t *testing.T) {
	_, err := values.Read(strings.NewReader(badLines(120)), values.Options{Catalog: testCatalog(t)})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if got, want := len(lines), 1+50+1; got != want {
		t.Fatalf("message has %d lines, want %d:\n%s", got, want, err)
	}
	if lines[0] != "120 problems on 120 lines:" {
		t.Errorf("first line %q", lines[0])
	}
	if lines[50] != `line 51: column value: "x49": not a number` {
		t.Errorf("line 50 of the message: %q", lines[50])
	}
	if lines[51] != "... and 70 more" {
		t.Errorf("last line %q", lines[51])
	}
}

// TestLineError checks the message of one problem.
func TestLineError(t *testing.T) {
	tests := []struct {
		name string
		err  values.LineError
		want string
	}{
		{"full", values.LineError{Line: 12, Column: "value", Text: "abc", Reason: "not a number"}, `line 12: column value: "abc": not a number`},
		{"no text", values.LineError{Line: 1, Column: "value", Reason: "required column is missing from the header"}, "line 1: column value: required column is missing from the header"},
		{"line only", values.LineError{Line: 3, Reason: "has 3 fields but the header has 5"}, "line 3: has 3 fields but the header has 5"},
		{"long text", values.LineError{Line: 4, Column: "code", Text: strings.Repeat("x", 100), Reason: "bad"}, `line 4: column code: "` + strings.Repeat("x", 60) + `…": bad`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
