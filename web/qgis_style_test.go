package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/styles"
)

func TestQGISStyleEndpoint(t *testing.T) {
	tests := []struct {
		query      string
		wantStatus int
		wantInBody string
	}{
		{"indicator=pct_bijstand&group=marokko&gemeente=GM0344&target=qgis", 200, styles.LayerClassPrefix + "1"},
		{"indicator=pct_bijstand&target=maplibre", 200, styles.LayerFill},
		{"indicator=pct_bijstand&target=arcgis", 400, "unknown style target"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, body := get(t, "/styles/wijk.json?"+tt.query)
			if res.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantInBody) {
				t.Errorf("status %d, want %d with %q:\n%.300s", res.StatusCode, tt.wantStatus, tt.wantInBody, body)
			}
		})
	}
	// The legend does not depend on the target, so it takes none.
	if res, _ := get(t, "/api/legend?level=wijk&indicator=pct_bijstand&target=qgis"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("/api/legend with target answered %d, want 400", res.StatusCode)
	}
}

// TestQGISStyleHasTheLegend checks that both targets carry the same legend:
// one classification, two ways of drawing it.
func TestQGISStyleHasTheLegend(t *testing.T) {
	const q = "/styles/wijk.json?indicator=pct_bijstand&group=marokko&gemeente=GM0344"
	var docs [2]styles.Style
	for i, target := range []string{"maplibre", "qgis"} {
		res, body := get(t, q+"&target="+target)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d: %s", target, res.StatusCode, body)
		}
		if err := json.Unmarshal(body, &docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	a, b := docs[0].Metadata.Legend, docs[1].Metadata.Legend
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the QGIS style's legend differs from the MapLibre style's:\n%+v\n%+v", a, b)
	}
	classLayers := 0
	for _, l := range docs[1].Layers {
		if strings.HasPrefix(l.ID, styles.LayerClassPrefix) {
			classLayers++
		}
	}
	if classLayers != len(a.Classes) {
		t.Errorf("%d class layers for %d classes", classLayers, len(a.Classes))
	}
}

func TestQMLEndpoint(t *testing.T) {
	// The first class ends half a unit of the last decimal below the
	// second class's lower bound, as the legend gives it.
	var legend styles.Legend
	_, body := get(t, "/api/legend?level=wijk&indicator=pct_bijstand&group=marokko&gemeente=GM0344")
	if err := json.Unmarshal(body, &legend); err != nil || len(legend.Classes) < 2 {
		t.Fatalf("legend: %v: %s", err, body)
	}
	firstEnd := legend.Classes[1].Min - 0.5*math.Pow10(-legend.Indicator.Decimals)
	firstRule := fmt.Sprintf("&#34;pct_bijstand_marokko_value&#34; &lt; %s", strconv.FormatFloat(disclosure.RoundTo(firstEnd, legend.Indicator.Decimals+1), 'f', -1, 64))
	tests := []struct {
		target     string
		wantStatus int
		wantInBody string
	}{
		{"/styles/wijk.qml?indicator=pct_bijstand&group=marokko&gemeente=GM0344", 200, firstRule},
		{"/styles/wijk.qml?indicator=pct_bijstand&target=qgis", 400, `unknown query parameter \"target\"`},
		{"/styles/wijk.qml?indicator=geluk", 400, `unknown indicator \"geluk\"`},
		{"/styles/provincie.qml?indicator=pct_bijstand", 404, "unknown level"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, tt.target)
			if res.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantInBody) {
				t.Errorf("status %d, want %d with %q:\n%.400s", res.StatusCode, tt.wantStatus, tt.wantInBody, body)
			}
		})
	}
}
