package demo

import (
	"embed"
	"fmt"
	"slices"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// BaseYear is the year of the model's geography: the gemeenten and wijken
// of 2022 with their KWB figures, from which the values of every value year
// are made. It is also the only value year of the buurten.
const BaseYear = 2022

// FirstYear and LatestYear are the first and the last value year.
const (
	FirstYear  = 2019
	LatestYear = 2024
)

// Years returns the value years of the demo data, ascending.
func Years() []int {
	out := make([]int, 0, LatestYear-FirstYear+1)
	for y := FirstYear; y <= LatestYear; y++ {
		out = append(out, y)
	}
	return out
}

// boundaryYearsOf returns the boundary years of a level: the years whose
// CBS boundaries of that level the demo has (MODEL.md, "Years").
func boundaryYearsOf(level catalog.Level) []int {
	switch level {
	case catalog.Gemeente:
		return []int{2022, 2023, 2024}
	case catalog.Wijk:
		return []int{2022, 2024}
	case catalog.Buurt:
		return []int{BuurtYear}
	}
	return nil
}

// boundaryOf returns the boundary year the values of level in value year
// year are on: the nearest, ties to the later (store.NearestBoundaryYear).
func boundaryOf(level catalog.Level, year int) int {
	b, _ := store.NearestBoundaryYear(year, boundaryYearsOf(level))
	return b
}

// BoundaryYears returns, for every level with values (gemeente, wijk,
// buurt; not Nederland) and every value year it has values in, the
// boundary year those values are on.
func (d *Dataset) BoundaryYears() []store.BoundaryYear {
	var out []store.BoundaryYear
	for _, y := range Years() {
		for _, level := range []catalog.Level{catalog.Gemeente, catalog.Wijk} {
			out = append(out, store.BoundaryYear{Level: level, Year: y, Boundary: boundaryOf(level, y)})
		}
	}
	// Buurt values exist for BaseYear only (MODEL.md, "Years").
	return append(out, store.BoundaryYear{Level: catalog.Buurt, Year: BaseYear, Boundary: boundaryOf(catalog.Buurt, BaseYear)})
}

// BoundarySet is what `wijkkaart import demo` imports as the boundaries of
// one boundary year.
type BoundarySet struct {
	Year    int
	Sources []boundaries.Source
}

// BoundarySets returns the boundaries of every boundary year as read, in
// WGS84, ascending by year: the buurten of 2019 (each with its wijk of
// BaseYear), the gemeenten and wijken of 2022, the gemeenten of 2023, and
// the gemeenten and wijken of 2024.
func (d *Dataset) BoundarySets() []BoundarySet {
	l := d.later
	return []BoundarySet{
		{Year: BuurtYear, Sources: d.BuurtSources()},
		{Year: BaseYear, Sources: d.Sources()},
		{Year: 2023, Sources: []boundaries.Source{l.gemeenten2023.source}},
		{Year: 2024, Sources: []boundaries.Source{l.gemeenten2024.source, l.wijken2024.source}},
	}
}

// Lineage returns what became of every gemeente from 2022 to 2023 and
// from 2023 to 2024, and of every wijk from 2022 to 2024: boundaries.Trace
// of each pair of consecutive boundary years of a level. The gemeenten are
// traced when called (a few seconds); the wijken were traced by Load.
func (d *Dataset) Lineage() ([]store.Lineage, error) {
	opt := boundaries.DefaultLineageOptions()
	// Fresh areas from the sources: the areas given out by AllAreas may
	// since have been changed by their new owner (memstore orients them).
	var areas [3][]store.Area
	for i, set := range []struct {
		src  boundaries.Source
		year int
	}{{d.src.gemeenteSource, 2022}, {d.later.gemeenten2023.source, 2023}, {d.later.gemeenten2024.source, 2024}} {
		var err error
		if areas[i], err = set.src.Areas(set.year); err != nil {
			return nil, fmt.Errorf("demo: lineage: %w", err)
		}
	}
	g22, g23, g24 := areas[0], areas[1], areas[2]
	first, err := boundaries.Trace(g22, g23, opt)
	if err != nil {
		return nil, fmt.Errorf("demo: lineage of the gemeenten 2022–2023: %w", err)
	}
	second, err := boundaries.Trace(g23, g24, opt)
	if err != nil {
		return nil, fmt.Errorf("demo: lineage of the gemeenten 2023–2024: %w", err)
	}
	return slices.Concat(first, second, d.later.wijkTrace), nil
}

// boundarySet is one embedded boundary file read: as it is, in WGS84, and
// as areas of its boundary year.
type boundarySet struct {
	source boundaries.Source
	areas  []store.Area
}

// laterBoundaries are the boundary years after BaseYear and what the
// values of their value years need.
type laterBoundaries struct {
	gemeenten2023, gemeenten2024, wijken2024 boundarySet
	// wijkTrace is the lineage of the wijken of BaseYear in 2024.
	wijkTrace []store.Lineage
	// inwoners2024 are the real KWB 2024 inhabitants of the gemeenten and
	// wijken of 2024, by code.
	inwoners2024 map[string]figure
}

// readLater reads the boundaries of 2023 and 2024 and the real figures of
// 2024, and traces the wijken of BaseYear, wijken, into 2024. It only
// reads wijken, so Load runs it alongside its other work.
func readLater(wijken boundaries.Source) (*laterBoundaries, error) {
	var l laterBoundaries
	name2023, gem2023 := gemeenteFile(2023)
	name2024, gem2024 := gemeenteFile(2024)
	for _, f := range []struct {
		set  *boundarySet
		name string
		year int
		opt  boundaries.GeoJSONOptions
	}{
		{&l.gemeenten2023, name2023, 2023, gem2023},
		{&l.gemeenten2024, name2024, 2024, gem2024},
		{&l.wijken2024, "data/wijken_2024.geojson.gz", 2024, boundaries.GeoJSONOptions{
			Level: catalog.Wijk, CodeProperty: "wijkcode", NameProperty: "wijknaam",
			GemeenteCodeProperty: "gemeentecode", GemeenteNameProperty: "gemeentenaam",
		}},
	} {
		var err error
		if f.set.source, f.set.areas, err = readAreas(dataFiles, f.name, f.year, f.opt); err != nil {
			return nil, err
		}
	}
	wijken22, err := wijken.Areas(BaseYear)
	if err != nil {
		return nil, err
	}
	if l.wijkTrace, err = boundaries.Trace(wijken22, l.wijken2024.areas, boundaries.DefaultLineageOptions()); err != nil {
		return nil, fmt.Errorf("lineage of the wijken %d–2024: %w", BaseYear, err)
	}
	if l.inwoners2024, err = readInwoners(dataFiles, "data/inwoners_2024_kwb.csv"); err != nil {
		return nil, err
	}
	return &l, nil
}

// gemeenteFile returns the embedded file of the real CBS gemeenten of a
// boundary year and how it names their codes and names: the 2022 file was
// made for the demo, those of 2023 and 2024 are CBS's own.
func gemeenteFile(year int) (string, boundaries.GeoJSONOptions) {
	opt := boundaries.GeoJSONOptions{Level: catalog.Gemeente, CodeProperty: "gemeentecode", NameProperty: "gemeentenaam"}
	if year == BaseYear {
		opt.CodeProperty, opt.NameProperty = "code", "name"
	}
	return fmt.Sprintf("data/gemeenten_%d.geojson.gz", year), opt
}

// Gemeenten returns the real CBS gemeenten of a boundary year the demo
// has them of (2022, 2023 or 2024), read as the demo reads them, without
// loading the rest of the demo: for tests of what real boundaries do over
// the years.
func Gemeenten(year int) (boundaries.Source, error) {
	if !slices.Contains(boundaryYearsOf(catalog.Gemeente), year) {
		return boundaries.Source{}, fmt.Errorf("demo: no gemeenten of %d", year)
	}
	name, opt := gemeenteFile(year)
	return readSource(dataFiles, name, opt)
}

// readInwoners reads a table of real inhabitants by code (code,inwoners;
// empty: CBS gives no figure).
func readInwoners(fsys embed.FS, name string) (map[string]figure, error) {
	t, err := readTable(fsys, name)
	if err != nil {
		return nil, err
	}
	out := make(map[string]figure, len(t.rows))
	for i := range t.rows {
		code, err := t.cell(i, "code")
		if err != nil {
			return nil, err
		}
		if out[code], err = t.figure(i, "inwoners"); err != nil {
			return nil, err
		}
	}
	return out, nil
}
