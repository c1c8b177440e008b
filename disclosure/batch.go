package disclosure

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// Batch is the raw values of one indicator in one year, at every level and
// for every group: what one Table is built from and published by.
type Batch struct {
	Year      int
	Indicator string
	Values    []store.Value
}

// ParentFromAreas links the areas of a year for disclosure control: a
// gemeente lies in Nederland, a wijk in the gemeente its code names, and a
// buurt in the wijk its area says (not always the one its code names:
// buurten of another boundary year are linked to the wijken of this one).
func ParentFromAreas(areas []store.Area) Parent {
	wijkOf := make(map[string]string)
	for _, a := range areas {
		if a.Level == catalog.Buurt {
			wijkOf[a.Code] = a.WijkCode
		}
	}
	return func(level catalog.Level, code string) (catalog.Level, string, bool) {
		switch level {
		case catalog.Gemeente:
			return catalog.Nederland, catalog.NederlandCode, true
		case catalog.Wijk:
			gm, err := catalog.GemeenteOf(code)
			return catalog.Gemeente, gm, err == nil
		case catalog.Buurt:
			wijk, ok := wijkOf[code]
			return catalog.Wijk, wijk, ok && wijk != ""
		}
		return "", "", false
	}
}

// LinksOf returns the links of the areas of one value year: each area's
// parent (see ParentFromAreas; only the buurten of areas are needed) and
// the unions lineage records (see store.Unions) on the boundary year each
// level's values are on, given by boundaries.
func LinksOf(areas []store.Area, lineage []store.Lineage, boundaries map[catalog.Level]int) Links {
	links := Links{Parent: ParentFromAreas(areas)}
	for _, level := range catalog.Levels() {
		boundary, ok := boundaries[level]
		if !ok {
			continue
		}
		for _, codes := range store.Unions(lineage, level, boundary) {
			links.Unions = append(links.Unions, Union{Level: level, Codes: codes})
		}
	}
	return links
}

// PublishBatch decides what of one batch may be published and returns it
// all. It sorts b.Values (see store.CompareValues) first, so that the same
// values make the same decisions in whatever order a store gives them.
func (p Policy) PublishBatch(cat *catalog.Catalog, b Batch, links Links) ([]store.Published, error) {
	ind, ok := cat.Indicator(b.Indicator)
	if !ok {
		return nil, fmt.Errorf("disclosure: unknown indicator %q", b.Indicator)
	}
	store.SortValues(b.Values)
	reasons := p.decide(cat, ind, b.Values, links)
	t := &Table{policy: p, indicator: ind}
	out := make([]store.Published, len(b.Values))
	for i, v := range b.Values {
		out[i] = t.publish(v, reasons[i])
	}
	return out, nil
}

// PublishAll publishes every batch of batches on workers goroutines (tables
// of different indicators are independent) and hands each result to emit,
// one call at a time, in no particular order. links gives the links of the
// areas of a year. It stops at the first error, of a table, of emit or of
// ctx.
func (p Policy) PublishAll(ctx context.Context, cat *catalog.Catalog, batches iter.Seq[Batch], links func(year int) (Links, error),
	workers int, emit func(Batch, []store.Published) error) error {
	g, ctx := errgroup.WithContext(ctx)
	todo := make(chan Batch)
	g.Go(func() error {
		defer close(todo)
		for b := range batches {
			select {
			case todo <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	var emitting sync.Mutex
	for range max(workers, 1) {
		g.Go(func() error {
			for b := range todo {
				l, err := links(b.Year)
				if err != nil {
					return err
				}
				published, err := p.PublishBatch(cat, b, l)
				if err != nil {
					return err
				}
				emitting.Lock()
				err = emit(b, published)
				emitting.Unlock()
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}
