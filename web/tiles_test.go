package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
)

// utrechtWijken are the ten wijken of Utrecht in the CBS 2022 boundaries.
var utrechtWijken = []string{"WK034401", "WK034402", "WK034403", "WK034404", "WK034405", "WK034406", "WK034407", "WK034408", "WK034409", "WK034410"}

type valuesDoc struct {
	Nederland valueRow   `json:"nederland"`
	Values    []valueRow `json:"values"`
}

type valueRow struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	GemeenteCode string   `json:"gemeente_code"`
	Status       string   `json:"status"`
	Value        *float64 `json:"value"`
	Numerator    *float64 `json:"numerator"`
	Denominator  *float64 `json:"denominator"`
	Provenance   string   `json:"provenance"`
	WijkCode     string   `json:"wijk_code"`
	Level        string   `json:"level"`
	BBox         [4]float64
}

func getValues(t *testing.T, query string) valuesDoc {
	t.Helper()
	res, body := get(t, "/api/values?"+query)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("values %s: %d %s", query, res.StatusCode, body)
	}
	var doc valuesDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// tileFeatures fetches every tile at zoom z over the gemeente's bbox and
// returns the decoded features of the given layer by code.
func tileFeatures(t *testing.T, level, query, gemeente string, z maptile.Zoom) map[string]map[string]any {
	t.Helper()
	gm := getValues(t, "level=gemeente&indicator=inwoners&gemeente="+gemeente).Values[0]
	b := orb.Bound{Min: orb.Point{gm.BBox[0], gm.BBox[1]}, Max: orb.Point{gm.BBox[2], gm.BBox[3]}}
	set, err := tilecover.Geometry(b.ToPolygon(), z)
	if err != nil {
		t.Fatal(err)
	}
	features := make(map[string]map[string]any)
	for tile := range set {
		res, body := get(t, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt?%s", level, tile.Z, tile.X, tile.Y, query))
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
			t.Fatalf("tile %v: %d %s", tile, res.StatusCode, body)
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil {
			t.Fatalf("tile %v does not decode: %v", tile, err)
		}
		for _, l := range layers {
			if l.Name != level || l.Version != 2 || l.Extent != 4096 {
				t.Fatalf("tile %v: layer %q version %d extent %d", tile, l.Name, l.Version, l.Extent)
			}
			for _, f := range l.Features {
				checkFeatureGeometry(t, f.Geometry)
				props := map[string]any(f.Properties)
				props["$id"] = f.ID
				features[props["code"].(string)] = props
			}
		}
	}
	return features
}

// checkFeatureGeometry checks polygons are oriented as the vector tile
// spec wants: exterior rings positive area in y-down tile coordinates.
func checkFeatureGeometry(t *testing.T, g orb.Geometry) {
	t.Helper()
	var polys orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		polys = g
	default:
		t.Fatalf("geometry %T, want polygons", g)
	}
	for _, p := range polys {
		if a := geo.SignedArea(p[0]); a <= 0 {
			t.Fatalf("exterior ring with area %v", a)
		}
	}
}

