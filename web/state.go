package web

import (
	"context"
	"sync"

	"github.com/wijkkaart/wijkkaart/store"
)

// dataState is what the server keeps about one version of the published
// data: small facts every request needs, read once per version. Nothing in
// it is ever carried over to another version.
type dataState struct {
	version      store.Version
	years        []int
	publications []store.Publication

	mu sync.Mutex
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
	st := &dataState{version: version, years: years, publications: pubs, auto: make(map[int]map[string]bool)}
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
