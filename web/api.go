package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// healthz serves GET /healthz, liveness: 200 whenever the process serves
// HTTP. It asks nothing of the store, so that an orchestrator does not
// restart a server because its database is down.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

// readyTimeout is how long /readyz waits for the store.
const readyTimeout = 2 * time.Second

// readyz serves GET /readyz, readiness: 200 when the store answers a ping
// within readyTimeout and holds data, 503 otherwise and while the server
// shuts down.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.draining.Load() {
		return errUnavailable("the server is shutting down")
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		s.cfg.Logger.WarnContext(ctx, "readiness check failed", "error", err)
		return errUnavailable("the data store does not answer")
	}
	st, err := s.Refresh(ctx)
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "readiness check failed", "error", err)
		return errUnavailable("the data store does not answer")
	}
	if len(st.years) == 0 {
		return errUnavailable("the store holds no published data yet")
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "years": st.years, "levels": st.levelsJSON(), "version": st.version})
}

// indicators serves GET /api/indicators: the catalogue and the years with
// data.
func (s *Server) indicators(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	st, err := s.state(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"years":        st.years,
		"levels":       st.levelsJSON(),
		"themes":       s.cfg.Catalog.Themes,
		"indicators":   s.cfg.Catalog.Indicators,
		"disclosure":   disclosureJSON(st),
		"publications": publicationsJSON(st.publications),
	})
}

// disclosureJSON says under which rule the latest year was published: the
// highest threshold of its indicators, which every value of it meets.
func disclosureJSON(st *dataState) map[string]any {
	threshold, rounding := 0, 0
	for _, p := range st.publications {
		if len(st.years) > 0 && p.Year == st.years[len(st.years)-1] {
			threshold, rounding = max(threshold, p.MinObservations), max(rounding, p.CountRounding)
		}
	}
	return map[string]any{"min_observations": threshold, "count_rounding": rounding}
}

// publicationJSON is how one indicator of one year was published.
type publicationJSON struct {
	Year            int    `json:"year"`
	Indicator       string `json:"indicator"`
	MinObservations int    `json:"min_observations"`
	CountRounding   int    `json:"count_rounding"`
}

func publicationsJSON(pubs []store.Publication) []publicationJSON {
	out := make([]publicationJSON, len(pubs))
	for i, p := range pubs {
		out[i] = publicationJSON{Year: p.Year, Indicator: p.Indicator, MinObservations: p.MinObservations, CountRounding: p.CountRounding}
	}
	return out
}

// groups serves GET /api/groups: the herkomstgroepen and their splits.
func (s *Server) groups(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"splits": s.cfg.Catalog.Splits, "groups": s.cfg.Catalog.Groups})
}

// areaJSON is an area in API answers.
type areaJSON struct {
	Level        catalog.Level `json:"level"`
	Code         string        `json:"code"`
	Name         string        `json:"name"`
	GemeenteCode string        `json:"gemeente_code"`
	GemeenteName string        `json:"gemeente_name"`
	// WijkCode is the wijk a buurt lies in.
	WijkCode string `json:"wijk_code,omitempty"`
	// BBox is [west, south, east, north] in WGS84 degrees.
	BBox [4]float64 `json:"bbox"`
}

func newAreaJSON(a store.Area) areaJSON {
	b := a.LonLatBound
	return areaJSON{Level: a.Level, Code: a.Code, Name: a.Name, GemeenteCode: a.GemeenteCode,
		GemeenteName: a.GemeenteName, WijkCode: a.WijkCode, BBox: bbox(b)}
}

func bbox(b orb.Bound) [4]float64 { return [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} }

