package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/gpkg"
	"github.com/wijkkaart/wijkkaart/store"
)

// Downloads: GET /api/download gives the areas of a level, in one gemeente
// or all of Nederland, with their geometry and the published values of one
// or more indicators for one or more groups, as CSV, GeoJSON or GeoPackage.
// One row per area; per indicator and group five columns
// {indicator}_{group}_value, _numerator, _denominator, _status and
// _provenance. The numbers are the records tiles and /api/values are made
// of, so a download publishes exactly what the map shows.

// downloadFormats are the formats a download comes in.
var downloadFormats = []string{"csv", "geojson", "gpkg"}

// maxDownloadSeries is the most indicator–group combinations a download
// holds, which bounds its size.
const maxDownloadSeries = 24

// downloadRequest is what a download asks for.
type downloadRequest struct {
	level    catalog.Level
	year     int
	gemeente *store.Area
	// data is the version of the published data the download is made of.
	data *dataState
	// series are the selections, one per indicator and group.
	series []selection
	format string
}

// download serves GET /api/download.
func (s *Server) download(w http.ResponseWriter, r *http.Request) error {
	req, err := s.parseDownload(r)
	if err != nil {
		return err
	}
	data, err := s.downloadData(r, req)
	if err != nil {
		return err
	}
	switch req.format {
	case "csv":
		return writeDownloadCSV(w, data)
	case "geojson":
		return writeDownloadGeoJSON(w, data)
	}
	return writeDownloadGPKG(w, r, data)
}

// parseDownload reads a download request; indicator and group take
// comma-separated lists.
func (s *Server) parseDownload(r *http.Request) (downloadRequest, error) {
	q := r.URL.Query()
	if err := checkParams(q, "level", "indicator", "group", "year", "gemeente", "format"); err != nil {
		return downloadRequest{}, err
	}
	req := downloadRequest{format: q.Get("format")}
	if !slices.Contains(downloadFormats, req.format) {
		return req, errBadRequest("format must be csv, geojson or gpkg, got %q", req.format)
	}
	var err error
	if req.level, err = parseLevel(r); err != nil {
		return req, err
	}
	if req.data, err = s.state(r.Context()); err != nil {
		return req, err
	}
	if req.year, err = pickLevelYear(req.data, req.level, q.Get("year")); err != nil {
		return req, err
	}
	if code := q.Get("gemeente"); code != "" {
		if req.gemeente, err = s.findGemeente(r, code, req.year); err != nil {
			return req, err
		}
	}
	req.series, err = s.parseSeries(q.Get("indicator"), q.Get("group"), req)
	return req, err
}

