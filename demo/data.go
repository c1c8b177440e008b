package demo

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
)

// dataFiles holds the demo data; demo/data/README.md says where every file
// comes from and demo/data/prepare.py makes them.
//
//go:embed data/wijken_2022.geojson.gz data/gemeenten_2022.geojson.gz
//go:embed data/wijken_2022_kwb.csv data/gemeenten_2022_kwb.csv
//go:embed data/gemeenten_2022_herkomst_wonen.csv data/buurten_2019.geojson.gz
//go:embed data/gemeenten_2023.geojson.gz data/gemeenten_2024.geojson.gz data/wijken_2024.geojson.gz
//go:embed data/inwoners_2024_kwb.csv
var dataFiles embed.FS

// figure is a real CBS figure that may be missing.
type figure struct {
	v  float64
	ok bool
}

// or returns the figure, or alt when it is missing.
func (f figure) or(alt figure) figure {
	if f.ok {
		return f
	}
	return alt
}

// kwb holds the real Kerncijfers wijken en buurten 2022 of one wijk or
// gemeente (tmap-nld-2022).
type kwb struct {
	code, name, province string
	population           int
	// urbanity is 1 (not urbanised) to 5 (extremely urbanised); not ok
	// when CBS gives no class.
	urbanity figure
	// ageBands are the shares, in percent, of 0–14, 15–24, 25–44, 45–64
	// and 65+ year olds, rounded by CBS.
	ageBands   [5]figure
	dwellings  figure
	ownership  figure // % owner-occupied dwellings
	employment figure // nettoarbeidsparticipatie, % of 15–75 jarigen
	incomeLow  figure // % of persons in the lowest 40% of incomes
	eduHigh    figure // % of 15–75 jarigen with hbo or wo
}

// gemeenteExtra holds the gemeente figures from other sources than the KWB
// table (demo/data/gemeenten_2022_herkomst_wonen.csv).
type gemeenteExtra struct {
	// herkomst are the shares in percent of herkomst Nederland, Europa
	// (excl. NL) and Buiten-Europa.
	herkomst [3]float64
	// turkije, marokko, suriname and antillen are the 2022 shares in
	// percent with a migration background from those countries.
	turkije, marokko, suriname, antillen figure
	corporatie                           figure // % dwellings owned by housing corporations
	rondSociaalMin                       figure // % households around the social minimum
}

// csvTable is a CSV file read into memory with its columns by name.
type csvTable struct {
	name   string
	column map[string]int
	rows   [][]string
}

func readCSV(name string, r io.Reader) (*csvTable, error) {
	records, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	t := &csvTable{name: name, column: make(map[string]int), rows: records[1:]}
	for i, h := range records[0] {
		t.column[h] = i
	}
	return t, nil
}

// cell returns the named column of a row; a missing column is an error.
func (t *csvTable) cell(row int, col string) (string, error) {
	i, ok := t.column[col]
	if !ok {
		return "", fmt.Errorf("%s: no column %q", t.name, col)
	}
	return strings.TrimSpace(t.rows[row][i]), nil
}

// figure reads a numeric cell. Empty, NA and the CBS no-data sentinels
// (-99999999, -99995, -99997, or any negative number) are a missing figure.
func (t *csvTable) figure(row int, col string) (figure, error) {
	s, err := t.cell(row, col)
	if err != nil || s == "" || s == "NA" {
		return figure{}, err
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return figure{}, fmt.Errorf("%s line %d column %s: %w", t.name, row+2, col, err)
	}
	if v < 0 || math.IsNaN(v) {
		return figure{}, nil
	}
	return figure{v, true}, nil
}

// urbanity returns the CBS stedelijkheid class 1 (not urbanised) to 5
// (extremely urbanised) of its English name in the tmap table.
func urbanity(name string) figure {
	classes := [...]string{"not urbanised", "hardly urbanised", "moderately urbanised", "strongly urbanised", "extremely urbanised"}
	if u := slices.Index(classes[:], name); u >= 0 {
		return figure{float64(u + 1), true}
	}
	return figure{}
}

// readTable reads an embedded CSV table.
func readTable(fsys embed.FS, name string) (*csvTable, error) {
	b, err := fsys.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return readCSV(name, bytes.NewReader(b))
}

// readKWB reads a tmap attribute table, sorted by code.
func readKWB(fsys embed.FS, name string) ([]kwb, error) {
	t, err := readTable(fsys, name)
	if err != nil {
		return nil, err
	}
	out := make([]kwb, len(t.rows))
	for i := range t.rows {
		if out[i], err = t.kwbRow(i); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b kwb) int { return strings.Compare(a.code, b.code) })
	return out, nil
}

func (t *csvTable) kwbRow(i int) (kwb, error) {
	var k kwb
	var errs []error
	str := func(col string) string {
		s, err := t.cell(i, col)
		errs = append(errs, err)
		return s
	}
	num := func(col string) figure {
		f, err := t.figure(i, col)
		errs = append(errs, err)
		return f
	}
	k.code, k.name, k.province = str("code"), str("name"), str("province")
	pop := num("population")
	k.population = int(pop.v)
	k.urbanity = urbanity(str("urbanity"))
	for b, col := range []string{"pop_0_14", "pop_15_24", "pop_25_44", "pop_45_64", "pop_65plus"} {
		k.ageBands[b] = num(col)
	}
	k.dwellings, k.ownership, k.employment = num("dwelling_total"), num("dwelling_ownership"), num("employment_rate")
	k.incomeLow, k.eduHigh = num("income_low"), num("edu_appl_sci")
	if err := errors.Join(errs...); err != nil {
		return k, err
	}
	if !pop.ok || pop.v != math.Trunc(pop.v) {
		return k, fmt.Errorf("%s line %d (%s): population %q is not a count", t.name, i+2, k.code, t.rows[i][t.column["population"]])
	}
	return k, nil
}