// areas serves GET /api/areas?q=&level=&gemeente=&year=&limit=: areas by
// name, for search and pickers. Without level it searches gemeenten first,
// then wijken.
func (s *Server) areas(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "q", "level", "gemeente", "year", "limit"); err != nil {
		return err
	}
	levels, err := areaLevels(r)
	if err != nil {
		return err
	}
	st, err := s.state(r.Context())
	if err != nil {
		return err
	}
	year, err := areaYear(st, levels, q.Get("year"))
	if err != nil {
		return err
	}
	if n := utf8.RuneCountInString(q.Get("q")); n > maxSearchRunes {
		return errBadRequest("q must be at most %d characters, got %d", maxSearchRunes, n)
	}
	limit, err := parseLimit(q.Get("limit"), q.Get("q") != "")
	if err != nil {
		return err
	}
	if code := q.Get("gemeente"); code != "" {
		if l, err := catalog.LevelOfCode(code); err != nil || l != catalog.Gemeente {
			return errBadRequest("gemeente must be a CBS gemeente code such as GM0344, got %q", code)
		}
	}
	out := []areaJSON{}
	for _, l := range levels {
		if !st.hasValues(l, year) {
			continue // a level searched by default that has no values in year
		}
		left := allAreas
		if limit != allAreas {
			if left = limit - len(out); left <= 0 {
				break
			}
		}
		found, err := s.cfg.Store.Areas(r.Context(), store.AreaQuery{
			Level: l, Year: year, Gemeente: q.Get("gemeente"), NameContains: q.Get("q"), Limit: left,
		})
		if err != nil {
			return err
		}
		for _, a := range found {
			out = append(out, newAreaJSON(a))
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"year": year, "areas": out})
}

// areaYear returns the value year /api/areas searches: one the level
// asked for has values in, or, for the default levels, any year with
// values; the latest when none is asked.
func areaYear(st *dataState, levels []catalog.Level, text string) (int, error) {
	if len(levels) == 1 {
		return pickLevelYear(st, levels[0], text)
	}
	return pickYear(st.years, text)
}

// areaLevels returns the levels /api/areas searches: the one asked for,
// or gemeenten then wijken. The auto level is a tile layer, not a level
// areas belong to.
func areaLevels(r *http.Request) ([]catalog.Level, error) {
	if !r.URL.Query().Has("level") {
		return catalog.BoundaryLevels(), nil
	}
	l, err := parseLevel(r)
	if err != nil {
		return nil, err
	}
	if l == catalog.Auto {
		return nil, errBadRequest("level auto is a tile layer, not an area level; use level=gemeente, wijk or buurt")
	}
	return []catalog.Level{l}, nil
}

// Limits of /api/areas: searches default to searchLimit areas, listings
// (no q) to all areas of the level; no one asks for more than maxLimit.
const (
	searchLimit = 20
	maxLimit    = 1000
	allAreas    = 0
)

// parseLimit reads the most areas to return; allAreas means all.
func parseLimit(text string, search bool) (int, error) {
	if text == "" {
		if search {
			return searchLimit, nil
		}
		return allAreas, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 || n > maxLimit {
		return 0, errBadRequest("limit must be a whole number from 1 to %d, got %q", maxLimit, truncate(text, 20))
	}
	return n, nil
}

// valueJSON is one published value in API answers. Absent numbers are
// null, never 0.
type valueJSON struct {
	areaJSON
	Status      store.Status     `json:"status"`
	Value       *float64         `json:"value"`
	Numerator   *float64         `json:"numerator"`
	Denominator *float64         `json:"denominator"`
	Provenance  store.Provenance `json:"provenance,omitempty"`
	// BoundaryYear is the year of the boundaries the value is on.
	BoundaryYear int `json:"boundary_year"`
}

func newValueJSON(rec record) valueJSON {
	v, num, den, _ := rec.numbers()
	return valueJSON{areaJSON: newAreaJSON(rec.area), Status: rec.value.Status, Value: v, Numerator: num,
		Denominator: den, Provenance: rec.value.Provenance, BoundaryYear: rec.area.Year}
}

// values serves GET /api/values: the published values of a selection, as
// JSON or CSV.
func (s *Server) values(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "level", "indicator", "group", "year", "gemeente", "format"); err != nil {
		return err
	}
	format, err := valuesFormat(r)
	if err != nil {
		return err
	}
	sel, err := s.parseSelection(r, q)
	if err != nil {
		return err
	}
	recs, nl, err := s.records(r, sel)
	if err != nil {
		return err
	}
	if format == "csv" {
		return writeValuesCSV(w, sel, recs, nl)
	}
	rows := make([]valueJSON, len(recs))
	for i, rec := range recs {
		rows[i] = newValueJSON(rec)
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"level": sel.level, "indicator": sel.indicator.ID, "group": sel.group.ID, "year": sel.year,
		"gemeente":    gemeenteCode(sel),
		"unit":        sel.indicator.Unit,
		"nederland":   newValueJSON(nederlandRecord(sel, nl)),
		"values":      rows,
		"attribution": "Bron: CBS / Kadaster",
		"note":        provenanceNote,
	})
}