// parseSeries reads the indicators and groups of a download: every
// combination of them, in the order given.
func (s *Server) parseSeries(indicators, groups string, req downloadRequest) ([]selection, error) {
	if indicators == "" {
		return nil, errBadRequest("query parameter indicator is required (one or more, comma-separated); see /api/indicators")
	}
	groupIDs := splitList(groups)
	if len(groupIDs) == 0 {
		groupIDs = []string{catalog.TotaalGroup}
	}
	var out []selection
	for _, id := range splitList(indicators) {
		ind, err := s.parseIndicator(id)
		if err != nil {
			return nil, err
		}
		for _, gid := range groupIDs {
			g, err := s.parseGroup(gid, ind)
			if err != nil {
				return nil, err
			}
			sel := selection{level: req.level, indicator: ind, group: g, year: req.year, gemeente: req.gemeente, data: req.data}
			if !slices.ContainsFunc(out, func(o selection) bool { return o.indicator.ID == ind.ID && o.group.ID == g.ID }) {
				out = append(out, sel)
			}
		}
	}
	if len(out) > maxDownloadSeries {
		return nil, errBadRequest("indicator and group ask for %d combinations; a download holds at most %d", len(out), maxDownloadSeries)
	}
	return out, nil
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// downloadSeries is the published data of one indicator and group, per
// area code, Nederland (catalog.NederlandCode) included.
type downloadSeries struct {
	sel       selection
	nederland store.Published
	byCode    map[string]record
}

// downloadData is everything a download writes.
type downloadData struct {
	req    downloadRequest
	areas  []store.Area
	series []downloadSeries
	// lonLat holds each area's geometry in WGS84, for GeoJSON and
	// GeoPackage.
	lonLat map[string]orb.MultiPolygon
	// minObservations is the disclosure threshold, for the metadata.
	minObservations int
}

// downloadData gathers the records of every series, through the same
// records as tiles and /api/values, and the areas' geometry.
func (s *Server) downloadData(r *http.Request, req downloadRequest) (downloadData, error) {
	data := downloadData{req: req}
	for i, sel := range req.series {
		if threshold, ok := sel.data.minObservations(sel.year, sel.indicator.ID); ok {
			data.minObservations = max(data.minObservations, threshold)
		}
		recs, nl, err := s.records(r, sel)
		if err != nil {
			return data, err
		}
		byCode := make(map[string]record, len(recs)+1)
		byCode[catalog.NederlandCode] = nederlandRecord(sel, nl)
		for _, rec := range recs {
			byCode[rec.area.Code] = rec
			if i == 0 {
				data.areas = append(data.areas, rec.area)
			}
		}
		data.series = append(data.series, downloadSeries{sel: sel, nederland: nl, byCode: byCode})
	}
	if req.format == "csv" {
		return data, nil
	}
	areas, err := s.levelAreas(r.Context(), req.series[0], store.AreaQuery{Gemeente: gemeenteCode(req.series[0]), WithGeometry: true})
	if err != nil {
		return data, err
	}
	data.lonLat = make(map[string]orb.MultiPolygon, len(areas))
	for _, a := range areas {
		data.lonLat[a.Code] = lonLatGeometry(a.Geometry)
	}
	return data, nil
}

// lonLatGeometry returns a world-coordinate geometry in WGS84, rounded to
// six decimals (about 0.1 m), with exterior rings counter-clockwise and
// holes clockwise, as GeoJSON (RFC 7946 §3.1.6) wants.
func lonLatGeometry(world orb.MultiPolygon) orb.MultiPolygon {
	mp := geo.ProjectMultiPolygon(world, geo.WorldToLonLat)
	orb.Round(mp, 1e6)
	for _, poly := range mp {
		for i, ring := range poly {
			if o := ring.Orientation(); (i == 0 && o == orb.CW) || (i > 0 && o == orb.CCW) {
				ring.Reverse()
			}
		}
	}
	return mp
}

// downloadColumn is a column of a download: its name, type, description
// and its value for an area (nil when absent).
type downloadColumn struct {
	name  string
	typ   gpkg.ColumnType
	desc  string
	value func(a store.Area) any
}

// columns returns the download's columns: the area's identity, then five
// per series.
func (d downloadData) columns() []downloadColumn {
	text := func(f func(store.Area) string) func(store.Area) any { return func(a store.Area) any { return f(a) } }
	cols := []downloadColumn{
		{"level", gpkg.Text, "CBS level: gemeente, wijk or buurt", text(func(a store.Area) string { return string(a.Level) })},
		{"code", gpkg.Text, "CBS area code", text(func(a store.Area) string { return a.Code })},
		{"name", gpkg.Text, "area name", text(func(a store.Area) string { return a.Name })},
		{"gemeente_code", gpkg.Text, "CBS code of the gemeente the area lies in", text(func(a store.Area) string { return a.GemeenteCode })},
		{"gemeente_name", gpkg.Text, "name of that gemeente", text(func(a store.Area) string { return a.GemeenteName })},
		{"year", gpkg.Integer, "year of the figures", func(store.Area) any { return int64(d.req.year) }},
		{"boundary_year", gpkg.Integer, "year of the boundaries the figures are on (CBS Wijk- en buurtkaart)", func(a store.Area) any { return int64(a.Year) }},
	}
	for _, ser := range d.series {
		cols = append(cols, ser.columns()...)
	}
	return cols
}

// columns returns the five columns of a series.
func (ser downloadSeries) columns() []downloadColumn {
	ind, g := ser.sel.indicator, ser.sel.group
	prefix := ind.ID + "_" + g.ID + "_"
	about := fmt.Sprintf("%s, %s", ind.NameEN, g.NameEN)
	number := func(pick func(value, num, den *float64) *float64) func(store.Area) any {
		return func(a store.Area) any {
			v, num, den, _ := ser.byCode[a.Code].numbers()
			if p := pick(v, num, den); p != nil {
				return *p
			}
			return nil
		}
	}
	return []downloadColumn{
		{prefix + "value", gpkg.Real, fmt.Sprintf("%s (%s), rounded to %d decimals; empty unless status is ok", about, ind.Unit, ind.Decimals),
			number(func(v, _, _ *float64) *float64 { return v })},
		{prefix + "numerator", gpkg.Real, fmt.Sprintf("%s: %s, rounded to a multiple of 5", about, ind.NumeratorEN),
			number(func(_, num, _ *float64) *float64 { return num })},
		{prefix + "denominator", gpkg.Real, fmt.Sprintf("%s: %s, rounded to a multiple of 5", about, ind.DenominatorEN),
			number(func(_, _, den *float64) *float64 { return den })},
		{prefix + "status", gpkg.Text, about + ": ok, suppressed (geheim), no_data or no_residents",
			func(a store.Area) any { return string(ser.byCode[a.Code].value.Status) }},
		{prefix + "provenance", gpkg.Text, about + ": cbs (real CBS figure) or demo (generated demo figure, not real data)",
			func(a store.Area) any { return string(ser.byCode[a.Code].value.Provenance) }},
	}
}

// fileName is the download's file name without extension.
func (d downloadData) fileName() string {
	scope := "nederland"
	if d.req.gemeente != nil {
		scope = d.req.gemeente.Code
	}
	return fmt.Sprintf("wijkkaart-%s-%d-%s", d.req.level, d.req.year, scope)
}

// formatValue writes a column value as CSV text.
func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