// readExtra reads the derived gemeente figures, by gemeente code.
func readExtra(fsys embed.FS, name string) (map[string]gemeenteExtra, error) {
	t, err := readTable(fsys, name)
	if err != nil {
		return nil, err
	}
	out := make(map[string]gemeenteExtra, len(t.rows))
	for i := range t.rows {
		var e gemeenteExtra
		var errs []error
		num := func(col string) figure {
			f, err := t.figure(i, col)
			errs = append(errs, err)
			return f
		}
		for j, col := range []string{"pct_herkomst_nederland", "pct_herkomst_europa", "pct_herkomst_buiten_europa"} {
			f := num(col)
			if !f.ok {
				errs = append(errs, fmt.Errorf("%s line %d: no %s", name, i+2, col))
			}
			e.herkomst[j] = f.v
		}
		e.turkije, e.marokko, e.suriname, e.antillen = num("pct_turkije"), num("pct_marokko"), num("pct_suriname"), num("pct_antillen_aruba")
		e.corporatie, e.rondSociaalMin = num("pct_huurcorporatie"), num("pct_rond_sociaal_min")
		code, err := t.cell(i, "code")
		errs = append(errs, err)
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		out[code] = e
	}
	return out, nil
}

// readAreas reads an embedded gzipped GeoJSON boundary file, as it is
// and as areas of boundary year year.
func readAreas(fsys embed.FS, name string, year int, opt boundaries.GeoJSONOptions) (boundaries.Source, []store.Area, error) {
	src, err := readSource(fsys, name, opt)
	if err != nil {
		return boundaries.Source{}, nil, err
	}
	areas, err := src.Areas(year)
	if err != nil {
		return boundaries.Source{}, nil, fmt.Errorf("%s: %w", name, err)
	}
	return src, areas, nil
}

// readSource reads an embedded gzipped GeoJSON boundary file as it is.
func readSource(fsys embed.FS, name string, opt boundaries.GeoJSONOptions) (boundaries.Source, error) {
	b, err := fsys.ReadFile(name)
	if err != nil {
		return boundaries.Source{}, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return boundaries.Source{}, fmt.Errorf("%s: %w", name, err)
	}
	src, err := boundaries.ReadGeoJSON(zr, opt)
	if err != nil {
		return boundaries.Source{}, fmt.Errorf("%s: %w", name, err)
	}
	// A few generalised outlines cross themselves (21 buurten of 2019, 25
	// areas of 2023 and 2024): repaired here, so that the embedded store
	// and PostGIS (whose ST_MakeValid would repair them its own way) serve
	// the same valid geometry.
	for i := range src.Features {
		src.Features[i].Geometry, _ = geo.RepairOnGrid(src.Features[i].Geometry, sourceGrid)
	}
	return src, nil
}

// sourceGrid is the grid the demo's outlines are repaired on: a millionth
// of a degree, the precision of the files (about 0.1 m).
const sourceGrid = 1e6

// sources is everything read from the embedded files.
type sources struct {
	gemeenten, wijken        []kwb
	extra                    map[string]gemeenteExtra
	gemeenteAreas, wijkAreas []store.Area
	// gemeenteSource and wijkSource are the boundaries as read, in WGS84,
	// for importing into PostGIS.
	gemeenteSource, wijkSource boundaries.Source
}

func readSources() (*sources, error) {
	var s sources
	var err error
	if s.gemeenten, err = readKWB(dataFiles, "data/gemeenten_2022_kwb.csv"); err != nil {
		return nil, err
	}
	if s.wijken, err = readKWB(dataFiles, "data/wijken_2022_kwb.csv"); err != nil {
		return nil, err
	}
	if s.extra, err = readExtra(dataFiles, "data/gemeenten_2022_herkomst_wonen.csv"); err != nil {
		return nil, err
	}
	gemeenten, gemeenteOptions := gemeenteFile(BaseYear)
	s.gemeenteSource, s.gemeenteAreas, err = readAreas(dataFiles, gemeenten, BaseYear, gemeenteOptions)
	if err != nil {
		return nil, err
	}
	s.wijkSource, s.wijkAreas, err = readAreas(dataFiles, "data/wijken_2022.geojson.gz", BaseYear, boundaries.GeoJSONOptions{
		Level: catalog.Wijk, CodeProperty: "code", NameProperty: "name",
		GemeenteCodeProperty: "gm_code", GemeenteNameProperty: "gm_name",
	})
	if err != nil {
		return nil, err
	}
	return &s, s.check()
}

// check makes sure the boundaries and the figures describe the same areas.
func (s *sources) check() error {
	for _, p := range []struct {
		what  string
		areas []store.Area
		figs  []kwb
	}{{"gemeenten", s.gemeenteAreas, s.gemeenten}, {"wijken", s.wijkAreas, s.wijken}} {
		if len(p.areas) != len(p.figs) {
			return fmt.Errorf("%d %s boundaries but %d rows of figures", len(p.areas), p.what, len(p.figs))
		}
		for i := range p.areas {
			if p.areas[i].Code != p.figs[i].code {
				return fmt.Errorf("%s: boundary %s has no figures (row %s)", p.what, p.areas[i].Code, p.figs[i].code)
			}
		}
	}
	for _, g := range s.gemeenten {
		if _, ok := s.extra[g.code]; !ok {
			return fmt.Errorf("gemeente %s has no row in gemeenten_2022_herkomst_wonen.csv", g.code)
		}
	}
	return nil
}
