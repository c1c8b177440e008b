package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// Time series: GET /api/series gives the published values of one area in
// every value year its level has values in. The area is the one with the
// code in the reference year, the latest year whose boundaries have it.
// A year whose boundaries have the same extent (store.SameAreas, possibly
// under another code or name) gives that area's value, comparable; a year
// whose boundaries have an area of the same code but another extent gives
// its value, not comparable; a year without either gives no value,
// status not_comparable.

// seriesRequest is what a series request asks for.
type seriesRequest struct {
	level     catalog.Level
	code      string
	indicator catalog.Indicator
	group     catalog.Group
	data      *dataState
	format    string
}

// seriesEntry is one year of a series. Absent numbers are null, never 0.
type seriesEntry struct {
	Year         int              `json:"year"`
	Value        *float64         `json:"value"`
	Numerator    *float64         `json:"numerator"`
	Denominator  *float64         `json:"denominator"`
	Status       store.Status     `json:"status"`
	Provenance   store.Provenance `json:"provenance,omitempty"`
	BoundaryYear int              `json:"boundary_year"`
	// Comparable says the area is the same extent as the reference
	// year's.
	Comparable bool `json:"comparable"`
	// Code and Name are the area's in that year, null when its
	// boundaries have no such area.
	Code *string `json:"code"`
	Name *string `json:"name"`
}

// series serves GET /api/series, as JSON or CSV.
func (s *Server) series(w http.ResponseWriter, r *http.Request) error {
	req, err := s.parseSeriesRequest(r)
	if err != nil {
		return err
	}
	ref, refYear, err := s.referenceArea(r.Context(), req)
	if err != nil {
		return err
	}
	entries, err := s.seriesEntries(r.Context(), req, ref, refYear)
	if err != nil {
		return err
	}
	if req.format == "csv" {
		return writeSeriesCSV(w, req, entries)
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"level": req.level, "code": req.code, "name": ref.Name,
		"indicator": req.indicator.ID, "group": req.group.ID, "unit": req.indicator.Unit,
		"reference_year": refYear, "reference_boundary_year": ref.Year,
		"series":      entries,
		"attribution": "Bron: CBS / Kadaster",
		"note":        provenanceNote + " comparable false: het gebied had in dat jaar andere grenzen; status not_comparable: het gebied bestond toen niet.",
	})
}

// parseSeriesRequest reads level, code, indicator, group and format.
func (s *Server) parseSeriesRequest(r *http.Request) (seriesRequest, error) {
	q := r.URL.Query()
	if err := checkParams(q, "level", "code", "indicator", "group", "format"); err != nil {
		return seriesRequest{}, err
	}
	var req seriesRequest
	var err error
	if req.format, err = valuesFormat(r); err != nil {
		return req, err
	}
	if req.level, err = seriesLevel(q.Get("level")); err != nil {
		return req, err
	}
	req.code = q.Get("code")
	if req.code == "" {
		return req, errBadRequest("query parameter code is required, such as GM0363; see /api/areas")
	}
	if l, err := catalog.LevelOfCode(req.code); err != nil || l != req.level {
		return req, errBadRequest("code %q is not a CBS %s code", truncate(req.code, 20), req.level)
	}
	if req.indicator, err = s.parseIndicator(q.Get("indicator")); err != nil {
		return req, err
	}
	if req.group, err = s.parseGroup(q.Get("group"), req.indicator); err != nil {
		return req, err
	}
	req.data, err = s.state(r.Context())
	return req, err
}

// seriesLevel reads the level of a series: a level with areas, or
// nederland.
func seriesLevel(name string) (catalog.Level, error) {
	if name == string(catalog.Nederland) {
		return catalog.Nederland, nil
	}
	l, err := catalog.ParseBoundaryLevel(name)
	if err != nil {
		return "", errBadRequest("level: %v, or nederland", err)
	}
	return l, nil
}

