// Package memstore is the embedded store: boundaries and values held in
// memory, for running wijkkaart without a database. It is built once from
// areas and a stream of values and is read-only afterwards.
package memstore

import (
	"context"
	"fmt"
	"iter"
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
	years  []int
	areas  map[layerKey]*layer
	series map[seriesKey][]cell
}

// layerKey names the areas of one level in one boundary year.
type layerKey struct {
	level catalog.Level
	year  int
}

// layer holds the areas of one level and year, sorted by code.
type layer struct {
	areas   []store.Area
	index   map[string]int // code → position in areas
	folded  []string       // names folded for search, by position
	bounds  []orb.Bound    // world-coordinate bounds, by position
	inGemee map[string][]int
}

// seriesKey names the values of one indicator for one group.
type seriesKey struct {
	layerKey
	indicator, group string
}

// cell is one value, stored compactly: the series holds one cell per area
// of its layer, by position.
type cell struct {
	value, numerator, denominator float64
	observations                  int32
	flags                         cellFlags
}

type cellFlags uint8

const (
	present cellFlags = 1 << iota // the area has a value row at all
	hasValue
	hasNumerator
	hasDenominator
	fromCBS
)

// nederland is the single area the Nederland level consists of.
var nederland = store.Area{Level: catalog.Nederland, Code: catalog.NederlandCode, Name: "Nederland"}

// New builds a store from areas and values. Every value must belong to an
// area (Nederland values to catalog.NederlandCode) of its level and year;
// a value for an unknown area or a duplicate value is an error. New takes
// ownership of the areas' geometry and orients its rings for tiles.
func New(areas []store.Area, values iter.Seq[store.Value]) (*Store, error) {
	s := &Store{areas: make(map[layerKey]*layer), series: make(map[seriesKey][]cell)}
	if err := s.addAreas(areas); err != nil {
		return nil, err
	}
	for v := range values {
		if err := s.addValue(v); err != nil {
			return nil, err
		}
	}
	years := make(map[int]bool)
	for k := range s.series {
		years[k.year] = true
	}
	for y := range years {
		s.years = append(s.years, y)
	}
	slices.Sort(s.years)
	return s, nil
}

func (s *Store) addAreas(areas []store.Area) error {
	byLayer := make(map[layerKey][]store.Area)
	for _, a := range areas {
		k := layerKey{a.Level, a.Year}
		byLayer[k] = append(byLayer[k], a)
	}
	for k, as := range byLayer {
		as = slices.Clone(as)
		sort.Slice(as, func(i, j int) bool { return as[i].Code < as[j].Code })
		l := &layer{areas: as, index: make(map[string]int, len(as)), inGemee: make(map[string][]int)}
		for i, a := range as {
			if _, dup := l.index[a.Code]; dup {
				return fmt.Errorf("memstore: duplicate area %s %s in %d", a.Level, a.Code, a.Year)
			}
			geo.OrientForTiles(a.Geometry)
			l.index[a.Code] = i
			l.folded = append(l.folded, store.FoldName(a.Name))
			l.bounds = append(l.bounds, a.Geometry.Bound())
			l.inGemee[a.GemeenteCode] = append(l.inGemee[a.GemeenteCode], i)
		}
		s.areas[k] = l
		nl := layerKey{catalog.Nederland, k.year}
		if _, ok := s.areas[nl]; !ok {
			a := nederland
			a.Year = k.year
			s.areas[nl] = &layer{areas: []store.Area{a}, index: map[string]int{a.Code: 0}, folded: []string{"nederland"}, bounds: []orb.Bound{{}}}
		}
	}
	return nil
}

func (s *Store) addValue(v store.Value) error {
	lk := layerKey{v.Level, v.Year}
	l, ok := s.areas[lk]
	if !ok {
		return fmt.Errorf("memstore: value for %s %s: no %s boundaries for %d", v.Indicator, v.Code, v.Level, v.Year)
	}
	i, ok := l.index[v.Code]
	if !ok {
		return fmt.Errorf("memstore: value for %s: unknown area %s in %d", v.Indicator, v.Code, v.Year)
	}
	sk := seriesKey{lk, v.Indicator, v.Group}
	cells, ok := s.series[sk]
	if !ok {
		cells = make([]cell, len(l.areas))
		s.series[sk] = cells
	}
	if cells[i].flags&present != 0 {
		return fmt.Errorf("memstore: duplicate value for %s %s %s in %d", v.Indicator, v.Group, v.Code, v.Year)
	}
	cells[i] = newCell(v)
	return nil
}

