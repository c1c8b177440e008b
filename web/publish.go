package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/paulmach/orb/geojson"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
)

// tableKey names the disclosure table of one indicator in one year.
type tableKey struct {
	year      int
	indicator string
}

// disclosureTables keeps the disclosure decisions per indicator and year,
// made once from all of its values (which takes a moment) and dropped when
// the data changes.
type disclosureTables struct {
	mu     sync.Mutex
	tables map[tableKey]*disclosure.Table
	flight singleflight.Group
}

func (d *disclosureTables) purge() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tables = nil
}

// table returns the disclosure table of sel's indicator and year. Every
// value the server publishes goes through one.
func (s *Server) table(ctx context.Context, sel selection) (*disclosure.Table, error) {
	key := tableKey{sel.year, sel.indicator.ID}
	d := &s.disclosure
	d.mu.Lock()
	t := d.tables[key]
	d.mu.Unlock()
	if t != nil {
		return t, nil
	}
	v, err, _ := d.flight.Do(fmt.Sprint(key), func() (any, error) {
		// Built for every waiting request, so not cancelled by one.
		ctx := context.WithoutCancel(ctx)
		values, err := s.cfg.Store.IndicatorValues(ctx, key.year, key.indicator)
		if err != nil {
			return nil, err
		}
		parent, err := s.parentAreas(ctx, key.year)
		if err != nil {
			return nil, err
		}
		t := s.cfg.Policy.NewTable(s.cfg.Catalog, sel.indicator, values, parent)
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.tables == nil {
			d.tables = make(map[tableKey]*disclosure.Table)
		}
		d.tables[key] = t
		return t, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*disclosure.Table), nil
}

// parentAreas links the areas of a year for disclosure control: a gemeente
// lies in Nederland, a wijk in the gemeente its code names, and a buurt in
// the wijk the boundaries say (not always the one its code names: buurten
// of another boundary year are linked to the wijken of this one).
func (s *Server) parentAreas(ctx context.Context, year int) (disclosure.Parent, error) {
	buurten, err := s.cfg.Store.Areas(ctx, store.AreaQuery{Level: catalog.Buurt, Year: year})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	wijkOf := make(map[string]string, len(buurten))
	for _, b := range buurten {
		wijkOf[b.Code] = b.WijkCode
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
	}, nil
}

// publishedValues returns the values of sel for the given areas after
// disclosure control, keyed by area code. This, nederland and renderTile
// are the only places the web package reads values to publish them; the
// auto level also reads populations to choose its level, and publishes
// none of them.
func (s *Server) publishedValues(ctx context.Context, sel selection, areas []store.Area) (map[string]disclosure.Published, error) {
	table, err := s.table(ctx, sel)
	if err != nil {
		return nil, err
	}
	codes := make(map[catalog.Level][]string)
	for _, a := range areas {
		codes[a.Level] = append(codes[a.Level], a.Code)
	}
	out := make(map[string]disclosure.Published, len(areas))
	for level, cs := range codes {
		raw, err := s.cfg.Store.Values(ctx, store.ValueQuery{
			Level: level, Year: sel.year, Indicator: sel.indicator.ID, Group: sel.group.ID, Codes: cs,
		})
		if err != nil {
			return nil, err
		}
		for _, v := range raw {
			out[v.Code] = table.Publish(v)
		}
	}
	return out, nil
}

// nederland returns the published Nederland value of sel's indicator and
// group: the reference every area is compared with.
func (s *Server) nederland(ctx context.Context, sel selection) (disclosure.Published, error) {
	raw, err := s.cfg.Store.Values(ctx, store.ValueQuery{
		Level: catalog.Nederland, Year: sel.year, Indicator: sel.indicator.ID, Group: sel.group.ID,
	})
	if err != nil {
		return disclosure.Published{}, err
	}
	if len(raw) == 0 {
		return disclosure.Published{Level: catalog.Nederland, Code: catalog.NederlandCode, Year: sel.year,
			Indicator: sel.indicator.ID, Group: sel.group.ID, Status: disclosure.NoData}, nil
	}
	table, err := s.table(ctx, sel)
	if err != nil {
		return disclosure.Published{}, err
	}
	return table.Publish(raw[0]), nil
}

// record is what wijkkaart publishes about one area: which area it is and
// its value after disclosure control. Tiles, JSON and CSV are all made
// from records, so they cannot disagree.
type record struct {
	area      store.Area
	value     disclosure.Published
	decimals  int
	nederland disclosure.Published
}

// newRecord pairs an area with its published value; an area without a
// value row has no data.
func newRecord(a store.Area, values map[string]disclosure.Published, sel selection, nl disclosure.Published) record {
	v, ok := values[a.Code]
	if !ok {
		v = disclosure.Published{Level: a.Level, Year: sel.year, Code: a.Code,
			Indicator: sel.indicator.ID, Group: sel.group.ID, Status: disclosure.NoData}
	}
	return record{area: a, value: v, decimals: sel.indicator.Decimals, nederland: nl}
}

// numbers returns the published numbers of the record, absent ones nil:
// the value and the Nederland value rounded to the indicator's decimals,
// the counts to whole numbers.
func (rec record) numbers() (value, numerator, denominator, nl *float64) {
	return rounded(rec.decimals)(rec.value.Value()),
		rounded(0)(rec.value.Numerator()),
		rounded(0)(rec.value.Denominator()),
		rounded(rec.decimals)(rec.nederland.Value())
}

// rounded returns a function that rounds a number that may be absent.
func rounded(decimals int) func(float64, bool) *float64 {
	return func(f float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		r := roundTo(f, decimals)
		return &r
	}
}

func roundTo(f float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(f*p) / p
}

// tileProperties returns the record as vector tile feature properties.
// Absent numbers are absent keys, never zero.
func (rec record) tileProperties() geojson.Properties {
	p := geojson.Properties{
		"level":         string(rec.area.Level),
		"code":          rec.area.Code,
		"name":          rec.area.Name,
		"gemeente_code": rec.area.GemeenteCode,
		"gemeente_name": rec.area.GemeenteName,
		"status":        string(rec.value.Status),
	}
	if rec.value.Provenance != "" {
		p["provenance"] = string(rec.value.Provenance)
	}
	value, num, den, nl := rec.numbers()
	for key, f := range map[string]*float64{"value": value, "numerator": num, "denominator": den, "nl_value": nl} {
		if f != nil {
			p[key] = *f
		}
	}
	return p
}
