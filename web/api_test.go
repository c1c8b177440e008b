package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

func TestBadInput(t *testing.T) {
	tests := []struct {
		target     string
		wantStatus int
		wantInMsg  string
	}{
		{"/tiles/provincie/6/33/21.mvt?indicator=inwoners", 404, "unknown level"},
		{"/tiles/wijk/6/33/21.mvt", 400, "indicator is required"},
		{"/tiles/wijk/6/33/21.mvt?indicator=geluk", 400, `unknown indicator "geluk"`},
		{"/tiles/wijk/6/33/21.mvt?indicator=inwoners&group=marsmannetjes", 400, `unknown group "marsmannetjes"`},
		{"/tiles/wijk/6/33/21.mvt?indicator=segregatie_index&group=marokko", 400, "not split by herkomstgroep"},
		{"/tiles/wijk/6/33/21.mvt?indicator=inwoners&year=1850", 400, "no data for year 1850"},
		{"/tiles/wijk/6/33/21.mvt?indicator=inwoners&year=twee", 400, "year must be"},
		{"/tiles/wijk/6/33/21.mvt?indicator=inwoners&indicatr=x", 400, `unknown query parameter "indicatr"`},
		{"/tiles/wijk/x/33/21.mvt?indicator=inwoners", 400, "z must be a whole number"},
		{"/tiles/wijk/6/-1/21.mvt?indicator=inwoners", 400, "x must be a whole number"},
		{"/tiles/wijk/6/64/21.mvt?indicator=inwoners", 404, "must be below 64"},
		{"/tiles/wijk/6/33/64.mvt?indicator=inwoners", 404, "must be below 64"},
		{"/tiles/wijk/23/0/0.mvt?indicator=inwoners", 404, "zoom 23 is outside"},
		{"/tiles/wijk/6/33.mvt?indicator=inwoners", 404, "no such resource"},
		{"/tiles/gebied.json?indicator=inwoners", 404, "unknown level"},
		{"/styles/wijk.json?indicator=inwoners&gemeente=GM9999", 400, `unknown gemeente "GM9999"`},
		{"/styles/wijk.json?indicator=inwoners&gemeente=Utrecht", 400, "CBS gemeente code"},
		{"/api/values?indicator=inwoners", 400, "unknown level"},
		{"/api/values?level=wijk&indicator=inwoners&format=xlsx", 400, "format must be json or csv"},
		{"/api/areas?limit=0", 400, "limit must be"},
		{"/api/nothing", 404, "no such resource"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, tt.target)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d (%s)", res.StatusCode, tt.wantStatus, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q, want JSON", ct)
			}
			var doc struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(body, &doc); err != nil || !strings.Contains(doc.Error, tt.wantInMsg) {
				t.Errorf("error %q (%v), want it to mention %q", doc.Error, err, tt.wantInMsg)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/api/indicators", nil)
	rec := httptest.NewRecorder()
	demoServer.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST answered %d, want 405", rec.Code)
	}
}

// TestSuppressionNeverLeaks checks, for a small group, that suppressed
// values carry no numbers in the values API (JSON and CSV) and in tiles.
func TestSuppressionNeverLeaks(t *testing.T) {
	const query = "indicator=pct_bijstand&group=eritrea"
	doc := getValues(t, "level=wijk&"+query)
	suppressed := make(map[string]bool)
	for _, v := range doc.Values {
		if v.Status == "suppressed" {
			suppressed[v.Code] = true
			if v.Value != nil || v.Numerator != nil || v.Denominator != nil {
				t.Errorf("JSON: suppressed %s carries numbers %+v", v.Code, v)
			}
		}
	}
	if len(suppressed) < 100 {
		t.Fatalf("only %d suppressed wijken for Eritreans; the demo data should suppress many", len(suppressed))
	}

	_, body := get(t, "/api/values?format=csv&level=wijk&"+query)
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		if suppressed[row[2]] && (row[8] != "" || row[9] != "" || row[10] != "") {
			t.Errorf("CSV: suppressed %s carries numbers %v", row[2], row)
		}
	}

	tile := maptile.At(orb.Point{5.3, 52.2}, 6)
	_, body = get(t, fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?%s", tile.Z, tile.X, tile.Y, query))
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range layers[0].Features {
		if f.Properties["status"] != "suppressed" {
			continue
		}
		seen++
		for _, key := range []string{"value", "numerator", "denominator"} {
			if _, ok := f.Properties[key]; ok {
				t.Errorf("tile: suppressed %s carries %s", f.Properties["code"], key)
			}
		}
	}
	if seen == 0 {
		t.Error("no suppressed features in the z6 tile")
	}
}

