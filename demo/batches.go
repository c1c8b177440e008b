package demo

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"slices"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
)

// Batches yields the dataset's values one (value year, indicator) at a
// time, ascending by year, each with its values at every level of that
// year (Nederland, gemeenten, wijken, and in BaseYear buurten): the
// batches disclosure control publishes, made without holding more than one
// indicator's values at once.
func (d *Dataset) Batches() iter.Seq[disclosure.Batch] {
	return func(yield func(disclosure.Batch) bool) {
		for _, y := range Years() {
			var buurten iter.Seq[store.Value]
			if y == BaseYear {
				buurten = d.BuurtValues()
			}
			if !yearBatches(d.Values(y), buurten, yield) {
				return
			}
		}
	}
}

// yearBatches yields the batches of one value year: the values of values,
// indicator by indicator, each with the buurt values of that indicator
// (buurten may be nil).
func yearBatches(values, buurten iter.Seq[store.Value], yield func(disclosure.Batch) bool) bool {
	wijkNext, wijkStop := iter.Pull(values)
	defer wijkStop()
	buurtNext := func() (store.Value, bool) { return store.Value{}, false }
	if buurten != nil {
		next, stop := iter.Pull(buurten)
		defer stop()
		buurtNext = next
	}
	wijkHead, wijkOK := wijkNext()
	buurtHead, buurtOK := buurtNext()
	for wijkOK {
		b := disclosure.Batch{Year: wijkHead.Year, Indicator: wijkHead.Indicator}
		for wijkOK && wijkHead.Indicator == b.Indicator {
			b.Values = append(b.Values, wijkHead)
			wijkHead, wijkOK = wijkNext()
		}
		for buurtOK && buurtHead.Indicator == b.Indicator {
			b.Values = append(b.Values, buurtHead)
			buurtHead, buurtOK = buurtNext()
		}
		if !yield(b) {
			return false
		}
	}
	return true
}

// PublishInto publishes the dataset under policy, as `wijkkaart import
// demo` publishes it into PostGIS: every batch through disclosure control,
// on as many goroutines as there are processors, into b, whose areas must
// be AllAreas. It sets b's boundary years (BoundaryYears) and lineage
// (Lineage) too. Each value year's values are linked to their parents by
// the areas of that year's boundary years, and to the areas they merged
// with or split from by the lineage (see disclosure.Links).
func (d *Dataset) PublishInto(ctx context.Context, cat *catalog.Catalog, policy disclosure.Policy, b *memstore.Builder) error {
	boundaryYears := d.BoundaryYears()
	if err := b.BoundaryYears(boundaryYears); err != nil {
		return fmt.Errorf("demo: publish: %w", err)
	}
	lineage, err := d.Lineage()
	if err != nil {
		return fmt.Errorf("demo: publish: %w", err)
	}
	b.Lineage(lineage)
	links := make(map[int]disclosure.Links)
	for _, y := range Years() {
		boundaries := make(map[catalog.Level]int)
		for _, by := range boundaryYears {
			if by.Year == y {
				boundaries[by.Level] = by.Boundary
			}
		}
		links[y] = disclosure.LinksOf(d.areasOfYear(y), lineage, boundaries)
	}
	linksOf := func(year int) (disclosure.Links, error) {
		l, ok := links[year]
		if !ok {
			return disclosure.Links{}, fmt.Errorf("demo: no values of %d", year)
		}
		return l, nil
	}
	err = policy.PublishAll(ctx, cat, d.Batches(), linksOf,
		runtime.GOMAXPROCS(0), func(batch disclosure.Batch, ps []store.Published) error {
			for _, p := range ps {
				if err := b.Add(p); err != nil {
					return err
				}
			}
			b.Published(policy.Publication(batch.Year, batch.Indicator))
			return nil
		})
	if err != nil {
		return fmt.Errorf("demo: publish: %w", err)
	}
	return nil
}

// areasOfYear returns the areas the values of value year year are on: the
// gemeenten and wijken of its layout and, in BaseYear, the buurten with
// the wijk of BaseYear each lies in.
func (d *Dataset) areasOfYear(year int) []store.Area {
	lay := d.layouts[year]
	if lay == nil {
		return nil
	}
	areas := slices.Concat(lay.gemeenten, lay.wijken)
	if year == BaseYear {
		for _, b := range d.Buurten {
			b.WijkCode, _ = d.BuurtWijk(b.Code)
			areas = append(areas, b)
		}
	}
	return areas
}
