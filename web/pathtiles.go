package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"
)

// Path-style tile URLs, /tiles/{level}/{indicator}/{group}/{year}/…, for
// clients that build tile URLs by appending {z}/{x}/{y}.pbf to a prefix
// and drop its query string: GDAL's MVT driver, and with it QGIS's GDAL
// layers. They serve the bytes of /tiles/{level}/{z}/{x}/{y}.mvt.

// pathTilesPrefix is the route of the path-style tileset of a selection.
const pathTilesPrefix = "/tiles/{level}/{indicator}/{group}/{year:[0-9]+}"

// pathComparePrefix is the route of the path-style tileset of a change
// map: compare= as a path segment.
const pathComparePrefix = pathTilesPrefix + "/compare/{compare:[0-9]+}"

// pathTilesRoutes adds the path-style tile routes.
func (s *Server) pathTilesRoutes(get func(string, func(http.ResponseWriter, *http.Request) error)) {
	for _, prefix := range []string{pathTilesPrefix, pathComparePrefix} {
		get(prefix+"/{z}/{x}/{y}.{ext:mvt|pbf}", s.pathTile)
		get(prefix+"/metadata.json", s.pathMetadata)
	}
}

// pathRequest returns r with the selection of its path as query
// parameters, as the XYZ handlers read it. Path-style URLs take no query.
func pathRequest(r *http.Request) (*http.Request, error) {
	if err := checkParams(r.URL.Query()); err != nil {
		return nil, err
	}
	v := mux.Vars(r)
	r = r.Clone(r.Context())
	q := url.Values{"indicator": {v["indicator"]}, "group": {v["group"]}, "year": {v["year"]}}
	if c, ok := v["compare"]; ok {
		q.Set("compare", c)
	}
	r.URL.RawQuery = q.Encode()
	return r, nil
}

// pathTile serves GET /tiles/{level}/{indicator}/{group}/{year}/{z}/{x}/{y}.mvt
// (or .pbf, GDAL's default extension) by the XYZ tile handler.
func (s *Server) pathTile(w http.ResponseWriter, r *http.Request) error {
	r, err := pathRequest(r)
	if err != nil {
		return err
	}
	v := mux.Vars(r)
	return s.tile(w, mux.SetURLVars(r, map[string]string{"level": v["level"], "z": v["z"], "x": v["x"], "y": v["y"]}))
}

// pathMetadata serves GET /tiles/{level}/{indicator}/{group}/{year}/metadata.json:
// the tileset's metadata in the form of tippecanoe's metadata.json, which
// GDAL's MVT driver reads for the layer, its fields and its bounds.
func (s *Server) pathMetadata(w http.ResponseWriter, r *http.Request) error {
	r, err := pathRequest(r)
	if err != nil {
		return err
	}
	sel, err := s.parseSelection(r, r.URL.Query())
	if err != nil {
		return err
	}
	b, err := s.levelBounds(r.Context(), sel)
	if err != nil {
		return err
	}
	fields := make(map[string]string)
	for name, desc := range tileFields(sel) {
		fields[name], _, _ = strings.Cut(desc, ":")
	}
	layers, err := jsonString(map[string]any{"vector_layers": []map[string]any{{
		"id": string(sel.level), "fields": fields,
		"minzoom": zoomRange(sel.level).Min, "maxzoom": zoomRange(sel.level).Max,
	}}})
	if err != nil {
		return err
	}
	tj := s.newTileJSON(r, sel, b)
	return writeJSON(w, http.StatusOK, map[string]any{
		"name":        tj.Name,
		"description": tj.Description,
		"attribution": tj.Attribution,
		"format":      "pbf",
		"bounds":      fmt.Sprintf("%g,%g,%g,%g", b.Min[0], b.Min[1], b.Max[0], b.Max[1]),
		"center":      fmt.Sprintf("%g,%g,%d", tj.Center[0], tj.Center[1], int(tj.Center[2])),
		"minzoom":     fmt.Sprint(tj.MinZoom),
		"maxzoom":     fmt.Sprint(tj.MaxZoom),
		"json":        layers,
	})
}

// jsonString returns v as a JSON text.
func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("json: %w", err)
	}
	return string(b), nil
}
