package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// selection is what a request asks to see: an indicator for a group in a
// year at a level, optionally within one gemeente.
type selection struct {
	level     catalog.Level
	indicator catalog.Indicator
	group     catalog.Group
	year      int
	// compare is the base year of a change map (see parseCompare), 0
	// for a map of values.
	compare  int
	gemeente *store.Area // nil for all of Nederland
	// data is the version of the published data the request is answered
	// from.
	data *dataState
}

// checkParams rejects query parameters an endpoint does not know, so that a
// typo ("indicatr=") is an error instead of a silently different map.
func checkParams(q url.Values, known ...string) error {
	for name := range q {
		if !slices.Contains(known, name) {
			return errBadRequest("unknown query parameter %q (this endpoint takes: %s)", name, strings.Join(known, ", "))
		}
	}
	return nil
}

// Limits on what a request may carry. They are far above what any real
// request needs and far below what could cost the server.
const (
	maxPathBytes   = 1024
	maxQueryBytes  = 4096
	maxParams      = 16
	maxNameBytes   = 32
	maxValueBytes  = 256
	maxSearchRunes = 100
)

// validatePath checks a request path (decoded): valid UTF-8, no control
// characters, not overlong.
func validatePath(path string) error {
	switch {
	case len(path) > maxPathBytes:
		return errBadRequest("the path is longer than %d bytes", maxPathBytes)
	case !utf8.ValidString(path):
		return errBadRequest("the path is not valid UTF-8")
	case strings.IndexFunc(path, unicode.IsControl) >= 0:
		return errBadRequest("the path holds a control character")
	}
	return nil
}

// validateQuery parses a raw query string strictly: every parameter once,
// each name and value properly %-encoded, valid UTF-8 without control
// characters, and not overlong. Its errors name the parameter.
func validateQuery(raw string) (url.Values, error) {
	if len(raw) > maxQueryBytes {
		return nil, errBadRequest("the query string is longer than %d bytes", maxQueryBytes)
	}
	q := url.Values{}
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		if strings.Contains(rawName, ";") {
			return nil, errBadRequest("query parameter name %q is not properly %%-encoded (write ; as %%3B)", truncate(rawName, maxNameBytes))
		}
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			return nil, errBadRequest("query parameter name %q is not properly %%-encoded", truncate(rawName, maxNameBytes))
		}
		if problem := textProblem(name, maxNameBytes); problem != "" {
			return nil, errBadRequest("query parameter name %q %s", truncate(name, maxNameBytes), problem)
		}
		value, err := url.QueryUnescape(rawValue)
		// net/url drops a pair with a semicolon; it must be %3B.
		if err != nil || strings.Contains(rawValue, ";") {
			return nil, errBadRequest("query parameter %s is not properly %%-encoded", name)
		}
		if problem := textProblem(value, maxValueBytes); problem != "" {
			return nil, errBadRequest("query parameter %s %s", name, problem)
		}
		if q.Has(name) {
			return nil, errBadRequest("query parameter %s is given more than once; give it once", name)
		}
		if len(q) == maxParams {
			return nil, errBadRequest("more than %d query parameters", maxParams)
		}
		q.Set(name, value)
	}
	return q, nil
}

// textProblem says what is wrong with one decoded name or value, as the
// end of a sentence that names it; "" when nothing is. Checked for every
// parameter of every request, it builds no message for a good one.
func textProblem(text string, maxBytes int) string {
	switch {
	case len(text) > maxBytes:
		return fmt.Sprintf("is longer than %d bytes", maxBytes)
	case !utf8.ValidString(text):
		return "is not valid UTF-8"
	case strings.IndexFunc(text, unicode.IsControl) >= 0:
		return "holds a control character"
	}
	return ""
}

// parseLevel reads the level from the path, or from the query when the
// route has none.
func parseLevel(r *http.Request) (catalog.Level, error) {
	name, inPath := mux.Vars(r)["level"]
	if !inPath {
		name = r.URL.Query().Get("level")
	}
	l, err := catalog.ParseLevel(name)
	if err != nil {
		if inPath {
			return "", errNotFound("%v", err)
		}
		return "", errBadRequest("%v", err)
	}
	return l, nil
}

