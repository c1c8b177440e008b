package demo

import (
	"context"
	"fmt"
	"iter"
	"runtime"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
)

// Batches yields the dataset's values one indicator at a time, each with
// its values at every level (Nederland, gemeenten, wijken and buurten): the
// batches disclosure control publishes, made without holding more than one
// indicator's values at once.
func (d *Dataset) Batches() iter.Seq[disclosure.Batch] {
	return func(yield func(disclosure.Batch) bool) {
		wijkNext, wijkStop := iter.Pull(d.Values())
		defer wijkStop()
		buurtNext, buurtStop := iter.Pull(d.BuurtValues())
		defer buurtStop()
		var wijkHead, buurtHead store.Value
		var wijkOK, buurtOK bool
		wijkHead, wijkOK = wijkNext()
		buurtHead, buurtOK = buurtNext()
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
				return
			}
		}
	}
}

// PublishInto publishes the dataset under policy, as `wijkkaart import
// demo` publishes it into PostGIS: every batch through disclosure control,
// on as many goroutines as there are processors, into b, whose areas must
// be AllAreas.
func (d *Dataset) PublishInto(ctx context.Context, cat *catalog.Catalog, policy disclosure.Policy, b *memstore.Builder) error {
	parent := disclosure.ParentFromAreas(d.AllAreas())
	err := policy.PublishAll(ctx, cat, d.Batches(), func(int) (disclosure.Parent, error) { return parent, nil },
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
