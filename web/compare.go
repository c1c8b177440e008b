package web

import (
	"context"
	"math"
	"strconv"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/styles"
	"github.com/wijkkaart/wijkkaart/tiles"
)

// Change maps: compare=YYYY on tiles, TileJSON, styles and legends makes
// each area's figure the change of its published value since the base
// year: value(year) − value(compare), computed from the two published
// values only, and absent unless both are published. An area that is not
// the same extent in the boundary years of both years (store.SameAreas)
// is not comparable; a renamed one is compared under its earlier code.

// parseCompare reads compare= of a selection: a value year the level has
// values in, other than the selection's year; 0 when not asked.
func parseCompare(sel selection, text string) (int, error) {
	if text == "" {
		return 0, nil
	}
	years := sel.data.levelYears(sel.level)
	y, err := strconv.Atoi(text)
	switch {
	case err != nil || len(text) != 4:
		return 0, errBadRequest("compare must be a year such as %d, got %q", years[0], truncate(text, 20))
	case y == sel.year:
		return 0, errBadRequest("compare must be another year than year %d: a change map compares two years", sel.year)
	case !sel.data.hasValues(sel.level, y):
		return 0, errBadRequest("compare: level %s has no values for %d (available: %s)", sel.level, y, joinInts(years))
	}
	return y, nil
}

// change is what a record of a change map holds besides its value: the
// published value of the same area in the base year.
type change struct {
	// base is the published value of the area in the base year, under
	// its code of then; Missing when it has none.
	base store.Published
	// comparable is false when the area is not the same extent in both
	// years' boundaries.
	comparable bool
	// decimals is the indicator's decimals, which a change is rounded to.
	decimals int
}

// changeStatus returns the status of a record's change: not comparable,
// else the status of whichever value is not published, else OK.
func (rec record) changeStatus() store.Status {
	switch {
	case !rec.change.comparable:
		return store.NotComparable
	case rec.value.Status != store.OK:
		return rec.value.Status
	case rec.change.base.Status != store.OK:
		return rec.change.base.Status
	}
	return store.OK
}

// changeAmount returns value − base value rounded to the indicator's
// decimals, and whether both are published. It reads nothing but the two
// published values, so it discloses nothing they do not.
func (rec record) changeAmount() (float64, bool) {
	if rec.changeStatus() != store.OK {
		return 0, false
	}
	v, ok := rec.value.Value()
	b, baseOK := rec.change.base.Value()
	if !ok || !baseOK {
		return 0, false
	}
	scale := math.Pow10(rec.change.decimals)
	return math.Round((v-b)*scale)/scale + 0, true
}

// styleChange returns the change of a record as a style classifies it.
func (rec record) styleChange() styles.Change {
	amount, ok := rec.changeAmount()
	status := rec.changeStatus()
	if status == store.OK && !ok {
		status = store.NoData
	}
	return styles.Change{Status: status, Amount: amount}
}

// withChanges sets the change of each record of a change map: the
// published value, in the base year, of the area that is the same extent,
// looked up under its code of then.
func (s *Server) withChanges(ctx context.Context, sel selection, recs []record) error {
	byLevel := make(map[catalog.Level][]int)
	for i, rec := range recs {
		byLevel[rec.area.Level] = append(byLevel[rec.area.Level], i)
	}
	for level, idx := range byLevel {
		from, ok := sel.data.boundaryYear(level, sel.compare)
		if !ok {
			for _, i := range idx {
				recs[i].change = &change{decimals: sel.indicator.Decimals}
			}
			continue
		}
		same := sel.data.sameAreas(level, from, recs[idx[0]].area.Year)
		earlier := make(map[int]string, len(idx))
		var codes []string
		for _, i := range idx {
			code, ok := recs[i].area.Code, true
			if same != nil {
				code, ok = same[code]
			}
			if ok {
				earlier[i] = code
				codes = append(codes, code)
			}
		}
		base, err := s.cfg.Store.Values(ctx, store.ValueQuery{Level: level, Year: sel.compare,
			Indicator: sel.indicator.ID, Group: sel.group.ID, Codes: codes})
		if err != nil {
			return err
		}
		byCode := make(map[string]store.Published, len(base))
		for _, v := range base {
			byCode[v.Code] = v
		}
		for _, i := range idx {
			code, ok := earlier[i]
			b, found := byCode[code]
			if !found {
				b = store.Missing(level, sel.compare, code, sel.indicator.ID, sel.group.ID)
			}
			recs[i].change = &change{base: b, comparable: ok, decimals: sel.indicator.Decimals}
		}
	}
	return nil
}

// compareQuery adds compare= to q on a change map.
func compareQuery(sel selection, q map[string][]string) {
	if sel.compare != 0 {
		q["compare"] = []string{strconv.Itoa(sel.compare)}
	}
}

// appendChangeProperties appends a change map's properties to a feature's:
// change and base_value, where comparable and published (its status is
// the change status, see tileProperties).
func (rec record) appendChangeProperties(p []tiles.Property) []tiles.Property {
	if amount, ok := rec.changeAmount(); ok {
		p = append(p, tiles.Property{Key: "change", Value: amount})
	}
	if b, ok := rec.change.base.Value(); ok && rec.change.comparable {
		p = append(p, tiles.Property{Key: "base_value", Value: b})
	}
	return p
}