func TestValuesCSV(t *testing.T) {
	res, body := get(t, "/api/values?level=wijk&indicator=inwoners&gemeente=GM0344", "Accept", "text/csv")
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+10+1 {
		t.Fatalf("%d rows, want a header, Utrecht's 10 wijken and Nederland", len(rows))
	}
	if rows[0][2] != "code" || rows[1][2] != "WK034401" || rows[11][2] != "NL01" {
		t.Errorf("unexpected rows %v", rows)
	}
}

func TestTileJSON(t *testing.T) {
	res, body := get(t, "/tiles/wijk.json?indicator=pct_bijstand&group=marokko")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var doc tileJSONDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	wantTiles := "http://wijkkaart.test/tiles/wijk/{z}/{x}/{y}.mvt?group=marokko&indicator=pct_bijstand&year=2024" // the latest
	if doc.TileJSON != "3.0.0" || len(doc.Tiles) != 1 || doc.Tiles[0] != wantTiles {
		t.Errorf("tilejson %q tiles %v", doc.TileJSON, doc.Tiles)
	}
	if b := doc.Bounds; b[0] < 3 || b[0] > 4 || b[3] < 53 || b[3] > 54 {
		t.Errorf("bounds %v do not fit the Netherlands", b)
	}
	if len(doc.VectorLayers) != 1 || doc.VectorLayers[0].ID != "wijk" || doc.VectorLayers[0].Fields["value"] == "" {
		t.Errorf("vector_layers %+v", doc.VectorLayers)
	}
	if !strings.Contains(doc.Attribution, "CBS") || !strings.Contains(doc.Attribution, "Kadaster") {
		t.Errorf("attribution %q", doc.Attribution)
	}
}

func TestCrossOrigin(t *testing.T) {
	tile := maptile.At(orb.Point{5.12, 52.09}, 10)
	for _, target := range []string{
		fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?indicator=inwoners", tile.Z, tile.X, tile.Y),
		"/tiles/wijk.json?indicator=inwoners",
		"/styles/wijk.json?indicator=inwoners",
		"/api/values?level=gemeente&indicator=inwoners",
	} {
		res, _ := get(t, target, "Origin", "https://portaal.example.nl")
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no CORS header", target)
		}
	}
}

func TestAreasSearch(t *testing.T) {
	tests := []struct {
		query    string
		wantCode string
	}{
		{"q=utrecht&level=gemeente", "GM0344"},
		{"q=bosch", "GM0796"},
		{"q=binnenstad&level=wijk", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, body := get(t, "/api/areas?"+tt.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", res.StatusCode, body)
			}
			var doc struct {
				Areas []areaJSON `json:"areas"`
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Areas) == 0 {
				t.Fatal("nothing found")
			}
			if tt.wantCode != "" && doc.Areas[0].Code != tt.wantCode {
				t.Errorf("first hit %+v, want %s", doc.Areas[0], tt.wantCode)
			}
		})
	}
	_, body := get(t, "/api/areas?level=gemeente&year=2022")
	var all struct{ Areas []areaJSON }
	if err := json.Unmarshal(body, &all); err != nil || len(all.Areas) != 345 {
		t.Errorf("gemeente list has %d areas (%v), want 345", len(all.Areas), err)
	}
}