// parseSelection reads level, indicator, group, year and gemeente: the
// level from r's path (or q), the rest from q, r's query as its handler
// parsed it.
func (s *Server) parseSelection(r *http.Request, q url.Values) (selection, error) {
	var sel selection
	var err error
	if sel.data, err = s.state(r.Context()); err != nil {
		return sel, err
	}
	if sel.level, err = parseLevel(r); err != nil {
		return sel, err
	}
	if sel.indicator, err = s.parseIndicator(q.Get("indicator")); err != nil {
		return sel, err
	}
	if sel.group, err = s.parseGroup(q.Get("group"), sel.indicator); err != nil {
		return sel, err
	}
	if sel.year, err = pickLevelYear(sel.data, sel.level, q.Get("year")); err != nil {
		return sel, err
	}
	if sel.compare, err = parseCompare(sel, q.Get("compare")); err != nil {
		return sel, err
	}
	if code := q.Get("gemeente"); code != "" {
		if sel.gemeente, err = s.findGemeente(r, code, sel.year); err != nil {
			return sel, err
		}
	}
	return sel, nil
}

func (s *Server) parseIndicator(id string) (catalog.Indicator, error) {
	if id == "" {
		return catalog.Indicator{}, errBadRequest("query parameter indicator is required; see /api/indicators")
	}
	ind, ok := s.cfg.Catalog.Indicator(id)
	if !ok {
		return catalog.Indicator{}, errBadRequest("unknown indicator %q; see /api/indicators", id)
	}
	return ind, nil
}

func (s *Server) parseGroup(id string, ind catalog.Indicator) (catalog.Group, error) {
	if id == "" {
		id = catalog.TotaalGroup
	}
	g, ok := s.cfg.Catalog.Group(id)
	if !ok {
		return catalog.Group{}, errBadRequest("unknown group %q; see /api/groups", id)
	}
	if !ind.SplitByGroup && g.ID != catalog.TotaalGroup {
		return catalog.Group{}, errBadRequest("indicator %q describes an area as a whole and is not split by herkomstgroep; use group=totaal", ind.ID)
	}
	return g, nil
}

// parseYear returns the requested year of the current data, or the latest
// when none is asked.
func (s *Server) parseYear(r *http.Request, text string) (int, error) {
	st, err := s.state(r.Context())
	if err != nil {
		return 0, err
	}
	return pickYear(st.years, text)
}

// pickLevelYear returns the requested value year if level has values in
// it, or level's latest when none is asked. A year the level has no
// values in is a 400 naming the parameter year, whatever other levels
// have.
func pickLevelYear(st *dataState, level catalog.Level, text string) (int, error) {
	years := st.levelYears(level)
	if len(years) == 0 && len(st.years) > 0 {
		return 0, errNotFound("no data for year: level %s has no values in any year (query parameter year)", level)
	}
	y, err := pickYear(years, text)
	var apiErr *apiError
	if errors.As(err, &apiErr) && apiErr.status == http.StatusBadRequest && slices.Contains(st.years, atoiOr(text)) {
		return 0, errBadRequest("no data for year %s at level %s: query parameter year must be one of %s", text, level, joinInts(years))
	}
	return y, err
}

// atoiOr returns text as a number, or 0 when it is not one.
func atoiOr(text string) int {
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0
	}
	return n
}

// pickYear returns the requested year of years, or the latest when none
// is asked.
func pickYear(years []int, text string) (int, error) {
	if len(years) == 0 {
		return 0, &apiError{status: http.StatusServiceUnavailable, msg: "the store holds no data yet; import boundaries and values first"}
	}
	if text == "" {
		return years[len(years)-1], nil
	}
	y, err := strconv.Atoi(text)
	if err != nil || len(text) != 4 {
		return 0, errBadRequest("year must be a year such as %d, got %q", years[len(years)-1], text)
	}
	if !slices.Contains(years, y) {
		return 0, errBadRequest("no data for year %d (query parameter year; available: %s)", y, joinInts(years))
	}
	return y, nil
}

func (s *Server) findGemeente(r *http.Request, code string, year int) (*store.Area, error) {
	if l, err := catalog.LevelOfCode(code); err != nil || l != catalog.Gemeente {
		return nil, errBadRequest("gemeente must be a CBS gemeente code such as GM0344, got %q", code)
	}
	found, err := s.cfg.Store.Areas(r.Context(), store.AreaQuery{Level: catalog.Gemeente, Year: year, Codes: []string{code}})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, errBadRequest("unknown gemeente %q in %d; see /api/areas?level=gemeente", code, year)
	}
	return &found[0], nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
