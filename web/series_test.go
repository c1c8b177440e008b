package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// seriesDoc is an /api/series answer.
type seriesDoc struct {
	Level         string `json:"level"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Unit          string `json:"unit"`
	ReferenceYear int    `json:"reference_year"`
	Series        []struct {
		Year         int      `json:"year"`
		Value        *float64 `json:"value"`
		Status       string   `json:"status"`
		BoundaryYear int      `json:"boundary_year"`
		Comparable   bool     `json:"comparable"`
		Code         *string  `json:"code"`
		Name         *string  `json:"name"`
	} `json:"series"`
}

// seriesWant is one expected entry: its code ("" for null), status,
// comparable and value (negative for null).
type seriesWant struct {
	code       string
	status     string
	comparable bool
	value      float64
}

func TestSeries(t *testing.T) {
	srv := newYearsServer(t)
	tests := []struct {
		name, query string
		refYear     int
		want        []seriesWant // 2021, 2022, 2024
	}{
		{"same area", "level=gemeente&code=GM0001", 2024, []seriesWant{
			{"GM0001", "ok", true, 5.0}, {"GM0001", "ok", true, 4.0}, {"GM0001", "ok", true, 3.5}}},
		{"renamed: the earlier code, comparable", "level=gemeente&code=GM0005", 2024, []seriesWant{
			{"GM0002", "ok", true, 6.0}, {"GM0002", "suppressed", true, -1}, {"GM0005", "ok", true, 7.0}}},
		{"an old code: its successor, comparable", "level=gemeente&code=GM0002", 2022, []seriesWant{
			{"GM0002", "ok", true, 6.0}, {"GM0002", "suppressed", true, -1}, {"GM0005", "ok", true, 7.0}}},
		{"grown by a merger: same code, not comparable", "level=gemeente&code=GM0003", 2024, []seriesWant{
			{"GM0003", "ok", false, 8.0}, {"GM0003", "ok", false, 8.2}, {"GM0003", "ok", true, 9.0}}},
		{"new by a merger: not comparable before", "level=gemeente&code=GM0008", 2024, []seriesWant{
			{"", "not_comparable", false, -1}, {"", "not_comparable", false, -1}, {"GM0008", "suppressed", true, -1}}},
		{"Nederland, always comparable", "level=nederland&code=NL01&group=totaal", 2024, []seriesWant{
			{"NL01", "ok", true, 5.5}, {"NL01", "ok", true, 5.2}, {"NL01", "ok", true, 5.0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var doc seriesDoc
			serveJSON(t, srv, "/api/series?indicator=pct_bijstand&"+tc.query, &doc)
			if doc.ReferenceYear != tc.refYear || doc.Unit != "percentage" || len(doc.Series) != len(tc.want) {
				t.Fatalf("reference year %d, unit %s, %d entries; want %d, percentage, %d", doc.ReferenceYear, doc.Unit, len(doc.Series), tc.refYear, len(tc.want))
			}
			for i, w := range tc.want {
				e := doc.Series[i]
				code := ""
				if e.Code != nil {
					code = *e.Code
				}
				value := -1.0
				if e.Value != nil {
					value = *e.Value
				}
				if code != w.code || e.Status != w.status || e.Comparable != w.comparable || value != w.value {
					t.Errorf("%d: code %q status %s comparable %v value %v; want %q %s %v %v",
						e.Year, code, e.Status, e.Comparable, value, w.code, w.status, w.comparable, w.value)
				}
			}
			if y := doc.Series[0]; y.Year != 2021 || y.BoundaryYear != 2022 && doc.Level != "nederland" {
				t.Errorf("first entry year %d on boundaries of %d, want 2021 on 2022", y.Year, y.BoundaryYear)
			}
		})
	}
}

func TestSeriesCSV(t *testing.T) {
	srv := newYearsServer(t)
	tests := []struct {
		name   string
		target string
		header []string
	}{
		{"format", "/api/series?level=gemeente&code=GM0005&indicator=pct_bijstand&format=csv", nil},
		{"accept", "/api/series?level=gemeente&code=GM0005&indicator=pct_bijstand", []string{"Accept", "text/csv"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := serveTo(t, srv, tc.target, tc.header...)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("%d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
			}
			rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := [][]string{
				{"jaar", "code", "waarde", "status", "grensjaar", "vergelijkbaar"},
				{"2021", "GM0002", "6", "ok", "2022", "ja"},
				{"2022", "GM0002", "", "suppressed", "2022", "ja"},
				{"2024", "GM0005", "7", "ok", "2024", "ja"},
			}
			if len(rows) != len(want) {
				t.Fatalf("%d rows, want %d", len(rows), len(want))
			}
			col := make(map[string]int)
			for i, name := range rows[0] {
				col[name] = i
			}
			for i, w := range want[1:] {
				for j, name := range want[0] {
					if got := rows[i+1][col[name]]; got != w[j] {
						t.Errorf("row %d %s = %q, want %q", i+1, name, got, w[j])
					}
				}
			}
		})
	}
}

func TestSeriesBadInput(t *testing.T) {
	srv := newYearsServer(t)
	tests := []struct {
		query  string
		status int
		names  string
	}{
		{"level=gemeente&indicator=pct_bijstand", 400, "code"},
		{"level=gemeente&code=GM9999&indicator=pct_bijstand", 404, "code"},
		{"level=gemeente&code=WK000101&indicator=pct_bijstand", 400, "code"},
		{"level=auto&code=GM0001&indicator=pct_bijstand", 400, "level"},
		{"level=gemeente&code=GM0001&indicator=nope", 400, "indicator"},
		{"level=gemeente&code=GM0001&indicator=pct_bijstand&group=nope", 400, "group"},
		{"level=gemeente&code=GM0001&indicator=pct_bijstand&year=2022", 400, "year"},
		{"level=nederland&code=GM0001&indicator=pct_bijstand", 400, "code"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res, body := serveTo(t, srv, "/api/series?"+tc.query)
			if res.StatusCode != tc.status || !strings.Contains(string(body), tc.names) {
				t.Errorf("%d %s; want %d naming %s", res.StatusCode, body, tc.status, tc.names)
			}
		})
	}
}

// TestSeriesDemoMergers follows the real mergers in the demo data, when it
// holds the value years 2019–2024: Weesp into Amsterdam (boundaries of
// 2023) and Brielle, Hellevoetsluis and Westvoorne into Voorne aan Zee.
func TestSeriesDemoMergers(t *testing.T) {
	st, err := demoServer.state(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if years := st.levelYears("gemeente"); len(years) < 6 || years[0] != 2019 || years[len(years)-1] != 2024 {
		t.Skipf("the demo has gemeente values of %v, not 2019–2024", years)
	}
	tests := []struct {
		code string
		// want says per year what an entry should be: "c" comparable,
		// "n" not comparable with a value of the same code, "x"
		// not_comparable.
		want map[int]string
	}{
		{"GM0363", map[int]string{2019: "n", 2020: "n", 2021: "n", 2022: "n", 2023: "c", 2024: "c"}},
		{"GM0384", map[int]string{2019: "c", 2020: "c", 2021: "c", 2022: "c", 2023: "c", 2024: "c"}},
		{"GM1992", map[int]string{2019: "x", 2020: "x", 2021: "x", 2022: "x", 2023: "c", 2024: "c"}},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			var doc seriesDoc
			res, body := get(t, "/api/series?level=gemeente&indicator=pct_bijstand&code="+tc.code)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", res.StatusCode, body)
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.ReferenceYear != 2024 || len(doc.Series) != len(tc.want) {
				t.Fatalf("reference year %d, %d entries", doc.ReferenceYear, len(doc.Series))
			}
			for _, e := range doc.Series {
				got := "c"
				switch {
				case e.Status == "not_comparable":
					got = "x"
				case !e.Comparable:
					got = "n"
				}
				if got != tc.want[e.Year] || (got == "x") != (e.Code == nil) {
					t.Errorf("%d: %s (status %s, code %v), want %s", e.Year, got, e.Status, e.Code, tc.want[e.Year])
				}
			}
		})
	}
}
