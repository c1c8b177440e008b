// Package memstore is the embedded store: boundaries and published values
// held in memory, for running wijkkaart without a database. A Builder
// fills it once, from areas and a stream of published values; it is
// read-only afterwards.
package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
)

// Store is an in-memory store.Store.
type Store struct {
	version       store.Version
	years         []int
	publications  []store.Publication
	areas         map[layerKey]*layer
	series        map[seriesKey]*series
	boundaryYears map[layerKey]int // (level, value year) → boundary year, where it differs
	lineage       []store.Lineage
}

// layerKey names the areas of one level in one boundary year, or the
// values of one level in one value year.
type layerKey struct {
	level catalog.Level
	year  int
}

// layerOf returns the areas the level's values of value year are on: those
// of its boundary year. Nederland is one area whatever the year.
func (s *Store) layerOf(level catalog.Level, year int) (*layer, int, error) {
	boundary := year
	if b, ok := s.boundaryYears[layerKey{level, year}]; ok {
		boundary = b
	}
	if level == catalog.Nederland {
		boundary = 0
	}
	l, ok := s.areas[layerKey{level, boundary}]
	if !ok {
		return nil, 0, fmt.Errorf("memstore: no %s boundaries for %d: %w", level, year, store.ErrNotFound)
	}
	if level == catalog.Nederland {
		boundary = year
	}
	return l, boundary, nil
}

// layer holds the areas of one level and year, sorted by code.
type layer struct {
	areas      []store.Area
	index      map[string]int // code → position in areas
	folded     []string       // names folded for search, by position
	bounds     []orb.Bound    // world-coordinate bounds, by position
	inGemeente map[string][]int
	// bands holds the geometry simplified for each zoom band but the
	// last (see geo.Bands), by band, then position.
	bands [][]orb.MultiPolygon
}

// seriesKey names the values of one indicator for one group.
type seriesKey struct {
	layerKey
	indicator, group string
}

// nederland is the single area the Nederland level consists of.
var nederland = store.Area{Level: catalog.Nederland, Code: catalog.NederlandCode, Name: "Nederland"}

// Version implements store.Store.
func (s *Store) Version(ctx context.Context) (store.Version, error) { return s.version, ctx.Err() }

// Years implements store.Store.
func (s *Store) Years(ctx context.Context) ([]int, error) {
	return slices.Clone(s.years), ctx.Err()
}

// BoundaryYears implements store.Store.
func (s *Store) BoundaryYears(ctx context.Context) ([]store.BoundaryYear, error) {
	seen := make(map[layerKey]bool)
	var out []store.BoundaryYear
	for k := range s.series {
		if seen[k.layerKey] {
			continue
		}
		seen[k.layerKey] = true
		_, boundary, err := s.layerOf(k.level, k.year)
		if err != nil {
			return nil, err
		}
		out = append(out, store.BoundaryYear{Level: k.level, Year: k.year, Boundary: boundary})
	}
	slices.SortFunc(out, func(a, b store.BoundaryYear) int {
		return cmp.Or(cmp.Compare(a.Level.Rank(), b.Level.Rank()), cmp.Compare(a.Year, b.Year))
	})
	return out, ctx.Err()
}

// Lineage implements store.Store.
func (s *Store) Lineage(ctx context.Context) ([]store.Lineage, error) {
	return slices.Clone(s.lineage), ctx.Err()
}

// Publications implements store.Store.
func (s *Store) Publications(ctx context.Context) ([]store.Publication, error) {
	return slices.Clone(s.publications), ctx.Err()
}

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

// Close implements store.Store.
func (s *Store) Close() {}

