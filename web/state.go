package web

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// dataState is what the server keeps about one version of the published
// data: small facts every request needs, read once per version. Nothing in
// it is ever carried over to another version.
type dataState struct {
	version      store.Version
	years        []int
	publications []store.Publication
	// levels holds, per level with values, its value years ascending and
	// the boundary year each is on (see store.Store.BoundaryYears).
	levels map[catalog.Level][]store.BoundaryYear
	// lineage is what became of every area between boundary years.
	lineage []store.Lineage

	mu sync.Mutex
	// same holds the results of store.SameAreas asked so far.
	same map[sameKey]map[string]string
	// auto holds, per year, the gemeenten the auto level shows as
	// buurten.
	auto map[int]map[string]bool
	// labels holds the label points computed from this version's
	// boundaries, as the GeoJSON /api/labels answers (see
	// Server.labelPoints).
	labels map[labelKey][]byte
}

// stateHolder holds the current dataState.
type stateHolder struct {
	mu      sync.Mutex
	current *dataState
}

// state returns the state of the current data version, reading it from
// the store when the server has none yet (at start, or until the store
// has data).
func (s *Server) state(ctx context.Context) (*dataState, error) {
	h := &s.data
	h.mu.Lock()
	st := h.current
	h.mu.Unlock()
	if st != nil {
		return st, nil
	}
	return s.Refresh(ctx)
}

// Refresh reads the store's data version and, when it changed, the facts
// of the new version, and drops what was cached of older versions. A
// server backed by a shared database calls it when a publication commits,
// and after reconnecting to hear of them; reconnecting alone changes
// nothing cached.
func (s *Server) Refresh(ctx context.Context) (*dataState, error) {
	version, err := s.cfg.Store.Version(ctx)
	if err != nil {
		return nil, err
	}
	h := &s.data
	h.mu.Lock()
	current := h.current
	h.mu.Unlock()
	if current != nil && current.version == version {
		return current, nil
	}
	years, err := s.cfg.Store.Years(ctx)
	if err != nil {
		return nil, err
	}
	pubs, err := s.cfg.Store.Publications(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.readState(ctx, version, years, pubs)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.current != nil && h.current.version >= version {
		// A concurrent refresh got a newer version first.
		return h.current, nil
	}
	replaced := h.current != nil
	h.current = st
	if replaced {
		s.cache.Purge()
		s.shapes.Purge()
		s.cfg.Logger.InfoContext(ctx, "published data changed; caches of the old version dropped", "version", version)
	}
	return st, nil
}

// minObservations returns the disclosure threshold the indicator's values
// of year were published with, and whether they were published.
func (st *dataState) minObservations(year int, indicator string) (int, bool) {
	for _, p := range st.publications {
		if p.Year == year && p.Indicator == indicator {
			return p.MinObservations, true
		}
	}
	return 0, false
}

// readState reads the boundary years and the lineage of a data version and
// makes its state.
func (s *Server) readState(ctx context.Context, version store.Version, years []int, pubs []store.Publication) (*dataState, error) {
	boundaryYears, err := s.cfg.Store.BoundaryYears(ctx)
	if err != nil {
		return nil, fmt.Errorf("boundary years: %w", err)
	}
	lineage, err := s.cfg.Store.Lineage(ctx)
	if err != nil {
		return nil, fmt.Errorf("lineage: %w", err)
	}
	levels := make(map[catalog.Level][]store.BoundaryYear)
	for _, by := range boundaryYears {
		levels[by.Level] = append(levels[by.Level], by)
	}
	for _, l := range levels {
		slices.SortFunc(l, func(a, b store.BoundaryYear) int { return a.Year - b.Year })
	}
	return &dataState{
		version: version, years: years, publications: pubs, levels: levels, lineage: lineage,
		auto: make(map[int]map[string]bool), same: make(map[sameKey]map[string]string),
	}, nil
}

// valueLevel is the level whose value years a map of level has: the
// wijk for auto, which shows buurten only in years they have values (see
// Server.buurtGemeenten), and level itself otherwise.
func valueLevel(level catalog.Level) catalog.Level {
	if level == catalog.Auto {
		return catalog.Wijk
	}
	return level
}

// levelYears returns the value years level has values in, ascending.
func (st *dataState) levelYears(level catalog.Level) []int {
	var out []int
	for _, by := range st.levels[valueLevel(level)] {
		out = append(out, by.Year)
	}
	return out
}

// hasValues reports whether level has values in value year year.
func (st *dataState) hasValues(level catalog.Level, year int) bool {
	_, ok := st.boundaryYear(level, year)
	return ok
}

// boundaryYear returns the boundary year the values of level in value
// year year are on, and whether level has values that year.
func (st *dataState) boundaryYear(level catalog.Level, year int) (int, bool) {
	for _, by := range st.levels[valueLevel(level)] {
		if by.Year == year {
			return by.Boundary, true
		}
	}
	return 0, false
}

// levelYearJSON is one value year of a level and the boundary year its
// values are on.
type levelYearJSON struct {
	Year         int `json:"year"`
	BoundaryYear int `json:"boundary_year"`
}

// levelsJSON says, per level, which value years it has values in and
// which boundary year each is on: what every answer that lists years
// says.
func (st *dataState) levelsJSON() map[catalog.Level][]levelYearJSON {
	out := make(map[catalog.Level][]levelYearJSON, len(st.levels))
	for level, years := range st.levels {
		for _, by := range years {
			out[level] = append(out[level], levelYearJSON{Year: by.Year, BoundaryYear: by.Boundary})
		}
	}
	return out
}

// sameKey names one store.SameAreas question.
type sameKey struct {
	level    catalog.Level
	from, to int
}

// sameAreas returns, for the areas of level's boundary year to that are
// the same extent as an area of boundary year from, that area's code
// (to-code → from-code), as store.SameAreas does, once per data version;
// nil when from equals to and every area is itself.
func (st *dataState) sameAreas(level catalog.Level, from, to int) map[string]string {
	if from == to {
		return nil
	}
	k := sameKey{level, from, to}
	st.mu.Lock()
	defer st.mu.Unlock()
	if got, ok := st.same[k]; ok {
		return got
	}
	got := store.SameAreas(st.lineage, level, from, to)
	st.same[k] = got
	return got
}

// shownBoundaryYears returns the boundary year of each level a map of
// level shows in value year year: for auto, the wijk's, and the buurt's
// where buurten have values that year.
func (st *dataState) shownBoundaryYears(level catalog.Level, year int) map[catalog.Level]int {
	out := make(map[catalog.Level]int)
	for _, l := range level.Shows() {
		if b, ok := st.boundaryYear(l, year); ok {
			out[l] = b
		}
	}
	return out
}
