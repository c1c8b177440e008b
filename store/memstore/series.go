package memstore

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// series holds the published values of one indicator for one group, one
// cell per area of its layer, by position: while a Builder fills it, as
// cells; once built, packed (a few bytes a value instead of a
// store.Published, so that tens of millions of values fit in a few hundred
// megabytes).
type series struct {
	// scale is 10^decimals of the indicator: values are kept as whole
	// multiples of 1/scale, as they are published.
	scale  float64
	cells  []cell // while building; nil once packed
	packed packed
}

// pack packs the series' cells and lets them go.
func (sr *series) pack() {
	sr.packed, sr.cells = pack(sr.cells), nil
}

// reader returns a reader of the series' cells.
func (sr *series) reader() seriesReader {
	return seriesReader{sr: sr, packed: sr.packed.reader()}
}

// seriesReader reads the cells of a series by position, fastest in
// ascending order (see packedReader).
type seriesReader struct {
	sr     *series
	packed packedReader
}

// cell returns the cell of the area at position i.
func (r *seriesReader) cell(i int) cell {
	if r.sr.cells != nil {
		return r.sr.cells[i]
	}
	return r.packed.at(i)
}

// cell is one published value. Counts are whole numbers as published.
type cell struct {
	value, numerator, denominator int32
	flags                         cellFlags
}

// numberField is one of a cell's numbers and the flag that says it is
// there.
type numberField struct {
	flag cellFlags
	n    int32
}

// numbers returns the cell's value, numerator and denominator, in that
// order.
func (c cell) numbers() [3]numberField {
	return [3]numberField{{hasValue, c.value}, {hasNumerator, c.numerator}, {hasDenominator, c.denominator}}
}

type cellFlags uint8

const (
	present cellFlags = 1 << iota // the area has a value row at all
	hasValue
	hasNumerator
	hasDenominator
	fromCBS
	statusShift = iota // two bits of status follow
)

// statuses numbers the statuses for cellFlags; the order is part of the
// cache file format.
var statuses = [...]store.Status{store.OK, store.Suppressed, store.NoData, store.NoResidents}

func newCell(p store.Published, scale float64) (cell, error) {
	status := slices.Index(statuses[:], p.Status)
	if status < 0 {
		return cell{}, fmt.Errorf("unknown status %q", p.Status)
	}
	c := cell{flags: present | cellFlags(status)<<statusShift}
	if p.Provenance == store.CBS {
		c.flags |= fromCBS
	}
	value, numerator, denominator := p.Numbers()
	fields := []struct {
		from  store.NullFloat64
		scale float64
		to    *int32
		flag  cellFlags
	}{{value, scale, &c.value, hasValue}, {numerator, 1, &c.numerator, hasNumerator}, {denominator, 1, &c.denominator, hasDenominator}}
	for _, f := range fields {
		if !f.from.Valid {
			continue
		}
		n := math.Round(f.from.V * f.scale)
		if n/f.scale != f.from.V || math.Abs(n) > math.MaxInt32 {
			return cell{}, fmt.Errorf("%v is not a published number of %g decimals", f.from.V, math.Log10(f.scale))
		}
		*f.to = int32(n)
		c.flags |= f.flag
	}
	return c, nil
}

// published returns the value of the area at position i, with code, and
// whether it has one.
func (r *seriesReader) published(q store.ValueQuery, code string, i int) (store.Published, bool) {
	c := r.cell(i)
	if c.flags&present == 0 {
		return store.Published{}, false
	}
	p := store.Published{Level: q.Level, Year: q.Year, Code: code, Indicator: q.Indicator, Group: q.Group,
		Status: statuses[c.flags>>statusShift&3], Provenance: store.Demo}
	if c.flags&fromCBS != 0 {
		p.Provenance = store.CBS
	}
	number := func(f cellFlags, n int32, scale float64) store.NullFloat64 {
		if c.flags&f == 0 {
			return store.NullFloat64{}
		}
		return store.NullFloat(float64(n) / scale)
	}
	return p.WithNumbers(number(hasValue, c.value, r.sr.scale), number(hasNumerator, c.numerator, 1),
		number(hasDenominator, c.denominator, 1)), true
}

// Builder fills a Store: first the areas, then published values one by
// one, as publication makes them.
type Builder struct {
	cat   *catalog.Catalog
	store *Store
}

