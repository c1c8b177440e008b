package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
)

// LabelsPath is the route of the areas' label points, the GeoJSON source
// of the styles' label layer.
const LabelsPath = "/api/labels"

// labelKey identifies the label points of one level and year, in one
// gemeente or ("") all of Nederland.
type labelKey struct {
	level    catalog.Level
	year     int
	gemeente string
}

// labels serves GET /api/labels?level=…[&gemeente=…][&year=…]: a GeoJSON
// point per area where its name is written, with its code, name and level.
// One point per area, not per tile: MapLibre labels a polygon once in
// every tile it crosses, so names would repeat along tile edges.
func (s *Server) labels(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "level", "year", "gemeente"); err != nil {
		return err
	}
	st, err := s.state(r.Context())
	if err != nil {
		return err
	}
	sel := selection{data: st}
	if sel.level, err = parseLevel(r); err != nil {
		return err
	}
	if sel.year, err = pickLevelYear(st, sel.level, q.Get("year")); err != nil {
		return err
	}
	if code := q.Get("gemeente"); code != "" {
		if sel.gemeente, err = s.findGemeente(r, code, sel.year); err != nil {
			return err
		}
	}
	body, err := s.labelPoints(r.Context(), sel)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(body)
	return err
}

// labelPoints returns the label points of a selection's level, year and
// gemeente as GeoJSON, computed and encoded once per data version
// (geo.LabelPoint of each area's boundary) and kept with it.
func (s *Server) labelPoints(ctx context.Context, sel selection) ([]byte, error) {
	key := labelKey{level: sel.level, year: sel.year}
	q := store.AreaQuery{WithGeometry: true}
	if sel.gemeente != nil {
		key.gemeente, q.Gemeente = sel.gemeente.Code, sel.gemeente.Code
	}
	st := sel.data
	st.mu.Lock()
	body, ok := st.labels[key]
	st.mu.Unlock()
	if ok {
		return body, nil
	}
	areas, err := s.levelAreas(ctx, sel, q)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("label points of %s %d: %w", sel.level, sel.year, err)
	}
	fc := geojson.NewFeatureCollection()
	for _, a := range areas {
		p, ok := geo.LabelPoint(a.Geometry)
		if !ok {
			continue
		}
		f := geojson.NewFeature(roundPoint(geo.WorldToLonLat(p)))
		f.ID = a.ID
		f.Properties = geojson.Properties{"code": a.Code, "name": a.Name, "level": string(a.Level), "gemeente_code": a.GemeenteCode}
		fc.Append(f)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(fc); err != nil {
		return nil, fmt.Errorf("label points of %s %d: %w", sel.level, sel.year, err)
	}
	// Two requests may compute the same points at once; either result is
	// the same, and neither holds the lock while reading the store.
	st.mu.Lock()
	if st.labels == nil {
		st.labels = map[labelKey][]byte{}
	}
	st.labels[key] = buf.Bytes()
	st.mu.Unlock()
	return buf.Bytes(), nil
}

// roundPoint rounds a WGS84 point to 6 decimals (about 10 cm), all a label
// needs.
func roundPoint(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
}