// Areas implements store.Store.
func (s *Store) Areas(ctx context.Context, q store.AreaQuery) ([]store.Area, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l, boundary, err := s.layerOf(q.Level, q.Year)
	if err != nil {
		return nil, err
	}
	folded := store.FoldName(q.NameContains)
	var out []store.Area
	for _, i := range l.candidates(q.Gemeente, q.Codes) {
		a := l.areas[i]
		if q.Within != (orb.Bound{}) && !l.bounds[i].Intersects(q.Within) {
			continue
		}
		if folded != "" && !strings.Contains(l.folded[i], folded) {
			continue
		}
		if !q.WithGeometry {
			a.Geometry = nil
		}
		a.Year = boundary
		out = append(out, a)
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// candidates returns the positions of the areas in a gemeente and with the
// given codes, ascending by code.
func (l *layer) candidates(gemeente string, codes []string) []int {
	var idx []int
	switch {
	case gemeente != "":
		idx = l.inGemeente[gemeente]
	default:
		idx = make([]int, len(l.areas))
		for i := range idx {
			idx[i] = i
		}
	}
	if len(codes) == 0 {
		return idx
	}
	want := make(map[string]bool, len(codes))
	for _, c := range codes {
		want[c] = true
	}
	var out []int
	for _, i := range idx {
		if want[l.areas[i].Code] {
			out = append(out, i)
		}
	}
	return out
}

// Values implements store.Store.
func (s *Store) Values(ctx context.Context, q store.ValueQuery) ([]store.Published, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l, _, err := s.layerOf(q.Level, q.Year)
	if err != nil {
		return nil, err
	}
	sr := s.series[seriesKey{layerKey{q.Level, q.Year}, q.Indicator, q.Group}]
	if sr == nil {
		return nil, nil
	}
	var out []store.Published
	r := sr.reader()
	for _, i := range l.candidates(q.Gemeente, q.Codes) {
		if p, ok := r.published(q, l.areas[i].Code, i); ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// Choropleth implements store.Store.
func (s *Store) Choropleth(ctx context.Context, tq store.TileQuery) (store.Choropleth, error) {
	q := tq.ValueQuery
	areas, err := s.Areas(ctx, store.AreaQuery{Level: q.Level, Year: q.Year, Within: tq.Within, WithGeometry: true})
	if err != nil {
		return store.Choropleth{}, err
	}
	lk := layerKey{q.Level, q.Year}
	l, _, err := s.layerOf(q.Level, q.Year)
	if err != nil {
		return store.Choropleth{}, err
	}
	if band := geo.BandOf(tq.Zoom); band < len(l.bands) {
		for i, a := range areas {
			areas[i].Geometry = l.bands[band][l.index[a.Code]]
		}
	}
	out := store.Choropleth{Areas: areas, Values: make(map[string]store.Published, len(areas)), Version: s.version}
	if sr := s.series[seriesKey{lk, q.Indicator, q.Group}]; sr != nil {
		r := sr.reader()
		for _, a := range areas {
			if p, ok := r.published(q, a.Code, l.index[a.Code]); ok {
				out.Values[a.Code] = p
			}
		}
	}
	out.Nederland = s.nederland(q)
	return out, nil
}

// TileValues implements store.Store.
func (s *Store) TileValues(ctx context.Context, q store.ValueQuery) (store.Choropleth, error) {
	out := store.Choropleth{Values: make(map[string]store.Published, len(q.Codes)), Nederland: s.nederland(q), Version: s.version}
	if len(q.Codes) == 0 {
		return out, ctx.Err()
	}
	q.Gemeente = ""
	values, err := s.Values(ctx, q)
	if err != nil {
		return store.Choropleth{}, err
	}
	for _, v := range values {
		out.Values[v.Code] = v
	}
	return out, nil
}

// nederland returns the Nederland value for q's indicator, group and year,
// or no data when there is none.
func (s *Store) nederland(q store.ValueQuery) store.Published {
	q.Level = catalog.Nederland
	if sr := s.series[seriesKey{layerKey{catalog.Nederland, q.Year}, q.Indicator, q.Group}]; sr != nil {
		r := sr.reader()
		if p, ok := r.published(q, catalog.NederlandCode, 0); ok {
			return p
		}
	}
	return store.Missing(catalog.Nederland, q.Year, catalog.NederlandCode, q.Indicator, q.Group)
}

// newLayers indexes areas by level and boundary year, and adds the
// Nederland area (keyed by year 0: it is the same every year). It takes ownership of the areas' geometry, orients its rings
// for tiles and simplifies it for each zoom band.
func newLayers(areas []store.Area) (map[layerKey]*layer, error) {
	byLayer := make(map[layerKey][]store.Area)
	for _, a := range areas {
		k := layerKey{a.Level, a.Year}
		byLayer[k] = append(byLayer[k], a)
	}
	layers := make(map[layerKey]*layer)
	for k, as := range byLayer {
		as = slices.Clone(as)
		sort.Slice(as, func(i, j int) bool { return as[i].Code < as[j].Code })
		l := &layer{areas: as, index: make(map[string]int, len(as)), inGemeente: make(map[string][]int)}
		for i, a := range as {
			if _, dup := l.index[a.Code]; dup {
				return nil, fmt.Errorf("memstore: duplicate area %s %s in %d", a.Level, a.Code, a.Year)
			}
			geo.OrientForTiles(a.Geometry)
			l.index[a.Code] = i
			l.folded = append(l.folded, store.FoldName(a.Name))
			l.bounds = append(l.bounds, a.Geometry.Bound())
			l.inGemeente[a.GemeenteCode] = append(l.inGemeente[a.GemeenteCode], i)
		}
		l.bands = simplifyBands(as)
		layers[k] = l
	}
	layers[layerKey{catalog.Nederland, 0}] = &layer{areas: []store.Area{nederland}, index: map[string]int{nederland.Code: 0},
		folded: []string{"nederland"}, bounds: []orb.Bound{{}}}
	return layers, nil
}

// simplifyBands returns the geometry of the areas of one level and year
// simplified for each zoom band but the last, which is the geometry as
// given: all areas of a level at once, so that neighbours keep sharing
// their borders.
func simplifyBands(areas []store.Area) [][]orb.MultiPolygon {
	geoms := make([]orb.MultiPolygon, len(areas))
	for i, a := range areas {
		geoms[i] = a.Geometry
	}
	return geo.NewCoverage(geoms).SimplifyBands()
}
