package web

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/styles"
)

// autoLevel is the display level that shows, per gemeente, its buurten
// where its wijken are too coarse, and its wijken elsewhere.
const autoLevel = styles.LevelAuto

// coarseWijk is the median wijk population above which a gemeente's wijken
// are too coarse to see differences within the city, and auto shows its
// buurten. Gemeenten that are a single wijk (Best, Doesburg) get buurten too.
const coarseWijk = 10_000

// autoMinZoom is the zoom from which auto shows buurten: below it they are
// smaller than a pixel.
const autoMinZoom maptile.Zoom = 8

// autoChoices remembers, per year, which gemeenten auto shows at buurt
// level.
type autoChoices struct {
	mu     sync.Mutex
	byYear map[int]map[string]bool
}

func (a *autoChoices) purge() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.byYear = nil
}

// buurtGemeenten returns the gemeenten auto shows at buurt level in year:
// those with buurt boundaries whose wijken are coarse (see coarseWijk).
func (s *Server) buurtGemeenten(ctx context.Context, year int) (map[string]bool, error) {
	s.auto.mu.Lock()
	got, ok := s.auto.byYear[year]
	s.auto.mu.Unlock()
	if ok {
		return got, nil
	}
	populations, err := s.wijkPopulations(ctx, year)
	if err != nil {
		return nil, err
	}
	buurten, err := s.cfg.Store.Areas(ctx, store.AreaQuery{Level: catalog.Buurt, Year: year})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	hasBuurten := make(map[string]bool)
	for _, b := range buurten {
		hasBuurten[b.GemeenteCode] = true
	}
	chosen := make(map[string]bool)
	for gm, pops := range populations {
		slices.Sort(pops)
		if hasBuurten[gm] && (len(pops) == 1 || pops[len(pops)/2] > coarseWijk) {
			chosen[gm] = true
		}
	}
	s.auto.mu.Lock()
	defer s.auto.mu.Unlock()
	if s.auto.byYear == nil {
		s.auto.byYear = make(map[int]map[string]bool)
	}
	s.auto.byYear[year] = chosen
	return chosen, nil
}

// wijkPopulations returns the populations of the wijken of each gemeente.
// They decide which level auto shows; they are not published by it.
func (s *Server) wijkPopulations(ctx context.Context, year int) (map[string][]float64, error) {
	raw, err := s.cfg.Store.Values(ctx, store.ValueQuery{Level: catalog.Wijk, Year: year, Indicator: "inwoners", Group: catalog.TotaalGroup})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]float64)
	for _, v := range raw {
		gm, err := catalog.GemeenteOf(v.Code)
		if err == nil && v.Value.Valid {
			out[gm] = append(out[gm], v.Value.V)
		}
	}
	return out, nil
}

// autoAreas keeps, of the wijken and buurten given, those auto shows.
func autoAreas(areas []store.Area, buurtGemeenten map[string]bool) []store.Area {
	var out []store.Area
	for _, a := range areas {
		if (a.Level == catalog.Buurt) == buurtGemeenten[a.GemeenteCode] {
			out = append(out, a)
		}
	}
	return out
}

// levelAreas returns the areas of a selection's level, within its gemeente
// when one is chosen; for auto, the mix of wijken and buurten it shows.
func (s *Server) levelAreas(ctx context.Context, sel selection, q store.AreaQuery) ([]store.Area, error) {
	q.Year = sel.year
	if sel.level != autoLevel {
		q.Level = sel.level
		return s.cfg.Store.Areas(ctx, q)
	}
	chosen, err := s.buurtGemeenten(ctx, sel.year)
	if err != nil {
		return nil, err
	}
	var all []store.Area
	for _, l := range []catalog.Level{catalog.Wijk, catalog.Buurt} {
		q.Level = l
		areas, err := s.cfg.Store.Areas(ctx, q)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		all = append(all, areas...)
	}
	return autoAreas(all, chosen), nil
}

// autoChoropleth returns the tile data of auto: wijken and buurten as
// chosen per gemeente, and only wijken below autoMinZoom.
func (s *Server) autoChoropleth(ctx context.Context, q store.ValueQuery, within orb.Bound, z maptile.Zoom) (store.Choropleth, error) {
	chosen := map[string]bool{}
	levels := []catalog.Level{catalog.Wijk}
	if z >= autoMinZoom {
		var err error
		if chosen, err = s.buurtGemeenten(ctx, q.Year); err != nil {
			return store.Choropleth{}, err
		}
		levels = append(levels, catalog.Buurt)
	}
	out := store.Choropleth{Values: make(map[string]store.Value)}
	for _, l := range levels {
		q.Level = l
		part, err := s.cfg.Store.Choropleth(ctx, q, within)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.Choropleth{}, err
		}
		out.Areas = append(out.Areas, part.Areas...)
		for code, v := range part.Values {
			out.Values[code] = v
		}
		out.Nederland = part.Nederland
	}
	out.Areas = autoAreas(out.Areas, chosen)
	return out, nil
}
