package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/styles"
)

// changeWant is what a change map's feature should say: its status, and
// its change, or NaN for none.
type changeWant struct {
	status string
	change float64
}

func TestCompareTiles(t *testing.T) {
	srv := newYearsServer(t)
	none := math.NaN()
	tests := []struct {
		name, query string
		want        map[string]changeWant
	}{
		{"2021–2024: across boundary years", "year=2024&compare=2021", map[string]changeWant{
			"GM0001": {"ok", -1.5},
			"GM0005": {"ok", 1.0}, // renamed: the base value of GM0002
			"GM0003": {"not_comparable", none},
			"GM0008": {"not_comparable", none},
		}},
		{"2022–2024: a suppressed base value", "year=2024&compare=2022", map[string]changeWant{
			"GM0001": {"ok", -0.5},
			"GM0005": {"suppressed", none},
			"GM0003": {"not_comparable", none},
			"GM0008": {"not_comparable", none},
		}},
		{"2022–2021: same boundary year, backwards", "year=2021&compare=2022", map[string]changeWant{
			"GM0001": {"ok", 1.0},
			"GM0002": {"suppressed", none},
			"GM0003": {"ok", -0.2},
			"GM0006": {"ok", -0.1},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			features := yearsTile(t, srv, "indicator=pct_bijstand&"+tc.query)
			for code, w := range tc.want {
				f, ok := features[code]
				if !ok {
					t.Fatalf("no feature %s among %d", code, len(features))
				}
				change, has := f["change"].(float64)
				if f["status"] != w.status || has != !math.IsNaN(w.change) || (has && math.Abs(change-w.change) > 1e-9) {
					t.Errorf("%s: status %v change %v; want %s %v", code, f["status"], f["change"], w.status, w.change)
				}
			}
		})
	}
}

// TestChangeDisclosesNothing decodes every change tile of the store and
// checks that a change exists only where both values are published, and
// that value − change gives back exactly the published base value.
func TestChangeDisclosesNothing(t *testing.T) {
	srv := newYearsServer(t)
	years := []int{2021, 2022, 2024}
	for _, year := range years {
		for _, base := range years {
			if base == year {
				continue
			}
			q := "indicator=pct_bijstand&year=" + strconv.Itoa(year) + "&compare=" + strconv.Itoa(base)
			t.Run(q, func(t *testing.T) {
				for code, f := range yearsTile(t, srv, q) {
					checkChangeFeature(t, code, f, year, base)
				}
			})
		}
	}
}

// checkChangeFeature checks one feature of a change tile against the
// published values.
func checkChangeFeature(t *testing.T, code string, f map[string]any, year, base int) {
	t.Helper()
	published := func(y int, c string) (float64, bool) {
		v, ok := yearsValues[y][c]
		return v, ok && v >= 0
	}
	change, hasChange := f["change"].(float64)
	value, hasValue := f["value"].(float64)
	baseValue, hasBase := f["base_value"].(float64)
	if v, ok := published(year, code); hasValue != ok || (ok && v != value) {
		t.Errorf("%s: value %v, published %v", code, f["value"], v)
	}
	if !hasChange {
		if f["status"] == "ok" {
			t.Errorf("%s: status ok without a change", code)
		}
		return
	}
	if f["status"] != "ok" || !hasValue || !hasBase {
		t.Errorf("%s: a change with status %v, value %v, base value %v", code, f["status"], f["value"], f["base_value"])
		return
	}
	found := false
	for c, v := range yearsValues[base] {
		if p, ok := published(base, c); ok && math.Abs(value-change-p) < 1e-9 && p == baseValue && v == p {
			found = true
		}
	}
	if !found {
		t.Errorf("%s: value %v − change %v = %v is no published base value", code, value, change, value-change)
	}
}

