package web

import (
	"context"
	"errors"
	"slices"

	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/tiles"
)

// coarseWijk is the median wijk population above which a gemeente's wijken
// are too coarse to see differences within the city, and auto shows its
// buurten. Gemeenten that are a single wijk (Best, Doesburg) get buurten too.
const coarseWijk = 10_000

// autoMinZoom is the zoom from which auto shows buurten, and buurt tiles are
// served: below it most buurten are a pixel or two wide, and the tile of
// the Randstad holds 5,500 of them in 490 KB at z8 against 160 KB at z9
// (see the README, "Geometry prepared once").
const autoMinZoom maptile.Zoom = 9

// buurtGemeenten returns the gemeenten auto shows at buurt level in year:
// those with buurt boundaries whose wijken are coarse (see coarseWijk).
// In a year without buurt values, and on a change map whose base year
// (compare, 0 for none) has none, auto shows wijken everywhere. The
// choice is made once per data version.
func (s *Server) buurtGemeenten(ctx context.Context, st *dataState, year, compare int) (map[string]bool, error) {
	if !st.hasValues(catalog.Buurt, year) || (compare != 0 && !st.hasValues(catalog.Buurt, compare)) {
		return map[string]bool{}, nil
	}
	st.mu.Lock()
	got, ok := st.auto[year]
	st.mu.Unlock()
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
	st.mu.Lock()
	defer st.mu.Unlock()
	st.auto[year] = chosen
	return chosen, nil
}

// wijkPopulations returns the published populations of the wijken of each
// gemeente, which decide which level auto shows.
func (s *Server) wijkPopulations(ctx context.Context, year int) (map[string][]float64, error) {
	raw, err := s.cfg.Store.Values(ctx, store.ValueQuery{Level: catalog.Wijk, Year: year, Indicator: "inwoners", Group: catalog.TotaalGroup})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]float64)
	for _, v := range raw {
		gm, err := catalog.GemeenteOf(v.Code)
		if n, ok := v.Value(); err == nil && ok {
			out[gm] = append(out[gm], n)
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
	if sel.level != catalog.Auto {
		q.Level = sel.level
		return s.cfg.Store.Areas(ctx, q)
	}
	chosen, err := s.buurtGemeenten(ctx, sel.data, sel.year, sel.compare)
	if err != nil {
		return nil, err
	}
	levels := []catalog.Level{catalog.Wijk}
	if len(chosen) > 0 {
		levels = append(levels, catalog.Buurt)
	}
	var all []store.Area
	for _, l := range levels {
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
func (s *Server) autoChoropleth(ctx context.Context, sel selection, q store.ValueQuery, t maptile.Tile) (store.Choropleth, tiles.Shapes, error) {
	chosen := map[string]bool{}
	levels := []catalog.Level{catalog.Wijk}
	if t.Z >= autoMinZoom {
		var err error
		if chosen, err = s.buurtGemeenten(ctx, sel.data, q.Year, sel.compare); err != nil {
			return store.Choropleth{}, tiles.Shapes{}, err
		}
		if len(chosen) > 0 {
			levels = append(levels, catalog.Buurt)
		}
	}
	out := store.Choropleth{Values: make(map[string]store.Published)}
	var shapes tiles.Shapes
	for _, l := range levels {
		q.Level = l
		part, partShapes, err := s.levelChoropleth(ctx, sel, q, t)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.Choropleth{}, tiles.Shapes{}, err
		}
		out.Areas = append(out.Areas, part.Areas...)
		for code, v := range part.Values {
			out.Values[code] = v
		}
		out.Nederland = part.Nederland
		out.Version = sameVersion(out.Version, part.Version)
		shapes = shapes.Union(partShapes)
	}
	out.Areas = autoAreas(out.Areas, chosen)
	return out, shapes, nil
}

// sameVersion returns the data version of two reads together: either when
// the other has none (no areas), and -1, no version, when they differ.
func sameVersion(a, b store.Version) store.Version {
	switch {
	case a == 0:
		return b
	case b == 0, a == b:
		return a
	}
	return -1
}