// NewBuilder returns a builder of a store with areas. Values must belong
// to one of them (Nederland values to catalog.NederlandCode) and to an
// indicator of cat. NewBuilder takes ownership of the areas' geometry.
func NewBuilder(cat *catalog.Catalog, areas []store.Area) (*Builder, error) {
	layers, err := newLayers(areas)
	if err != nil {
		return nil, err
	}
	return &Builder{cat: cat, store: &Store{areas: layers, series: make(map[seriesKey]*series), boundaryYears: make(map[layerKey]int)}}, nil
}

// BoundaryYears says which boundary year the values of a level in a value
// year are on; values of a (level, year) it does not name are on the
// areas of their own year. Call it before adding values.
func (b *Builder) BoundaryYears(rows []store.BoundaryYear) error {
	for _, r := range rows {
		if _, ok := b.store.areas[layerKey{r.Level, r.Boundary}]; !ok && r.Level != catalog.Nederland {
			return fmt.Errorf("memstore: %s values of %d are on the boundaries of %d, which it does not have", r.Level, r.Year, r.Boundary)
		}
		b.store.boundaryYears[layerKey{r.Level, r.Year}] = r.Boundary
	}
	return nil
}

// Lineage sets what became of the areas between boundary years (see
// store.Store.Lineage).
func (b *Builder) Lineage(rows []store.Lineage) {
	b.store.lineage = slices.Clone(rows)
	slices.SortFunc(b.store.lineage, func(x, y store.Lineage) int {
		return cmp.Or(cmp.Compare(x.Level.Rank(), y.Level.Rank()), cmp.Compare(x.From, y.From), strings.Compare(x.Code, y.Code))
	})
}

// Add adds one published value. A value for an unknown area or indicator,
// or a second value for the same area, is an error.
func (b *Builder) Add(p store.Published) error {
	l, _, err := b.store.layerOf(p.Level, p.Year)
	if err != nil {
		return fmt.Errorf("memstore: value for %s %s: %w", p.Indicator, p.Code, err)
	}
	i, ok := l.index[p.Code]
	if !ok {
		return fmt.Errorf("memstore: value for %s: unknown area %s in %d", p.Indicator, p.Code, p.Year)
	}
	sr, err := b.series(seriesKey{layerKey{p.Level, p.Year}, p.Indicator, p.Group}, len(l.areas))
	if err != nil {
		return err
	}
	if sr.cells[i].flags&present != 0 {
		return fmt.Errorf("memstore: duplicate value for %s %s %s in %d", p.Indicator, p.Group, p.Code, p.Year)
	}
	if sr.cells[i], err = newCell(p, sr.scale); err != nil {
		return fmt.Errorf("memstore: value for %s %s %s in %d: %w", p.Indicator, p.Group, p.Code, p.Year, err)
	}
	return nil
}

// series returns the series of k, making it with n empty cells.
func (b *Builder) series(k seriesKey, n int) (*series, error) {
	if sr, ok := b.store.series[k]; ok {
		if sr.cells == nil {
			return nil, fmt.Errorf("memstore: the values of %s %s %s %d are complete already", k.level, k.indicator, k.group, k.year)
		}
		return sr, nil
	}
	ind, ok := b.cat.Indicator(k.indicator)
	if !ok {
		return nil, fmt.Errorf("memstore: unknown indicator %q", k.indicator)
	}
	sr := &series{scale: math.Pow10(ind.Decimals), cells: make([]cell, n)}
	b.store.series[k] = sr
	return sr, nil
}

// Published records how an indicator's values of a year were published.
func (b *Builder) Published(p store.Publication) {
	b.store.publications = append(b.store.publications, p)
}

// Build returns the store, serving its data as version. The builder must
// not be used afterwards.
func (b *Builder) Build(version store.Version) *Store {
	s := b.store
	s.version = version
	years := make(map[int]bool)
	for k, sr := range s.series {
		years[k.year] = true
		if sr.cells != nil {
			sr.pack()
		}
	}
	s.years = s.years[:0]
	for y := range years {
		s.years = append(s.years, y)
	}
	slices.Sort(s.years)
	slices.SortFunc(s.publications, func(a, b store.Publication) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return strings.Compare(a.Indicator, b.Indicator)
	})
	b.store = nil
	return s
}