func TestCompareBadInput(t *testing.T) {
	srv := newYearsServer(t)
	tile := "/tiles/gemeente/10/526/338.mvt?indicator=pct_bijstand&"
	tests := []struct {
		target string
		status int
		names  string
	}{
		{tile + "year=2024&compare=2024", 400, "compare"},
		{tile + "year=2024&compare=1999", 400, "compare"},
		{tile + "year=2024&compare=20x1", 400, "compare"},
		{"/tiles/wijk/10/526/338.mvt?indicator=pct_bijstand&year=2022&compare=2024", 400, "compare"},
		{"/tiles/wijk/10/526/338.mvt?indicator=pct_bijstand&year=2024", 400, "year"},
		{"/tiles/wijk.json?indicator=pct_bijstand&year=2021", 400, "year"},
		{"/styles/gemeente.json?indicator=pct_bijstand&year=2024&compare=2024", 400, "compare"},
		{"/api/legend?level=gemeente&indicator=pct_bijstand&year=2024&compare=2021&method=manual&breaks=1,2", 400, "compare"},
		{"/styles/gemeente.qml?indicator=pct_bijstand&year=2024&compare=2021", 400, "compare"},
		{"/api/values?level=gemeente&indicator=pct_bijstand&year=2024&compare=2021", 400, "compare"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			res, body := serveTo(t, srv, tc.target)
			if res.StatusCode != tc.status || !strings.Contains(string(body), tc.names) {
				t.Errorf("%d %s; want %d naming %s", res.StatusCode, body, tc.status, tc.names)
			}
		})
	}
}

func TestCompareETag(t *testing.T) {
	srv := newYearsServer(t)
	tags := make(map[string]string)
	for _, q := range []string{"year=2024", "year=2024&compare=2021", "year=2024&compare=2022"} {
		res, body := serveTo(t, srv, "/tiles/gemeente/10/526/338.mvt?indicator=pct_bijstand&"+q)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", q, res.StatusCode, body)
		}
		tag := res.Header.Get("ETag")
		for other, o := range tags {
			if o == tag {
				t.Errorf("%s and %s share ETag %s", q, other, tag)
			}
		}
		tags[q] = tag
	}
}

func TestCompareLegendAndStyle(t *testing.T) {
	srv := newYearsServer(t)
	tests := []struct {
		name, target string
		layer        string
	}{
		{"maplibre", "/styles/gemeente.json?indicator=pct_bijstand&year=2024&compare=2021", styles.LayerNotComparable},
		{"qgis", "/styles/gemeente.json?indicator=pct_bijstand&year=2024&compare=2021&target=qgis", styles.LayerNotComparableFill},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var st styles.Style
			serveJSON(t, srv, tc.target, &st)
			l := st.Metadata.Legend
			if l.TitleNL != "Verandering 2021–2024 (procentpunt)" || l.Compare != 2021 || l.Kind != styles.KindDiverging {
				t.Errorf("legend %q compare %d kind %s", l.TitleNL, l.Compare, l.Kind)
			}
			if l.Specials[0].Status != styles.SpecialNotComparable || *l.Specials[0].Count != 2 {
				t.Errorf("first special %+v, want 2 not comparable", l.Specials[0])
			}
			if !slices.ContainsFunc(st.Layers, func(ly styles.Layer) bool { return ly.ID == tc.layer }) {
				t.Errorf("no layer %s", tc.layer)
			}
			if !strings.Contains(st.Sources.Wijkkaart.URL, "compare=2021") {
				t.Errorf("TileJSON URL %s lacks compare", st.Sources.Wijkkaart.URL)
			}
			// pct_bijstand: lower is favourable, so the largest rise is unfavourable.
			if last := l.Classes[len(l.Classes)-1]; last.Side != styles.SideUnfavourable || last.Min <= 0 {
				t.Errorf("last class %+v, want a rise on the unfavourable side", last)
			}
		})
	}
	var legend styles.Legend
	serveJSON(t, srv, "/api/legend?level=gemeente&indicator=pct_bijstand&year=2024&compare=2021", &legend)
	if legend.Compare != 2021 || legend.TitleEN != "Change 2021–2024 (percentage points)" {
		t.Errorf("legend compare %d, title %q", legend.Compare, legend.TitleEN)
	}
}