// provenanceNote tells users which figures are real.
const provenanceNote = "provenance cbs: echt CBS-cijfer; provenance demo: gegenereerd democijfer, geen echte CBS-gegevens. Waarden op minder waarnemingen dan de drempel zijn geheim (status suppressed)."

func gemeenteCode(sel selection) string {
	if sel.gemeente == nil {
		return ""
	}
	return sel.gemeente.Code
}

// valuesFormat picks JSON or CSV from format= or else the Accept header.
func valuesFormat(r *http.Request) (string, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "json", "csv":
		return f, nil
	case "":
		for _, accept := range r.Header.Values("Accept") {
			if containsMediaType(accept, "text/csv") {
				return "csv", nil
			}
		}
		return "json", nil
	default:
		return "", errBadRequest("format must be json or csv, got %q", f)
	}
}

// records returns the selection's areas with their published values,
// ordered by code, and the published Nederland value.
func (s *Server) records(r *http.Request, sel selection) ([]record, store.Published, error) {
	ctx := r.Context()
	areas, err := s.levelAreas(ctx, sel, store.AreaQuery{Gemeente: gemeenteCode(sel)})
	if err != nil {
		return nil, store.Published{}, err
	}
	values, err := s.publishedValues(ctx, sel, areas)
	if err != nil {
		return nil, store.Published{}, err
	}
	nl, err := s.nederland(ctx, sel)
	if err != nil {
		return nil, store.Published{}, err
	}
	recs := make([]record, len(areas))
	for i, a := range areas {
		recs[i] = newRecord(a, values, sel, nl)
	}
	return recs, nl, nil
}

// writeValuesCSV writes records as CSV, one row per area, with the
// Nederland row last.
func writeValuesCSV(w http.ResponseWriter, sel selection, recs []record, nl store.Published) error {
	name := fmt.Sprintf("wijkkaart-%s-%s-%s-%d.csv", sel.level, sel.indicator.ID, sel.group.ID, sel.year)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	header := []string{"jaar", "niveau", "code", "naam", "gemeentecode", "gemeentenaam", "indicator", "herkomstgroep",
		"waarde", "teller", "noemer", "status", "herkomst_cijfer", "eenheid", "grensjaar"}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, rec := range append(recs, nederlandRecord(sel, nl)) {
		v, num, den, _ := rec.numbers()
		row := []string{strconv.Itoa(sel.year), string(rec.area.Level), rec.area.Code, rec.area.Name,
			rec.area.GemeenteCode, rec.area.GemeenteName, sel.indicator.ID, sel.group.ID,
			formatNumber(v), formatNumber(num), formatNumber(den), string(rec.value.Status),
			string(rec.value.Provenance), string(sel.indicator.Unit), strconv.Itoa(rec.area.Year)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// nederlandRecord is the record of the Nederland value of sel: Nederland
// is on its own year.
func nederlandRecord(sel selection, nl store.Published) record {
	return record{area: store.Area{Level: catalog.Nederland, Year: sel.year, Code: catalog.NederlandCode, Name: "Nederland"}, value: nl}
}

func formatNumber(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}
