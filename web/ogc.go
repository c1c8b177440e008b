package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/styles"
)

// OGC API - Tiles (OGC 20-057, Part 1: Core) at /ogc, beside the XYZ URLs,
// so that GDAL's OGCAPI driver, QGIS and OpenLayers connect from one URL.
// Every level is a collection with one vector tileset in the
// WebMercatorQuad tile matrix set; its tiles are the bytes /tiles serves.
// The choropleth is chosen by the same indicator, group and year query
// parameters as the XYZ tiles; every link carries them on.

// ogcTMS is the one tile matrix set: OGC's WebMercatorQuad, which is the
// XYZ scheme of /tiles (tileRow is y, tileCol is x).
const ogcTMS = "WebMercatorQuad"

// The link relations and media types of OGC API - Tiles.
const (
	relConformance    = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
	relTilingSchemes  = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
	relTilingScheme   = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
	relTilesetsVector = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
	relData           = "data"
	typeJSON          = "application/json"
	typeMVT           = "application/vnd.mapbox-vector-tile"
	uriWebMercatorTMS = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
	uriCRS84          = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	uriEPSG3857       = "http://www.opengis.net/def/crs/EPSG/0/3857"
)

// ogcConformance are the conformance classes /ogc implements.
var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
	"http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
	"http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
}

// ogcLevels are the levels served as collections.
var ogcLevels = []catalog.Level{catalog.Gemeente, catalog.Wijk, catalog.Buurt, catalog.Auto}

// ogcLink is a link of OGC API - Common.
type ogcLink struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// ogcQuery is the choropleth an /ogc request asks for: the indicator, group
// and year parameters, checked and with defaults filled in, or none.
type ogcQuery struct {
	values url.Values
}

// href returns the URL of path on this server with the query carried on.
func (q ogcQuery) href(base, path string) string {
	if len(q.values) == 0 {
		return base + path
	}
	return base + path + "?" + q.values.Encode()
}

// parseOGCQuery reads the indicator, group and year of an /ogc request.
// Without an indicator the metadata is still served, and the tiles it
// links to ask for one.
func (s *Server) parseOGCQuery(r *http.Request) (ogcQuery, error) {
	q := r.URL.Query()
	if err := checkParams(q, selectionParams...); err != nil {
		return ogcQuery{}, err
	}
	if q.Get("indicator") == "" {
		if q.Get("group") != "" || q.Get("year") != "" || q.Get("compare") != "" {
			return ogcQuery{}, errBadRequest("query parameter indicator is required with group, year and compare; see /api/indicators")
		}
		return ogcQuery{}, nil
	}
	ind, err := s.parseIndicator(q.Get("indicator"))
	if err != nil {
		return ogcQuery{}, err
	}
	g, err := s.parseGroup(q.Get("group"), ind)
	if err != nil {
		return ogcQuery{}, err
	}
	values := url.Values{"indicator": {ind.ID}, "group": {g.ID}}
	// Without year, each level's tiles show its own latest value year.
	if text := q.Get("year"); text != "" {
		year, err := s.parseYear(r, text)
		if err != nil {
			return ogcQuery{}, err
		}
		values.Set("year", strconv.Itoa(year))
	}
	if c := q.Get("compare"); c != "" {
		if n, err := strconv.Atoi(c); err != nil || len(c) != 4 || c == values.Get("year") || n < 1 {
			return ogcQuery{}, errBadRequest("compare must be a year other than year, got %q", truncate(c, 20))
		}
		values.Set("compare", c)
	}
	return ogcQuery{values: values}, nil
}

// ogcRoutes adds the /ogc endpoints.
func (s *Server) ogcRoutes(get func(string, func(http.ResponseWriter, *http.Request) error)) {
	get("/ogc", s.ogcLanding)
	get("/ogc/conformance", s.ogcConformancePage)
	get("/ogc/collections", s.ogcCollections)
	get("/ogc/collections/{level}", s.ogcCollection)
	get("/ogc/collections/{level}/tiles", s.ogcTilesets)
	get("/ogc/collections/{level}/tiles/{tms}", s.ogcTileset)
	get("/ogc/collections/{level}/tiles/{tms}/{tileMatrix}/{tileRow}/{tileCol}", s.ogcTile)
	get("/ogc/tileMatrixSets", s.ogcTileMatrixSets)
	get("/ogc/tileMatrixSets/{tms}", s.ogcTileMatrixSet)
}

