package web

import (
	"context"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/tiles"
)

// publishedValues returns the published values of sel for the given
// areas, keyed by area code. The store holds only published values:
// disclosure control ran when the data was published.
func (s *Server) publishedValues(ctx context.Context, sel selection, areas []store.Area) (map[string]store.Published, error) {
	codes := make(map[catalog.Level][]string)
	for _, a := range areas {
		codes[a.Level] = append(codes[a.Level], a.Code)
	}
	out := make(map[string]store.Published, len(areas))
	for level, cs := range codes {
		values, err := s.cfg.Store.Values(ctx, store.ValueQuery{
			Level: level, Year: sel.year, Indicator: sel.indicator.ID, Group: sel.group.ID, Codes: cs,
		})
		if err != nil {
			return nil, err
		}
		for _, v := range values {
			out[v.Code] = v
		}
	}
	return out, nil
}

// nederland returns the published Nederland value of sel's indicator and
// group: the reference every area is compared with.
func (s *Server) nederland(ctx context.Context, sel selection) (store.Published, error) {
	values, err := s.cfg.Store.Values(ctx, store.ValueQuery{
		Level: catalog.Nederland, Year: sel.year, Indicator: sel.indicator.ID, Group: sel.group.ID,
	})
	if err != nil || len(values) == 0 {
		return store.Missing(catalog.Nederland, sel.year, catalog.NederlandCode, sel.indicator.ID, sel.group.ID), err
	}
	return values[0], nil
}

// record is what wijkkaart publishes about one area: which area it is and
// its published value. Tiles, JSON and CSV are all made from records, so
// they cannot disagree.
type record struct {
	area      store.Area
	value     store.Published
	nederland store.Published
	// change is set on a change map (see withChanges).
	change *change
}

// newRecord pairs an area with its published value; an area without a
// value row has no data.
func newRecord(a store.Area, values map[string]store.Published, sel selection, nl store.Published) record {
	v, ok := values[a.Code]
	if !ok {
		v = store.Missing(a.Level, sel.year, a.Code, sel.indicator.ID, sel.group.ID)
	}
	return record{area: a, value: v, nederland: nl}
}

// numbers returns the published numbers of the record, absent ones nil.
// They were rounded when they were published.
func (rec record) numbers() (value, numerator, denominator, nl *float64) {
	return optional(rec.value.Value()), optional(rec.value.Numerator()), optional(rec.value.Denominator()),
		optional(rec.nederland.Value())
}

// optional returns a number that may be absent as a pointer.
func optional(f float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &f
}

// tileProperties returns the record as vector tile feature properties.
// Absent numbers are absent keys, never zero.
func (rec record) tileProperties() []tiles.Property {
	status := string(rec.value.Status)
	if rec.change != nil {
		status = string(rec.changeStatus())
	}
	p := make([]tiles.Property, 0, 14)
	p = append(p,
		tiles.Property{Key: "level", Value: string(rec.area.Level)},
		tiles.Property{Key: "code", Value: rec.area.Code},
		tiles.Property{Key: "name", Value: rec.area.Name},
		tiles.Property{Key: "gemeente_code", Value: rec.area.GemeenteCode},
		tiles.Property{Key: "gemeente_name", Value: rec.area.GemeenteName},
		tiles.Property{Key: "status", Value: status},
	)
	if rec.value.Provenance != "" {
		p = append(p, tiles.Property{Key: "provenance", Value: string(rec.value.Provenance)})
	}
	value, num, den, nl := rec.numbers()
	for _, n := range [...]struct {
		key   string
		value *float64
	}{{"value", value}, {"numerator", num}, {"denominator", den}, {"nl_value", nl}} {
		if n.value != nil {
			p = append(p, tiles.Property{Key: n.key, Value: *n.value})
		}
	}
	if rec.change != nil {
		p = rec.appendChangeProperties(p)
	}
	return p
}