func TestTilesUtrechtWijken(t *testing.T) {
	const query = "indicator=pct_bijstand&group=totaal&year=2022"
	features := tileFeatures(t, "wijk", query, "GM0344", 12)
	values := getValues(t, "level=wijk&gemeente=GM0344&"+query)
	var got []string
	for code, f := range features {
		if f["gemeente_code"] == "GM0344" {
			got = append(got, code)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, utrechtWijken) {
		t.Fatalf("Utrecht wijken in z12 tiles: %v, want %v", got, utrechtWijken)
	}
	for _, v := range values.Values {
		t.Run(v.Code, func(t *testing.T) {
			f := features[v.Code]
			id, err := catalog.FeatureID(v.Code)
			if err != nil {
				t.Fatal(err)
			}
			if f["$id"] != float64(id) {
				t.Errorf("feature id %v, want %d", f["$id"], id)
			}
			if f["name"] != v.Name || f["gemeente_name"] != "Utrecht" || f["status"] != v.Status || f["provenance"] != v.Provenance {
				t.Errorf("tile properties %v disagree with the values API %+v", f, v)
			}
			if v.Value == nil || f["value"] != *v.Value || f["numerator"] != *v.Numerator || f["denominator"] != *v.Denominator {
				t.Errorf("tile value %v %v/%v, API %v", f["value"], f["numerator"], f["denominator"], v)
			}
			if f["nl_value"] != *values.Nederland.Value {
				t.Errorf("nl_value %v, want %v", f["nl_value"], *values.Nederland.Value)
			}
		})
	}
}

// TestTilesAtZ6 checks that the z6 tiles over the Netherlands hold every
// wijk and that each stays well under 500 KB.
func TestTilesAtZ6(t *testing.T) {
	nl := orb.Bound{Min: orb.Point{3.36, 50.75}, Max: orb.Point{7.23, 53.55}}
	set, err := tilecover.Geometry(nl.ToPolygon(), 6)
	if err != nil {
		t.Fatal(err)
	}
	codes := make(map[any]bool)
	for tile := range set {
		res, body := get(t, fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?indicator=pct_inkomsten_arbeid", tile.Z, tile.X, tile.Y))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		if len(body) > 500_000 {
			t.Errorf("z6 tile %v is %d bytes, want under 500 KB", tile, len(body))
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range layers {
			for _, f := range l.Features {
				codes[f.Properties["code"]] = true
			}
		}
		t.Logf("z6 tile %v: %d bytes", tile, len(body))
	}
	_, body := get(t, "/api/areas?level=wijk")
	var all struct{ Areas []areaJSON }
	if err := json.Unmarshal(body, &all); err != nil {
		t.Fatal(err)
	}
	for _, a := range all.Areas {
		if !codes[a.Code] {
			t.Errorf("wijk %s %s is in no z6 tile", a.Code, a.Name)
		}
	}
}

// TestTilePolygonsValid checks every polygon in the coarse tiles over the
// Netherlands, where snapping to the grid is most likely to break them.
func TestTilePolygonsValid(t *testing.T) {
	nl := orb.Bound{Min: orb.Point{3.36, 50.75}, Max: orb.Point{7.23, 53.55}}
	for _, level := range []string{"gemeente", "wijk"} {
		for _, z := range []maptile.Zoom{4, 6, 8} {
			t.Run(fmt.Sprintf("%s/z%d", level, z), func(t *testing.T) {
				set, err := tilecover.Geometry(nl.ToPolygon(), z)
				if err != nil {
					t.Fatal(err)
				}
				for tile := range set {
					_, body := get(t, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt?indicator=inwoners", level, tile.Z, tile.X, tile.Y))
					layers, err := mvt.Unmarshal(body)
					if err != nil {
						t.Fatal(err)
					}
					for _, l := range layers {
						for _, f := range l.Features {
							for _, p := range polygons(f.Geometry) {
								if !geo.ValidPolygon(p) {
									t.Errorf("tile %v: %v has a polygon that is not valid", tile, f.Properties["code"])
								}
							}
						}
					}
				}
			})
		}
	}
}

func polygons(g orb.Geometry) orb.MultiPolygon {
	mp, _ := geo.MultiPolygonOf(g)
	return mp
}

func TestTileOutsideNetherlandsIsEmpty(t *testing.T) {
	res, body := get(t, "/tiles/wijk/10/0/0.mvt?indicator=inwoners")
	if res.StatusCode != http.StatusOK || len(body) != 0 {
		t.Errorf("got %d with %d bytes, want an empty 200", res.StatusCode, len(body))
	}
}

func BenchmarkRenderTile(b *testing.B) {
	sel, err := demoSelection("wijk", "pct_bijstand", "totaal")
	if err != nil {
		b.Fatal(err)
	}
	for _, z := range []maptile.Zoom{6, 10, 14} {
		tile := maptile.At(orb.Point{5.12, 52.09}, z) // Utrecht
		b.Run(fmt.Sprintf("z%d", z), func(b *testing.B) {
			var size int
			for b.Loop() {
				body, err := demoServer.renderTile(b.Context(), sel, tile)
				if err != nil {
					b.Fatal(err)
				}
				size = len(body)
			}
			b.ReportMetric(float64(size), "bytes/tile")
		})
	}
}

func demoSelection(level, indicator, group string) (selection, error) {
	ind, ok := demoServer.cfg.Catalog.Indicator(indicator)
	if !ok {
		return selection{}, fmt.Errorf("no indicator %s", indicator)
	}
	g, ok := demoServer.cfg.Catalog.Group(group)
	if !ok {
		return selection{}, fmt.Errorf("no group %s", group)
	}
	return selection{level: catalog.Level(level), indicator: ind, group: g, year: 2022}, nil
}