// ogcLanding serves GET /ogc: the landing page.
func (s *Server) ogcLanding(w http.ResponseWriter, r *http.Request) error {
	q, err := s.parseOGCQuery(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	return writeJSON(w, http.StatusOK, map[string]any{
		"title":       "wijkkaart",
		"description": "Choropleth vector tiles of CBS statistics per gemeente, wijk and buurt, by herkomstgroep. Choose the map with the query parameters indicator (see /api/indicators), group (see /api/groups) and year. " + styles.Attribution + ".",
		"attribution": attribution,
		"links": []ogcLink{
			{Href: q.href(base, "/ogc"), Rel: "self", Type: typeJSON, Title: "This document"},
			{Href: base + "/ogc/conformance", Rel: "conformance", Type: typeJSON, Title: "Conformance classes"},
			{Href: base + "/ogc/conformance", Rel: relConformance, Type: typeJSON, Title: "Conformance classes"},
			{Href: q.href(base, "/ogc/collections"), Rel: relData, Type: typeJSON, Title: "Collections: one per level"},
			{Href: base + "/ogc/tileMatrixSets", Rel: relTilingSchemes, Type: typeJSON, Title: "Tile matrix sets"},
			{Href: base + "/api/indicators", Rel: "describedby", Type: typeJSON, Title: "Indicators, their themes and years"},
		},
	})
}

// ogcConformancePage serves GET /ogc/conformance.
func (s *Server) ogcConformancePage(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query(), selectionParams...); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"conformsTo": ogcConformance})
}

// ogcCollections serves GET /ogc/collections: one collection per level.
func (s *Server) ogcCollections(w http.ResponseWriter, r *http.Request) error {
	q, err := s.parseOGCQuery(r)
	if err != nil {
		return err
	}
	st, err := s.state(r.Context())
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	collections := make([]map[string]any, 0, len(ogcLevels))
	for _, l := range ogcLevels {
		if len(st.levelYears(l)) == 0 {
			continue // a level without values has no choropleth
		}
		c, err := s.ogcCollectionDoc(r, q, l)
		if err != nil {
			return err
		}
		collections = append(collections, c)
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"links":       []ogcLink{{Href: q.href(base, "/ogc/collections"), Rel: "self", Type: typeJSON}},
		"collections": collections,
	})
}

