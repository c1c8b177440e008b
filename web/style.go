package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/styles"
)

// styleQuery are the query parameters of a style or legend.
var styleQuery = []string{"indicator", "group", "year", "compare", "gemeente", "method", "classes", "breaks", "palette"}

// style serves GET /styles/{level}.json: a MapLibre style whose classes are
// computed over the wijken of the chosen gemeente, or of all Nederland.
// target=qgis writes it for QGIS's style converter (see styles.TargetQGIS).
func (s *Server) style(w http.ResponseWriter, r *http.Request) error {
	st, err := s.buildStyle(r, append([]string{"target"}, styleQuery...))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

// legend serves GET /api/legend: the legend of the style the same query
// selects, on its own, for clients that draw their own map (QGIS, a
// portal's dashboard).
func (s *Server) legend(w http.ResponseWriter, r *http.Request) error {
	st, err := s.buildStyle(r, append([]string{"level"}, styleQuery...))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st.Metadata.Legend)
}

// buildStyle builds the style a request selects.
func (s *Server) buildStyle(r *http.Request, params []string) (styles.Style, error) {
	q := r.URL.Query()
	if err := checkParams(q, params...); err != nil {
		return styles.Style{}, err
	}
	sel, err := s.parseSelection(r, q)
	if err != nil {
		return styles.Style{}, err
	}
	p, err := s.styleParams(r, sel)
	if err != nil {
		return styles.Style{}, err
	}
	recs, nl, err := s.records(r, sel)
	if err != nil {
		return styles.Style{}, err
	}
	p.Values = make([]store.Published, len(recs))
	for i, rec := range recs {
		p.Values[i] = rec.value
	}
	if sel.compare != 0 {
		if err := s.withChanges(r.Context(), sel, recs); err != nil {
			return styles.Style{}, err
		}
		p.Changes = make([]styles.Change, len(recs))
		for i, rec := range recs {
			p.Changes[i] = rec.styleChange()
		}
	}
	p.Nederland = nl
	st, err := styles.Build(p)
	if errors.Is(err, styles.ErrInvalid) {
		return styles.Style{}, errBadRequest("%v", err)
	}
	return st, err
}

// styleParams reads the classification parameters of a style request.
func (s *Server) styleParams(r *http.Request, sel selection) (styles.Params, error) {
	q := r.URL.Query()
	method, err := styles.ParseMethod(q.Get("method"))
	if err != nil {
		return styles.Params{}, errBadRequest("%v", err)
	}
	if m := q.Get("method"); sel.compare != 0 && m != "" && m != string(styles.MethodQuantile) {
		return styles.Params{}, errBadRequest("method %s does not go with compare: a change map's classes are quantiles of the size of the changes (method=quantile)", truncate(m, 20))
	}
	var classes int
	if text := q.Get("classes"); text != "" {
		if classes, err = strconv.Atoi(text); err != nil || classes < styles.MinClasses || classes > styles.MaxClasses {
			return styles.Params{}, errBadRequest("classes must be a whole number from %d to %d, got %q", styles.MinClasses, styles.MaxClasses, truncate(text, 20))
		}
	}
	target, err := styles.ParseTarget(q.Get("target"))
	if err != nil {
		return styles.Params{}, errBadRequest("%v", err)
	}
	var breaks []float64
	if text := q.Get("breaks"); text != "" {
		if method != styles.MethodManual {
			return styles.Params{}, errBadRequest("breaks go with method=manual")
		}
		if breaks, err = styles.ParseBreaks(text); err != nil {
			return styles.Params{}, errBadRequest("%v", err)
		}
	}
	threshold, published := sel.data.minObservations(sel.year, sel.indicator.ID)
	if !published {
		return styles.Params{}, errNotFound("indicator %q has no published values for %d", sel.indicator.ID, sel.year)
	}
	tileQuery := url.Values{"indicator": {sel.indicator.ID}, "group": {sel.group.ID}, "year": {strconv.Itoa(sel.year)}}
	compareQuery(sel, tileQuery)
	labelQuery := url.Values{"level": {string(sel.level)}, "year": {strconv.Itoa(sel.year)}}
	compareQuery(sel, labelQuery)
	if sel.gemeente != nil {
		labelQuery.Set("gemeente", sel.gemeente.Code)
	}
	return styles.Params{
		Level:           sel.level,
		Indicator:       sel.indicator,
		Group:           sel.group,
		Year:            sel.year,
		Gemeente:        sel.gemeente,
		TileJSONURL:     fmt.Sprintf("%s/tiles/%s.json?%s", s.baseURL(r), sel.level, tileQuery.Encode()),
		GlyphsURL:       s.baseURL(r) + GlyphsPath,
		LabelsURL:       s.baseURL(r) + LabelsPath + "?" + labelQuery.Encode(),
		Method:          method,
		Classes:         classes,
		ManualBreaks:    breaks,
		Palette:         q.Get("palette"),
		MinObservations: threshold,
		Target:          target,
		Compare:         sel.compare,
	}, nil
}