func TestHealthz(t *testing.T) {
	res, body := get(t, "/healthz")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"ok"`) {
		t.Errorf("%d %s", res.StatusCode, body)
	}
}

func TestLegend(t *testing.T) {
	res, body := get(t, "/api/legend?level=wijk&indicator=pct_bijstand&group=marokko&gemeente=GM0344&method=quantile&classes=4")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var legend struct {
		Kind    string `json:"kind"`
		Classes []struct {
			Color   string `json:"color"`
			LabelNL string `json:"label_nl"`
			Count   int    `json:"count"`
		} `json:"classes"`
		Reference *struct {
			Value float64 `json:"value"`
		} `json:"reference"`
		Specials []struct {
			Status  string `json:"status"`
			LabelNL string `json:"label_nl"`
		} `json:"specials"`
	}
	if err := json.Unmarshal(body, &legend); err != nil {
		t.Fatal(err)
	}
	if legend.Kind != "diverging" || legend.Reference == nil {
		t.Errorf("an evaluative indicator gets a diverging legend around Nederland: %s", body)
	}
	counted := 0
	for _, c := range legend.Classes {
		counted += c.Count
		if c.Color == "" || c.LabelNL == "" {
			t.Errorf("class without colour or label: %+v", c)
		}
	}
	var statuses []string
	for _, sp := range legend.Specials {
		statuses = append(statuses, sp.Status)
	}
	if counted == 0 || counted > 10 || !strings.Contains(strings.Join(statuses, ","), "suppressed,no_data,no_residents,outside") {
		t.Errorf("classes count %d of Utrecht's 10 wijken; specials %v", counted, statuses)
	}
	_, style := get(t, "/styles/wijk.json?indicator=pct_bijstand&group=marokko&gemeente=GM0344&method=quantile&classes=4")
	if !strings.Contains(string(style), string(bytes.TrimSpace(body))) {
		t.Error("the legend endpoint and the style's metadata differ")
	}
}

// TestEveryOutputAnswers asks the style, legend, values and a tile for
// every indicator and group of the demo data in one gemeente: none may
// fail, whatever mix of statuses the values have.
func TestEveryOutputAnswers(t *testing.T) {
	tile := maptile.At(orb.Point{4.48, 51.92}, 10)
	for _, ind := range demoServer.cfg.Catalog.Indicators {
		for _, g := range demoServer.cfg.Catalog.GroupsOf(ind) {
			q := "indicator=" + ind.ID + "&group=" + g.ID
			for _, target := range []string{
				"/styles/wijk.json?gemeente=GM0599&" + q,
				"/api/legend?level=gemeente&" + q,
				"/api/values?level=wijk&gemeente=GM0599&" + q,
				fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?%s", tile.Z, tile.X, tile.Y, q),
			} {
				if res, body := get(t, target); res.StatusCode != http.StatusOK {
					t.Errorf("%s: %d %s", target, res.StatusCode, body)
				}
			}
		}
	}
}

// TestAutoLevel checks the auto level: Rotterdam, whose wijken are large,
// is shown as buurten, and Utrecht, whose wijken are smaller, as wijken...
// whatever the rule decides, every area of a gemeente is of one level, and
// tiles, values and style agree.
func TestAutoLevel(t *testing.T) {
	doc := getValues(t, "level=auto&indicator=pct_bijstand&year=2022") // buurten have values of 2022 only
	levels := make(map[string]map[string]int)                          // gemeente → level → areas
	for _, v := range doc.Values {
		if levels[v.GemeenteCode] == nil {
			levels[v.GemeenteCode] = make(map[string]int)
		}
		levels[v.GemeenteCode][v.Level]++
	}
	buurtGemeenten := 0
	for gm, byLevel := range levels {
		if len(byLevel) != 1 {
			t.Errorf("%s is shown at several levels: %v", gm, byLevel)
		}
		if byLevel["buurt"] > 0 {
			buurtGemeenten++
		}
	}
	if buurtGemeenten == 0 || buurtGemeenten == len(levels) {
		t.Errorf("%d of %d gemeenten shown as buurten; the rule should pick some", buurtGemeenten, len(levels))
	}
	if _, ok := levels["GM0599"]["buurt"]; !ok {
		t.Errorf("Rotterdam, with wijken of over 10,000 inhabitants, is not shown as buurten: %v", levels["GM0599"])
	}
	tile := maptile.At(orb.Point{4.48, 51.92}, 12)
	_, body := get(t, fmt.Sprintf("/tiles/auto/%d/%d/%d.mvt?indicator=pct_bijstand&year=2022", tile.Z, tile.X, tile.Y))
	layers, err := mvt.Unmarshal(body)
	if err != nil || len(layers) != 1 || layers[0].Name != "auto" {
		t.Fatalf("auto tile: %v layers %v", err, layers)
	}
	for _, f := range layers[0].Features {
		if f.Properties["gemeente_code"] == "GM0599" && f.Properties["level"] != "buurt" {
			t.Errorf("Rotterdam feature %v is a %v", f.Properties["code"], f.Properties["level"])
		}
	}
	if res, body := get(t, "/styles/auto.json?indicator=pct_bijstand&year=2022&gemeente=GM0599"); res.StatusCode != http.StatusOK {
		t.Errorf("auto style: %d %s", res.StatusCode, body)
	}
	// A year without buurt values falls back to wijken everywhere.
	for _, v := range getValues(t, "level=auto&indicator=pct_bijstand&year=2024&gemeente=GM0599").Values {
		if v.Level != "wijk" {
			t.Fatalf("auto in 2024 shows %s %s, want wijken only", v.Level, v.Code)
		}
	}
}