// ogcCollection serves GET /ogc/collections/{level}.
func (s *Server) ogcCollection(w http.ResponseWriter, r *http.Request) error {
	q, err := s.parseOGCQuery(r)
	if err != nil {
		return err
	}
	level, err := parseLevel(r)
	if err != nil {
		return err
	}
	c, err := s.ogcCollectionDoc(r, q, level)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// ogcCollectionDoc describes the collection of a level.
func (s *Server) ogcCollectionDoc(r *http.Request, q ogcQuery, level catalog.Level) (map[string]any, error) {
	b, err := s.ogcBounds(r, q, level)
	if err != nil {
		return nil, err
	}
	st, err := s.state(r.Context())
	if err != nil {
		return nil, err
	}
	base := s.baseURL(r)
	path := "/ogc/collections/" + string(level)
	return map[string]any{
		"id":          string(level),
		"title":       ogcLevelTitle(level),
		"description": fmt.Sprintf("CBS %s boundaries with the chosen indicator. %s.", level, styles.Attribution),
		"dataType":    "vector",
		"vectorType":  "Polygons",
		"attribution": attribution,
		"extent":      map[string]any{"spatial": map[string]any{"bbox": [][4]float64{bbox(b)}, "crs": uriCRS84}},
		"crs":         []string{uriCRS84, uriEPSG3857},
		"storageCrs":  uriEPSG3857,
		"years":       st.levelsJSON()[valueLevel(level)],
		"links": []ogcLink{
			{Href: q.href(base, path), Rel: "self", Type: typeJSON},
			{Href: q.href(base, path+"/tiles"), Rel: relTilesetsVector, Type: typeJSON, Title: "Vector tilesets"},
		},
	}, nil
}

func ogcLevelTitle(level catalog.Level) string {
	switch level {
	case catalog.Gemeente:
		return "Gemeenten"
	case catalog.Wijk:
		return "Wijken"
	case catalog.Buurt:
		return "Buurten"
	}
	return "Wijken of buurten per gemeente (auto)"
}

// ogcBounds returns the WGS84 bounds of a level's areas in the year asked
// for, or in the level's latest when it has no values that year (a
// listing of all collections names one year for all levels).
func (s *Server) ogcBounds(r *http.Request, q ogcQuery, level catalog.Level) (orb.Bound, error) {
	st, err := s.state(r.Context())
	if err != nil {
		return orb.Bound{}, err
	}
	year, err := pickLevelYear(st, level, q.values.Get("year"))
	if err != nil {
		if year, err = pickLevelYear(st, level, ""); err != nil {
			return orb.Bound{}, err
		}
	}
	return s.levelBounds(r.Context(), selection{level: level, year: year, data: st})
}

// ogcTilesets serves GET /ogc/collections/{level}/tiles: the one tileset
// of a level.
func (s *Server) ogcTilesets(w http.ResponseWriter, r *http.Request) error {
	q, err := s.parseOGCQuery(r)
	if err != nil {
		return err
	}
	level, err := parseLevel(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	path := "/ogc/collections/" + string(level) + "/tiles"
	return writeJSON(w, http.StatusOK, map[string]any{
		"links": []ogcLink{{Href: q.href(base, path), Rel: "self", Type: typeJSON}},
		"tilesets": []map[string]any{{
			"title":            ogcLevelTitle(level) + " (" + ogcTMS + ")",
			"dataType":         "vector",
			"crs":              uriEPSG3857,
			"tileMatrixSetURI": uriWebMercatorTMS,
			"links": []ogcLink{
				{Href: q.href(base, path+"/"+ogcTMS), Rel: "self", Type: typeJSON, Title: "Tileset metadata"},
				{Href: base + "/ogc/tileMatrixSets/" + ogcTMS, Rel: relTilingScheme, Type: typeJSON},
			},
		}},
	})
}

// ogcTileset serves GET /ogc/collections/{level}/tiles/WebMercatorQuad:
// the tileset's metadata with the URL template of its tiles.
func (s *Server) ogcTileset(w http.ResponseWriter, r *http.Request) error {
	q, level, err := s.parseOGCTileset(r)
	if err != nil {
		return err
	}
	b, err := s.ogcBounds(r, q, level)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	path := "/ogc/collections/" + string(level) + "/tiles/" + ogcTMS
	zooms := zoomRange(level)
	tmpl := base + path + "/{tileMatrix}/{tileRow}/{tileCol}?" + q.values.Encode()
	return writeJSON(w, http.StatusOK, map[string]any{
		"title":               ogcLevelTitle(level),
		"description":         fmt.Sprintf("%s, group %s, year %s. %s %s.", q.values.Get("indicator"), q.values.Get("group"), q.values.Get("year"), s.suppressionRule(r, q), styles.Attribution),
		"attribution":         attribution,
		"dataType":            "vector",
		"crs":                 uriEPSG3857,
		"tileMatrixSetURI":    uriWebMercatorTMS,
		"tileMatrixSetLimits": tileMatrixLimits(b, zooms.Min, zooms.Max),
		"boundingBox":         map[string]any{"lowerLeft": b.Min, "upperRight": b.Max, "crs": uriCRS84},
		"layers": []map[string]any{{
			"id": string(level), "dataType": "vector", "geometryDimension": 2,
			"minTileMatrix": strconv.Itoa(int(zooms.Min)), "maxTileMatrix": strconv.Itoa(int(zooms.Max)),
			"propertiesSchema": propertiesSchema(level),
		}},
		"links": []ogcLink{
			{Href: q.href(base, path), Rel: "self", Type: typeJSON},
			{Href: base + "/ogc/tileMatrixSets/" + ogcTMS, Rel: relTilingScheme, Type: typeJSON},
			{Href: tmpl, Rel: "item", Type: typeMVT, Templated: true, Title: "Mapbox Vector Tiles"},
		},
	})
}

// parseOGCTileset reads the query, level and tile matrix set of a tileset
// or tile request; they need an indicator.
func (s *Server) parseOGCTileset(r *http.Request) (ogcQuery, catalog.Level, error) {
	q, err := s.parseOGCQuery(r)
	if err != nil {
		return q, "", err
	}
	if len(q.values) == 0 {
		return q, "", errBadRequest("query parameter indicator is required; see /api/indicators")
	}
	level, err := parseLevel(r)
	if err != nil {
		return q, "", err
	}
	if tms := mux.Vars(r)["tms"]; tms != ogcTMS {
		return q, "", errNotFound("unknown tile matrix set %q (this server has %s)", tms, ogcTMS)
	}
	return q, level, nil
}

// tileMatrixLimits returns, per zoom, the tile rows and columns that cover
// b.
func tileMatrixLimits(b orb.Bound, from, to maptile.Zoom) []map[string]any {
	out := make([]map[string]any, 0, to-from+1)
	for z := from; z <= to; z++ {
		topLeft := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z)
		bottomRight := maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
		out = append(out, map[string]any{
			"tileMatrix": strconv.Itoa(int(z)),
			"minTileRow": topLeft.Y, "maxTileRow": bottomRight.Y,
			"minTileCol": topLeft.X, "maxTileCol": bottomRight.X,
		})
	}
	return out
}

// propertiesSchema is the JSON schema of a layer's feature properties,
// from the same descriptions as the TileJSON's fields.
func propertiesSchema(level catalog.Level) map[string]any {
	props := make(map[string]any)
	for name, desc := range levelFields(level) {
		typ := "string"
		if len(desc) > 7 && desc[:7] == "Number:" {
			typ = "number"
		}
		props[name] = map[string]any{"type": typ, "description": desc}
	}
	return map[string]any{"type": "object", "properties": props}
}

// ogcTile serves a tile of a tileset: the same bytes as
// /tiles/{level}/{z}/{x}/{y}.mvt, by the same handler.
func (s *Server) ogcTile(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.parseOGCTileset(r); err != nil {
		return err
	}
	v := mux.Vars(r)
	var coord [3]uint64
	for i, name := range []string{"tileMatrix", "tileRow", "tileCol"} {
		n, err := strconv.ParseUint(v[name], 10, 32)
		if err != nil || len(v[name]) > 9 {
			return errBadRequest("%s must be a whole number, got %q", name, v[name])
		}
		coord[i] = n
	}
	z, row, col := coord[0], coord[1], coord[2]
	if zooms := zoomRange(catalog.Level(v["level"])); z < uint64(zooms.Min) || z > uint64(zooms.Max) {
		return errNotFound("tileMatrix %d is outside %d..%d", z, zooms.Min, zooms.Max)
	}
	if n := uint64(1) << z; row >= n || col >= n {
		return errNotFound("tileRow and tileCol must be below %d in tileMatrix %d, got %d and %d", n, z, row, col)
	}
	r = mux.SetURLVars(r, map[string]string{
		"level": v["level"], "z": v["tileMatrix"], "x": v["tileCol"], "y": v["tileRow"],
	})
	return s.tile(w, r)
}

// ogcTileMatrixSets serves GET /ogc/tileMatrixSets.
func (s *Server) ogcTileMatrixSets(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	base := s.baseURL(r)
	return writeJSON(w, http.StatusOK, map[string]any{
		"links": []ogcLink{{Href: base + "/ogc/tileMatrixSets", Rel: "self", Type: typeJSON}},
		"tileMatrixSets": []map[string]any{{
			"id": ogcTMS, "title": "Google Maps Compatible for the World", "uri": uriWebMercatorTMS,
			"links": []ogcLink{{Href: base + "/ogc/tileMatrixSets/" + ogcTMS, Rel: relTilingScheme, Type: typeJSON}},
		}},
	})
}

// ogcTileMatrixSet serves GET /ogc/tileMatrixSets/WebMercatorQuad: the
// definition of OGC Two Dimensional Tile Matrix Set 2.0, zooms 0 to 16,
// with the members of version 1.0 beside them (type, identifier,
// supportedCRS, tileMatrix with topLeftCorner), which is all GDAL 3.6
// (Debian 12) reads.
func (s *Server) ogcTileMatrixSet(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if tms := mux.Vars(r)["tms"]; tms != ogcTMS {
		return errNotFound("unknown tile matrix set %q (this server has %s)", tms, ogcTMS)
	}
	const maxZoom = 16
	const halfWorld = math.Pi * orb.EarthRadius
	matrices := make([]map[string]any, 0, maxZoom+1)
	for z := range maxZoom + 1 {
		n := 1 << z
		cell := 2 * halfWorld / 256 / float64(n)
		matrices = append(matrices, map[string]any{
			"id": strconv.Itoa(z), "scaleDenominator": cell / 0.00028, "cellSize": cell,
			"cornerOfOrigin": "topLeft", "pointOfOrigin": [2]float64{-halfWorld, halfWorld},
			"tileWidth": 256, "tileHeight": 256, "matrixWidth": n, "matrixHeight": n,
			// TMS 1.0
			"type": "TileMatrixType", "identifier": strconv.Itoa(z), "topLeftCorner": [2]float64{-halfWorld, halfWorld},
		})
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"id": ogcTMS, "title": "Google Maps Compatible for the World", "uri": uriWebMercatorTMS,
		"crs": uriEPSG3857, "orderedAxes": []string{"X", "Y"},
		"wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
		"tileMatrices":      matrices,
		// TMS 1.0
		"type": "TileMatrixSetType", "identifier": ogcTMS, "supportedCRS": uriEPSG3857, "tileMatrix": matrices,
	})
}

// suppressionRule says under which threshold the query's values were
// published, or nothing when they were not.
func (s *Server) suppressionRule(r *http.Request, q ogcQuery) string {
	st, err := s.state(r.Context())
	if err != nil {
		return ""
	}
	year, err := strconv.Atoi(q.values.Get("year"))
	if err != nil {
		return ""
	}
	if threshold, ok := st.minObservations(year, q.values.Get("indicator")); ok {
		return fmt.Sprintf("Values based on fewer than %d observations are suppressed (status suppressed).", threshold)
	}
	return ""
}
