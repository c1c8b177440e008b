package boundaries

import (
	"fmt"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
)

// square is a closed ring around (lon, lat) in GeoJSON coordinate syntax.
func square(lon, lat float64) string {
	return fmt.Sprintf(`[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]`, lon, lat, lon+0.01, lat+0.01)
}

func feature(props, geometry string) string {
	return `{"type":"Feature","properties":{` + props + `},"geometry":` + geometry + `}`
}

func polygon(lon, lat float64) string {
	return `{"type":"Polygon","coordinates":` + square(lon, lat) + `}`
}

// readAreas reads doc and projects it as areas of 2022.
func readAreas(doc string, opt GeoJSONOptions) ([]store.Area, error) {
	src, err := ReadGeoJSON(strings.NewReader(doc), opt)
	if err != nil {
		return nil, err
	}
	if src.SRID != WGS84 || src.Level != opt.Level {
		return nil, fmt.Errorf("source level %s SRID %d", src.Level, src.SRID)
	}
	return src.Areas(2022)
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

var wijkOptions = GeoJSONOptions{
	Level:                catalog.Wijk,
	CodeProperty:         "code",
	NameProperty:         "name",
	GemeenteCodeProperty: "gm_code",
	GemeenteNameProperty: "gm_name",
}

func TestReadGeoJSON(t *testing.T) {
	gemeenteOptions := GeoJSONOptions{Level: catalog.Gemeente, CodeProperty: "statcode", NameProperty: "statnaam"}
	tests := []struct {
		name    string
		doc     string
		opt     GeoJSONOptions
		codes   []string
		names   []string
		gemeten []string
		gmNames []string
	}{
		{
			name: "wijken sorted by code with gemeente from properties",
			doc: collection(
				feature(`"code":"WK034402","name":"Noordwest","gm_code":"GM0344","gm_name":"Utrecht"`, polygon(5.1, 52.1)),
				feature(`"code":"WK034401","name":"West","gm_code":"GM0344","gm_name":"Utrecht"`, polygon(5.0, 52.0)),
			),
			opt:     wijkOptions,
			codes:   []string{"WK034401", "WK034402"},
			names:   []string{"West", "Noordwest"},
			gemeten: []string{"GM0344", "GM0344"},
			gmNames: []string{"Utrecht", "Utrecht"},
		},
		{
			name:    "gemeente code derived when the property is absent",
			doc:     collection(feature(`"code":"WK059901","name":"Stadscentrum"`, polygon(4.4, 51.9))),
			opt:     wijkOptions,
			codes:   []string{"WK059901"},
			names:   []string{"Stadscentrum"},
			gemeten: []string{"GM0599"},
			gmNames: []string{""},
		},
		{
			name:    "gemeente code derived when no property is named",
			doc:     collection(feature(`"code":"WK059901","name":"Stadscentrum","gm_code":"GM9999"`, polygon(4.4, 51.9))),
			opt:     GeoJSONOptions{Level: catalog.Wijk, CodeProperty: "code", NameProperty: "name"},
			codes:   []string{"WK059901"},
			names:   []string{"Stadscentrum"},
			gemeten: []string{"GM0599"},
			gmNames: []string{""},
		},
		{
			name: "gemeenten are their own gemeente, MultiPolygon kept",
			doc: collection(feature(`"statcode":"GM0363","statnaam":"Amsterdam"`,
				`{"type":"MultiPolygon","coordinates":[`+square(4.8, 52.3)+`,`+square(4.9, 52.4)+`]}`)),
			opt:     gemeenteOptions,
			codes:   []string{"GM0363"},
			names:   []string{"Amsterdam"},
			gemeten: []string{"GM0363"},
			gmNames: []string{"Amsterdam"},
		},
		{
			name:    "alphanumeric codes of 2023 and later",
			doc:     collection(feature(`"code":"WK0363AA","name":"Burgwallen-Oude Zijde"`, polygon(4.8, 52.3))),
			opt:     wijkOptions,
			codes:   []string{"WK0363AA"},
			names:   []string{"Burgwallen-Oude Zijde"},
			gemeten: []string{"GM0363"},
			gmNames: []string{""},
		},
		{
			name:    "empty collection",
			doc:     collection(),
			opt:     wijkOptions,
			codes:   []string{},
			names:   []string{},
			gemeten: []string{},
			gmNames: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			areas, err := readAreas(tt.doc, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(areas) != len(tt.codes) {
				t.Fatalf("got %d areas, want %d", len(areas), len(tt.codes))
			}
			for i, a := range areas {
				if a.Code != tt.codes[i] || a.Name != tt.names[i] || a.GemeenteCode != tt.gemeten[i] || a.GemeenteName != tt.gmNames[i] {
					t.Errorf("area %d = %s %q in %s %q, want %s %q in %s %q", i, a.Code, a.Name, a.GemeenteCode, a.GemeenteName,
						tt.codes[i], tt.names[i], tt.gemeten[i], tt.gmNames[i])
				}
				if a.Level != tt.opt.Level || a.Year != 2022 {
					t.Errorf("area %s: level %s year %d, want %s %d", a.Code, a.Level, a.Year, tt.opt.Level, 2022)
				}
				id, err := catalog.FeatureID(a.Code)
				if err != nil {
					t.Fatal(err)
				}
				if a.ID != id || id == 0 {
					t.Errorf("area %s: id %d, want %d", a.Code, a.ID, id)
				}
			}
		})
	}
}

func TestReadGeoJSONGeometry(t *testing.T) {
	doc := collection(feature(`"code":"WK034401"`, polygon(5.0, 52.0)))
	areas, err := readAreas(doc, wijkOptions)
	if err != nil {
		t.Fatal(err)
	}
	a := areas[0]
	wantBound := orb.Bound{Min: orb.Point{5.0, 52.0}, Max: orb.Point{5.01, 52.01}}
	if !a.LonLatBound.Equal(wantBound) {
		t.Errorf("bound %v, want %v", a.LonLatBound, wantBound)
	}
	if len(a.Geometry) != 1 || len(a.Geometry[0]) != 1 || len(a.Geometry[0][0]) != 5 {
		t.Fatalf("geometry %v is not one polygon of one 5-point ring", a.Geometry)
	}
	corners := []orb.Point{{5.0, 52.0}, {5.01, 52.0}, {5.01, 52.01}, {5.0, 52.01}, {5.0, 52.0}}
	for i, p := range a.Geometry[0][0] {
		if want := geo.LonLatToWorld(corners[i]); p != want {
			t.Errorf("point %d = %v, want world %v", i, p, want)
		}
	}
	if b := a.Geometry.Bound(); b.Min[0] <= 0.5 || b.Max[0] >= 0.52 || b.Min[1] <= 0.3 || b.Max[1] >= 0.35 {
		t.Errorf("world bound %v is not where Utrecht is", b)
	}
}

func TestReadGeoJSONErrors(t *testing.T) {
	good := feature(`"code":"WK034401","gm_code":"GM0344"`, polygon(5.0, 52.0))
	tests := []struct {
		name string
		doc  string
		opt  GeoJSONOptions
		want []string // parts of the error message
	}{
		{"missing code", collection(good, feature(`"name":"x"`, polygon(5.0, 52.0))), wijkOptions,
			[]string{"feature 1:", `missing code: no property "code"`}},
		{"empty code", collection(feature(`"code":" "`, polygon(5.0, 52.0))), wijkOptions,
			[]string{"feature 0:", "missing code"}},
		{"numeric code", collection(feature(`"code":34401`, polygon(5.0, 52.0))), wijkOptions,
			[]string{"feature 0:", `property "code" is 34401`, "not a string"}},
		{"point geometry", collection(good, feature(`"code":"WK034402"`, `{"type":"Point","coordinates":[5,52]}`)), wijkOptions,
			[]string{"feature 1 (WK034402)", "bad geometry type Point"}},
		{"unknown geometry type", collection(feature(`"code":"WK034402"`, `{"type":"Circle","coordinates":[5,52]}`)), wijkOptions,
			[]string{"feature 0 (WK034402)", "invalid GeoJSON feature"}},
		{"null geometry", collection(feature(`"code":"WK034402"`, `null`)), wijkOptions,
			[]string{"feature 0 (WK034402)", "missing geometry"}},
		{"unclosed ring", collection(feature(`"code":"WK034402"`, `{"type":"Polygon","coordinates":[[[5,52],[5.1,52],[5,52]]]}`)), wijkOptions,
			[]string{"feature 0 (WK034402)", "ring 0 has 3 points"}},
		{"duplicate code", collection(good, feature(`"code":"WK034402"`, polygon(5.1, 52.1)), good), wijkOptions,
			[]string{"feature 2 (WK034401): duplicate code, also feature 0"}},
		{"code of wrong level", collection(good, feature(`"code":"BU03440101"`, polygon(5.0, 52.0))), wijkOptions,
			[]string{"feature 1 (BU03440101)", "code is of level buurt, not wijk"}},
		{"code without prefix", collection(feature(`"code":"034401"`, polygon(5.0, 52.0))), wijkOptions,
			[]string{"feature 0 (034401)", "no known prefix"}},
		{"gemeente code disagrees", collection(feature(`"code":"WK034401","gm_code":"GM0363"`, polygon(5.0, 52.0))), wijkOptions,
			[]string{"feature 0 (WK034401)", `gemeente code "GM0363"`, "lies in GM0344"}},
		{"RD coordinates", collection(feature(`"code":"WK034401"`, polygon(136000, 455000))), wijkOptions,
			[]string{"feature 0 (WK034401)", "not WGS84", "EPSG:28992"}},
		{"all bad features reported", collection(feature(`"x":1`, polygon(5.0, 52.0)), feature(`"code":"GM0344"`, polygon(5.0, 52.0))), wijkOptions,
			[]string{"2 bad feature(s)", "feature 0:", "feature 1 (GM0344)"}},
		{"not a feature collection", `{"type":"Feature","properties":{},"geometry":null}`, wijkOptions,
			[]string{`not a GeoJSON FeatureCollection: type is "Feature"`}},
		{"not JSON", `<gml/>`, wijkOptions,
			[]string{"not a GeoJSON FeatureCollection"}},
		{"level nederland", collection(good), GeoJSONOptions{Level: catalog.Nederland, CodeProperty: "code"},
			[]string{`level "nederland" cannot be read`}},
		{"no code property", collection(good), GeoJSONOptions{Level: catalog.Wijk},
			[]string{"no code property"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			areas, err := readAreas(tt.doc, tt.opt)
			if err == nil {
				t.Fatalf("no error, got %d areas", len(areas))
			}
			if areas != nil {
				t.Errorf("got %d areas with the error, want none", len(areas))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}
