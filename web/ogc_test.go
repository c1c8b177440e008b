package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// ogcDoc is the part of an OGC API document a client navigates by.
type ogcDoc struct {
	Links       []ogcLink        `json:"links"`
	Collections []ogcDoc         `json:"collections"`
	Tilesets    []ogcDoc         `json:"tilesets"`
	ID          string           `json:"id"`
	ConformsTo  []string         `json:"conformsTo"`
	DataType    string           `json:"dataType"`
	TMSURI      string           `json:"tileMatrixSetURI"`
	Matrices    []map[string]any `json:"tileMatrices"`
	Limits      []map[string]any `json:"tileMatrixSetLimits"`
	Extent      struct {
		Spatial struct {
			BBox [][4]float64 `json:"bbox"`
		} `json:"spatial"`
	} `json:"extent"`
}

// getOGC fetches an /ogc document, which must be JSON.
func getOGC(t *testing.T, target string) ogcDoc {
	t.Helper()
	res, body := get(t, strings.TrimPrefix(target, "http://wijkkaart.test"))
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s: status %d, %s: %.300s", target, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	var doc ogcDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	for _, l := range doc.Links {
		if l.Href == "" || l.Rel == "" || l.Type == "" {
			t.Errorf("%s: link %+v lacks href, rel or type", target, l)
		}
	}
	return doc
}

// link returns the href of the link with the relation, failing the test
// when there is none.
func (d ogcDoc) link(t *testing.T, rel string) string {
	t.Helper()
	i := slices.IndexFunc(d.Links, func(l ogcLink) bool { return l.Rel == rel })
	if i < 0 {
		t.Fatalf("no link with rel %q in %+v", rel, d.Links)
	}
	return d.Links[i].Href
}

// TestOGCClientWalk follows the links from the landing page to a tile as
// an OGC API - Tiles client does, and gets the bytes of the XYZ tile.
func TestOGCClientWalk(t *testing.T) {
	const query = "indicator=pct_bijstand&group=marokko"
	landing := getOGC(t, "/ogc?"+query)
	conf := getOGC(t, landing.link(t, "conformance"))
	for _, c := range []string{"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core", "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt"} {
		if !slices.Contains(conf.ConformsTo, c) {
			t.Errorf("conformance lacks %s", c)
		}
	}
	collections := getOGC(t, landing.link(t, relData))
	var ids []string
	for _, c := range collections.Collections {
		ids = append(ids, c.ID)
	}
	if want := []string{"gemeente", "wijk", "buurt", "auto"}; !slices.Equal(ids, want) {
		t.Fatalf("collections %v, want %v", ids, want)
	}
	wijk := getOGC(t, collections.Collections[1].link(t, "self"))
	if b := wijk.Extent.Spatial.BBox; len(b) != 1 || !(orb.Bound{Min: orb.Point{b[0][0], b[0][1]}, Max: orb.Point{b[0][2], b[0][3]}}).Contains(orb.Point{5.12, 52.09}) {
		t.Errorf("wijk extent %v does not hold Utrecht", b)
	}
	tilesets := getOGC(t, wijk.link(t, relTilesetsVector))
	if len(tilesets.Tilesets) != 1 || tilesets.Tilesets[0].DataType != "vector" || tilesets.Tilesets[0].TMSURI != uriWebMercatorTMS {
		t.Fatalf("tilesets %+v", tilesets.Tilesets)
	}
	tileset := getOGC(t, tilesets.Tilesets[0].link(t, "self"))
	tms := getOGC(t, tileset.link(t, relTilingScheme))
	if len(tms.Matrices) != 17 || tms.Matrices[12]["matrixWidth"] != float64(4096) {
		t.Errorf("tile matrix set has %d matrices, z12 %v", len(tms.Matrices), tms.Matrices[12])
	}
	if len(tileset.Limits) != 17 {
		t.Errorf("%d tile matrix limits, want 17", len(tileset.Limits))
	}
	tmpl := tileset.link(t, "item")
	utrecht := maptile.At(orb.Point{5.12, 52.09}, 12)
	href := strings.NewReplacer("{tileMatrix}", "12", "{tileRow}", itoa(utrecht.Y), "{tileCol}", itoa(utrecht.X)).Replace(tmpl)
	res, ogcTile := get(t, strings.TrimPrefix(href, "http://wijkkaart.test"))
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != typeMVT {
		t.Fatalf("%s: status %d, %s", href, res.StatusCode, res.Header.Get("Content-Type"))
	}
	_, xyzTile := get(t, "/tiles/wijk/12/"+itoa(utrecht.X)+"/"+itoa(utrecht.Y)+".mvt?"+query)
	if len(ogcTile) == 0 || !bytes.Equal(ogcTile, xyzTile) {
		t.Errorf("the OGC tile (%d bytes) differs from the XYZ tile (%d bytes)", len(ogcTile), len(xyzTile))
	}
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }

func TestOGCBadInput(t *testing.T) {
	const tile = "/ogc/collections/wijk/tiles/WebMercatorQuad"
	tests := []struct {
		target     string
		wantStatus int
		wantInMsg  string
	}{
		{"/ogc?indicatr=x", 400, `unknown query parameter "indicatr"`},
		{"/ogc?group=marokko", 400, "indicator is required"},
		{"/ogc/collections?indicator=geluk", 400, `unknown indicator "geluk"`},
		{"/ogc/collections/provincie?indicator=pct_bijstand", 404, "unknown level"},
		{"/ogc/collections/wijk/tiles/WebMercatorQuad", 400, "indicator is required"},
		{"/ogc/collections/wijk/tiles/WorldCRS84Quad?indicator=pct_bijstand", 404, `unknown tile matrix set "WorldCRS84Quad"`},
		{tile + "/12/1350/2105?indicator=pct_bijstand&year=1850", 400, "no data for year 1850"},
		{tile + "/twaalf/1350/2105?indicator=pct_bijstand", 400, "tileMatrix must be a whole number"},
		{tile + "/12/-1/2105?indicator=pct_bijstand", 400, "tileRow must be a whole number"},
		{tile + "/12/1350/x?indicator=pct_bijstand", 400, "tileCol must be a whole number"},
		{tile + "/12/4096/2105?indicator=pct_bijstand", 404, "tileRow and tileCol must be below 4096"},
		{tile + "/17/0/0?indicator=pct_bijstand", 404, "tileMatrix 17 is outside 0..16"},
		{"/ogc/collections/buurt/tiles/WebMercatorQuad/8/131/84?indicator=pct_bijstand", 404, "tileMatrix 8 is outside 9..16"},
		{"/ogc/tileMatrixSets/WorldCRS84Quad", 404, "unknown tile matrix set"},
		{"/ogc/tileMatrixSets?indicator=pct_bijstand", 400, "unknown query parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, tt.target)
			var doc struct {
				Error  string `json:"error"`
				Status int    `json:"status"`
			}
			if err := json.Unmarshal(body, &doc); err != nil || res.StatusCode != tt.wantStatus || doc.Status != tt.wantStatus || !strings.Contains(doc.Error, tt.wantInMsg) {
				t.Errorf("status %d, body %s (%v); want %d mentioning %q", res.StatusCode, body, err, tt.wantStatus, tt.wantInMsg)
			}
		})
	}
}