func newCell(v store.Value) cell {
	c := cell{
		value:        v.Value.V,
		numerator:    v.Numerator.V,
		denominator:  v.Denominator.V,
		observations: int32(v.Observations),
		flags:        present,
	}
	if v.Value.Valid {
		c.flags |= hasValue
	}
	if v.Numerator.Valid {
		c.flags |= hasNumerator
	}
	if v.Denominator.Valid {
		c.flags |= hasDenominator
	}
	if v.Provenance == store.CBS {
		c.flags |= fromCBS
	}
	return c
}

// Years implements store.Store.
func (s *Store) Years(ctx context.Context) ([]int, error) {
	return slices.Clone(s.years), ctx.Err()
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
	l, ok := s.areas[layerKey{q.Level, q.Year}]
	if !ok {
		return nil, fmt.Errorf("memstore: no %s boundaries for %d: %w", q.Level, q.Year, store.ErrNotFound)
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
		idx = l.inGemee[gemeente]
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
func (s *Store) Values(ctx context.Context, q store.ValueQuery) ([]store.Value, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lk := layerKey{q.Level, q.Year}
	l, ok := s.areas[lk]
	if !ok {
		return nil, fmt.Errorf("memstore: no %s boundaries for %d: %w", q.Level, q.Year, store.ErrNotFound)
	}
	cells := s.series[seriesKey{lk, q.Indicator, q.Group}]
	if cells == nil {
		return nil, nil
	}
	var out []store.Value
	for _, i := range l.candidates(q.Gemeente, q.Codes) {
		c := cells[i]
		if c.flags&present == 0 {
			continue
		}
		out = append(out, c.toValue(q, l.areas[i].Code))
	}
	return out, nil
}

// IndicatorValues implements store.Store.
func (s *Store) IndicatorValues(ctx context.Context, year int, indicator string) ([]store.Value, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var keys []seriesKey
	for k := range s.series {
		if k.year == year && k.indicator == indicator {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b seriesKey) int {
		if r := store.LevelRank(a.level) - store.LevelRank(b.level); r != 0 {
			return r
		}
		return strings.Compare(a.group, b.group)
	})
	var out []store.Value
	for _, k := range keys {
		l := s.areas[k.layerKey]
		q := store.ValueQuery{Level: k.level, Year: k.year, Indicator: k.indicator, Group: k.group}
		for i, c := range s.series[k] {
			if c.flags&present != 0 {
				out = append(out, c.toValue(q, l.areas[i].Code))
			}
		}
	}
	return out, nil
}

// Choropleth implements store.Store.
func (s *Store) Choropleth(ctx context.Context, q store.ValueQuery, within orb.Bound) (store.Choropleth, error) {
	areas, err := s.Areas(ctx, store.AreaQuery{Level: q.Level, Year: q.Year, Within: within, WithGeometry: true})
	if err != nil {
		return store.Choropleth{}, err
	}
	out := store.Choropleth{Areas: areas, Values: make(map[string]store.Value, len(areas))}
	lk := layerKey{q.Level, q.Year}
	if cells := s.series[seriesKey{lk, q.Indicator, q.Group}]; cells != nil {
		l := s.areas[lk]
		for _, a := range areas {
			if c := cells[l.index[a.Code]]; c.flags&present != 0 {
				out.Values[a.Code] = c.toValue(q, a.Code)
			}
		}
	}
	out.Nederland = s.nederland(q)
	return out, nil
}

// nederland returns the Nederland value for q's indicator, group and year,
// or a value without a number when there is none.
func (s *Store) nederland(q store.ValueQuery) store.Value {
	q.Level = catalog.Nederland
	if cells := s.series[seriesKey{layerKey{catalog.Nederland, q.Year}, q.Indicator, q.Group}]; cells != nil && cells[0].flags&present != 0 {
		return cells[0].toValue(q, catalog.NederlandCode)
	}
	return store.Value{Level: catalog.Nederland, Year: q.Year, Code: catalog.NederlandCode, Indicator: q.Indicator, Group: q.Group, Observations: -1}
}

func (c cell) toValue(q store.ValueQuery, code string) store.Value {
	v := store.Value{
		Level:        q.Level,
		Year:         q.Year,
		Code:         code,
		Indicator:    q.Indicator,
		Group:        q.Group,
		Observations: int(c.observations),
		Provenance:   store.Demo,
	}
	if c.flags&hasValue != 0 {
		v.Value = store.NullFloat(c.value)
	}
	if c.flags&hasNumerator != 0 {
		v.Numerator = store.NullFloat(c.numerator)
	}
	if c.flags&hasDenominator != 0 {
		v.Denominator = store.NullFloat(c.denominator)
	}
	if c.flags&fromCBS != 0 {
		v.Provenance = store.CBS
	}
	return v
}