// referenceArea returns the area of a series and its reference year: the
// latest value year of the level whose boundaries have the code.
func (s *Server) referenceArea(ctx context.Context, req seriesRequest) (store.Area, int, error) {
	years := req.data.levelYears(req.level)
	if len(years) == 0 {
		return store.Area{}, 0, errNotFound("level %s has no values", req.level)
	}
	if req.level == catalog.Nederland {
		if req.code != catalog.NederlandCode {
			return store.Area{}, 0, errNotFound("code: Nederland is %s", catalog.NederlandCode)
		}
		last := years[len(years)-1]
		return store.Area{Level: catalog.Nederland, Year: last, Code: catalog.NederlandCode, Name: "Nederland"}, last, nil
	}
	for _, y := range slices.Backward(years) {
		found, err := s.cfg.Store.Areas(ctx, store.AreaQuery{Level: req.level, Year: y, Codes: []string{req.code}})
		if err != nil {
			return store.Area{}, 0, err
		}
		if len(found) > 0 {
			return found[0], y, nil
		}
	}
	return store.Area{}, 0, errNotFound("code: no %s %s in any year with values (%s); see /api/areas", req.level, req.code, joinInts(years))
}

// seriesEntries returns the entries of every value year of the level,
// ascending.
func (s *Server) seriesEntries(ctx context.Context, req seriesRequest, ref store.Area, refYear int) ([]seriesEntry, error) {
	var out []seriesEntry
	for _, y := range req.data.levelYears(req.level) {
		boundary, _ := req.data.boundaryYear(req.level, y)
		e, err := s.seriesEntry(ctx, req, ref, y, boundary)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// seriesEntry returns the entry of value year y, whose values are on
// boundary year boundary.
func (s *Server) seriesEntry(ctx context.Context, req seriesRequest, ref store.Area, y, boundary int) (seriesEntry, error) {
	e := seriesEntry{Year: y, BoundaryYear: boundary, Status: store.NotComparable}
	if req.level == catalog.Nederland {
		return s.fillEntry(ctx, req, e, ref, true)
	}
	code, comparable := ref.Code, true
	if same := req.data.sameAreas(req.level, boundary, ref.Year); same != nil {
		code, comparable = same[ref.Code]
		if !comparable {
			code = ref.Code // an area of the same code, if any, but not the same extent
		}
	}
	found, err := s.cfg.Store.Areas(ctx, store.AreaQuery{Level: req.level, Year: y, Codes: []string{code}})
	if err != nil {
		return e, err
	}
	if len(found) == 0 {
		return e, nil
	}
	return s.fillEntry(ctx, req, e, found[0], comparable)
}

// fillEntry fills an entry with the published value of area in its year.
func (s *Server) fillEntry(ctx context.Context, req seriesRequest, e seriesEntry, area store.Area, comparable bool) (seriesEntry, error) {
	values, err := s.cfg.Store.Values(ctx, store.ValueQuery{Level: req.level, Year: e.Year,
		Indicator: req.indicator.ID, Group: req.group.ID, Codes: []string{area.Code}})
	if err != nil {
		return e, err
	}
	v := store.Missing(req.level, e.Year, area.Code, req.indicator.ID, req.group.ID)
	if len(values) > 0 {
		v = values[0]
	}
	e.Value, e.Numerator, e.Denominator = optional(v.Value()), optional(v.Numerator()), optional(v.Denominator())
	e.Status, e.Provenance, e.Comparable = v.Status, v.Provenance, comparable
	e.Code, e.Name = &area.Code, &area.Name
	return e, nil
}

// writeSeriesCSV writes a series as CSV, one row per year.
func writeSeriesCSV(w http.ResponseWriter, req seriesRequest, entries []seriesEntry) error {
	name := fmt.Sprintf("wijkkaart-reeks-%s-%s-%s.csv", req.code, req.indicator.ID, req.group.ID)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	header := []string{"jaar", "niveau", "code", "naam", "indicator", "herkomstgroep",
		"waarde", "teller", "noemer", "status", "herkomst_cijfer", "eenheid", "grensjaar", "vergelijkbaar"}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, e := range entries {
		comparable := "nee"
		if e.Comparable {
			comparable = "ja"
		}
		row := []string{strconv.Itoa(e.Year), string(req.level), deref(e.Code), deref(e.Name), req.indicator.ID, req.group.ID,
			formatNumber(e.Value), formatNumber(e.Numerator), formatNumber(e.Denominator), string(e.Status),
			string(e.Provenance), string(req.indicator.Unit), strconv.Itoa(e.BoundaryYear), comparable}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