func TestYearsInMetadata(t *testing.T) {
	srv := newYearsServer(t)
	type levelYear struct {
		Year         int `json:"year"`
		BoundaryYear int `json:"boundary_year"`
	}
	tests := []struct{ target string }{{"/api/indicators"}, {"/readyz"}}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			var doc struct {
				Levels map[string][]levelYear `json:"levels"`
			}
			serveJSON(t, srv, tc.target, &doc)
			want := []levelYear{{2021, 2022}, {2022, 2022}, {2024, 2024}}
			if !slices.Equal(doc.Levels["gemeente"], want) || !slices.Equal(doc.Levels["wijk"], []levelYear{{2022, 2022}}) {
				t.Errorf("levels %v", doc.Levels)
			}
		})
	}
	var tj tileJSONDoc
	serveJSON(t, srv, "/tiles/gemeente.json?indicator=pct_bijstand&year=2021&compare=2024", &tj)
	if tj.BoundaryYears["gemeente"] != 2022 || tj.CompareBoundaryYears["gemeente"] != 2024 || tj.Compare != 2024 ||
		!strings.Contains(tj.Tiles[0], "compare=2024") || tj.VectorLayers[0].Fields["change"] == "" || len(tj.Years) != 3 {
		t.Errorf("TileJSON boundary years %v, compare %d %v, tiles %v", tj.BoundaryYears, tj.Compare, tj.CompareBoundaryYears, tj.Tiles)
	}
	var values struct {
		Values []struct {
			BoundaryYear int `json:"boundary_year"`
		} `json:"values"`
	}
	serveJSON(t, srv, "/api/values?level=gemeente&indicator=pct_bijstand&year=2021", &values)
	if len(values.Values) == 0 || values.Values[0].BoundaryYear != 2022 {
		t.Errorf("values %v, want boundary year 2022", values.Values)
	}
}

func TestComparePathTiles(t *testing.T) {
	srv := newYearsServer(t)
	_, xyz := serveTo(t, srv, "/tiles/gemeente/10/526/338.mvt?indicator=pct_bijstand&group=totaal&year=2024&compare=2021")
	res, body := serveTo(t, srv, "/tiles/gemeente/pct_bijstand/totaal/2024/compare/2021/10/526/338.pbf")
	if res.StatusCode != http.StatusOK || len(body) == 0 || string(body) != string(xyz) {
		t.Errorf("status %d, %d bytes; want the %d bytes of the XYZ change tile", res.StatusCode, len(body), len(xyz))
	}
	res, body = serveTo(t, srv, "/tiles/gemeente/pct_bijstand/totaal/2024/compare/2021/metadata.json")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `\"change\":\"Number\"`) {
		t.Errorf("metadata.json: %d %s", res.StatusCode, body)
	}
	res, body = serveTo(t, srv, "/tiles/gemeente/pct_bijstand/totaal/2024/compare/2024/10/526/338.pbf")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "compare") {
		t.Errorf("compare equal to year: %d %s", res.StatusCode, body)
	}
}

func TestYearsOGCAndAreas(t *testing.T) {
	srv := newYearsServer(t)
	tests := []struct {
		target string
		status int
		has    string
	}{
		{"/api/areas?level=wijk&year=2024", 400, "year"},
		{"/api/areas?level=wijk", 200, "WK000101"},
		{"/api/areas?q=a&year=2024", 200, "GM0001"},
		{"/ogc/collections?indicator=pct_bijstand&compare=2021", 200, "compare=2021"},
		{"/ogc/collections/wijk?indicator=pct_bijstand", 200, `"years":[{"year":2022,"boundary_year":2022}]`},
		{"/ogc/collections?compare=2021", 400, "compare"},
		{"/ogc/collections/gemeente/tiles/WebMercatorQuad/10/338/526?indicator=pct_bijstand&year=2024&compare=2024", 400, "compare"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			res, body := serveTo(t, srv, tc.target)
			if res.StatusCode != tc.status || !strings.Contains(string(body), tc.has) {
				t.Errorf("%d %s; want %d with %s", res.StatusCode, body, tc.status, tc.has)
			}
		})
	}
	_, xyz := serveTo(t, srv, "/tiles/gemeente/10/526/338.mvt?indicator=pct_bijstand&year=2024&compare=2021")
	res, ogc := serveTo(t, srv, "/ogc/collections/gemeente/tiles/WebMercatorQuad/10/338/526?indicator=pct_bijstand&year=2024&compare=2021")
	if res.StatusCode != http.StatusOK || string(ogc) != string(xyz) {
		t.Errorf("OGC change tile: %d, %d bytes; want the %d bytes of the XYZ tile", res.StatusCode, len(ogc), len(xyz))
	}
}
