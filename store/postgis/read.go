package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
)

// Years implements store.Store: the years with a Nederland row and values.
func (s *Store) Years(ctx context.Context) ([]int, error) {
	const q = `
		SELECT a.year
		FROM wijkkaart.area AS a
		WHERE a.level = 'nederland'
		  AND EXISTS (SELECT FROM wijkkaart.value AS v WHERE v.year = a.year)
		ORDER BY a.year`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("postgis: years: %w", err)
	}
	years, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("postgis: years: %w", err)
	}
	return years, nil
}

// areaColumns are the columns areaRow reads, in order, before the geometry.
const areaColumns = `
	a.level, a.year, a.code, a.name, coalesce(a.gemeente_code, ''), coalesce(a.gemeente_name, ''),
	coalesce(a.wijk_code, ''), a.feature_id, a.west, a.south, a.east, a.north`

// areaRow is an area row as scanned.
type areaRow struct {
	level                  string
	area                   store.Area
	west, south, east, nth float64
	geom                   []byte
}

func (r *areaRow) dest() []any {
	a := &r.area
	return []any{&r.level, &a.Year, &a.Code, &a.Name, &a.GemeenteCode, &a.GemeenteName, &a.WijkCode, &a.ID,
		&r.west, &r.south, &r.east, &r.nth, &r.geom}
}

// toArea returns the scanned area, with geometry when the row had it.
func (r *areaRow) toArea() (store.Area, error) {
	a := r.area
	a.Level = catalog.Level(r.level)
	a.LonLatBound = orb.Bound{Min: orb.Point{r.west, r.south}, Max: orb.Point{r.east, r.nth}}
	if r.geom != nil {
		g, err := worldGeometry(r.geom)
		if err != nil {
			return store.Area{}, fmt.Errorf("area %s: %w", a.Code, err)
		}
		a.Geometry = g
	}
	return a, nil
}

// worldGeometry decodes a Web Mercator multipolygon and maps it to world
// coordinates, oriented for tiles.
func worldGeometry(b []byte) (orb.MultiPolygon, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("decode geometry: %w", err)
	}
	mp, ok := geo.MultiPolygonOf(g)
	if !ok {
		return nil, fmt.Errorf("geometry is a %s, want a multipolygon", g.GeoJSONType())
	}
	mp = geo.ProjectMultiPolygon(mp, geo.MercatorToWorld)
	geo.OrientForTiles(mp)
	return mp, nil
}

// Areas implements store.Store.
func (s *Store) Areas(ctx context.Context, q store.AreaQuery) ([]store.Area, error) {
	sql := `
		SELECT ` + areaColumns + `, CASE WHEN @with_geometry THEN ST_AsBinary(a.geom) END
		FROM wijkkaart.area AS a
		WHERE a.year = @year AND a.level = @level
		  AND (@gemeente = '' OR a.gemeente_code = @gemeente)
		  AND (cardinality(@codes::text[]) = 0 OR a.code = ANY(@codes))
		  AND (NOT @within OR a.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 3857))
		  AND (@name = '' OR strpos(a.name_search, @name) > 0)
		ORDER BY a.code COLLATE "C"
		LIMIT @limit`
	env := geo.WorldBoundToMercator(q.Within)
	args := pgx.NamedArgs{
		"year": q.Year, "level": string(q.Level), "gemeente": q.Gemeente, "codes": nonNil(q.Codes),
		"within": q.Within != (orb.Bound{}), "xmin": env.Min[0], "ymin": env.Min[1], "xmax": env.Max[0], "ymax": env.Max[1],
		"name": store.FoldName(q.NameContains), "with_geometry": q.WithGeometry, "limit": limitOrAll(q.Limit),
	}
	rows, err := s.pool.Query(ctx, sql, args)
	if err != nil {
		return nil, fmt.Errorf("postgis: areas: %w", err)
	}
	defer rows.Close()
	var out []store.Area
	for rows.Next() {
		var r areaRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, fmt.Errorf("postgis: areas: %w", err)
		}
		a, err := r.toArea()
		if err != nil {
			return nil, fmt.Errorf("postgis: areas: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgis: areas: %w", err)
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// limitOrAll turns "0 = no limit" into SQL's LIMIT NULL.
func limitOrAll(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}

// valueColumns are the columns scanValue reads, in order, for a value
// table aliased as alias.
func valueColumns(alias string) string {
	return fmt.Sprintf("%[1]s.value, %[1]s.numerator, %[1]s.denominator, coalesce(%[1]s.observations, -1), coalesce(%[1]s.provenance, '')", alias)
}

// rawValue is a value row as scanned; present is false when a LEFT JOIN
// found no row.
type rawValue struct {
	value, numerator, denominator *float64
	observations                  int
	provenance                    string
}

func (r *rawValue) dest() []any {
	return []any{&r.value, &r.numerator, &r.denominator, &r.observations, &r.provenance}
}

func (r rawValue) present() bool { return r.provenance != "" }

func (r rawValue) toValue(q store.ValueQuery, code string) store.Value {
	v := store.Value{Level: q.Level, Year: q.Year, Code: code, Indicator: q.Indicator, Group: q.Group,
		Observations: r.observations, Provenance: store.Provenance(r.provenance)}
	for _, f := range []struct {
		from *float64
		to   *store.NullFloat64
	}{{r.value, &v.Value}, {r.numerator, &v.Numerator}, {r.denominator, &v.Denominator}} {
		if f.from != nil {
			*f.to = store.NullFloat(*f.from)
		}
	}
	return v
}

// Values implements store.Store.
func (s *Store) Values(ctx context.Context, q store.ValueQuery) ([]store.Value, error) {
	sql := `
		SELECT v.code, ` + valueColumns("v") + `
		FROM wijkkaart.value AS v
		JOIN wijkkaart.area AS a USING (year, level, code)
		WHERE v.year = @year AND v.level = @level AND v.indicator = @indicator AND v.grp = @group
		  AND (@gemeente = '' OR a.gemeente_code = @gemeente)
		  AND (cardinality(@codes::text[]) = 0 OR v.code = ANY(@codes))
		ORDER BY v.code COLLATE "C"`
	rows, err := s.pool.Query(ctx, sql, pgx.NamedArgs{
		"year": q.Year, "level": string(q.Level), "indicator": q.Indicator, "group": q.Group,
		"gemeente": q.Gemeente, "codes": nonNil(q.Codes),
	})
	if err != nil {
		return nil, fmt.Errorf("postgis: values: %w", err)
	}
	defer rows.Close()
	var out []store.Value
	for rows.Next() {
		var code string
		var r rawValue
		if err := rows.Scan(append([]any{&code}, r.dest()...)...); err != nil {
			return nil, fmt.Errorf("postgis: values: %w", err)
		}
		out = append(out, r.toValue(q, code))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgis: values: %w", err)
	}
	return out, nil
}

// IndicatorValues implements store.Store.
func (s *Store) IndicatorValues(ctx context.Context, year int, indicator string) ([]store.Value, error) {
	const q = `
		SELECT v.level, v.code, v.grp, ` + "%s" + `
		FROM wijkkaart.value AS v
		WHERE v.year = @year AND v.indicator = @indicator
		ORDER BY CASE v.level WHEN 'nederland' THEN 0 WHEN 'gemeente' THEN 1 WHEN 'wijk' THEN 2 ELSE 3 END, v.grp COLLATE "C", v.code COLLATE "C"`
	rows, err := s.pool.Query(ctx, fmt.Sprintf(q, valueColumns("v")), pgx.NamedArgs{"year": year, "indicator": indicator})
	if err != nil {
		return nil, fmt.Errorf("postgis: indicator values: %w", err)
	}
	defer rows.Close()
	var out []store.Value
	for rows.Next() {
		var level, code, group string
		var r rawValue
		if err := rows.Scan(append([]any{&level, &code, &group}, r.dest()...)...); err != nil {
			return nil, fmt.Errorf("postgis: indicator values: %w", err)
		}
		q := store.ValueQuery{Level: catalog.Level(level), Year: year, Indicator: indicator, Group: group}
		out = append(out, r.toValue(q, code))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgis: indicator values: %w", err)
	}
	return out, nil
}

// Choropleth implements store.Store in one round trip: the areas in the
// envelope joined with their value and the Nederland value.
func (s *Store) Choropleth(ctx context.Context, q store.ValueQuery, within orb.Bound) (store.Choropleth, error) {
	sql := `
		SELECT ` + areaColumns + `, ST_AsBinary(a.geom), ` + valueColumns("v") + `, ` + valueColumns("nl") + `
		FROM wijkkaart.area AS a
		LEFT JOIN wijkkaart.value AS v
		       ON v.year = a.year AND v.level = a.level AND v.code = a.code
		      AND v.indicator = @indicator AND v.grp = @group
		LEFT JOIN wijkkaart.value AS nl
		       ON nl.year = a.year AND nl.level = 'nederland' AND nl.code = @nederland
		      AND nl.indicator = @indicator AND nl.grp = @group
		WHERE a.year = @year AND a.level = @level
		  AND a.geom && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 3857)
		ORDER BY a.code COLLATE "C"`
	env := geo.WorldBoundToMercator(within)
	rows, err := s.pool.Query(ctx, sql, pgx.NamedArgs{
		"year": q.Year, "level": string(q.Level), "indicator": q.Indicator, "group": q.Group,
		"nederland": catalog.NederlandCode, "xmin": env.Min[0], "ymin": env.Min[1], "xmax": env.Max[0], "ymax": env.Max[1],
	})
	if err != nil {
		return store.Choropleth{}, fmt.Errorf("postgis: choropleth: %w", err)
	}
	defer rows.Close()
	nlQuery := q
	nlQuery.Level = catalog.Nederland
	out := store.Choropleth{Values: make(map[string]store.Value),
		Nederland: store.Value{Level: catalog.Nederland, Year: q.Year, Code: catalog.NederlandCode, Indicator: q.Indicator, Group: q.Group, Observations: -1}}
	for rows.Next() {
		a, v, nl, err := scanChoroplethRow(rows)
		if err != nil {
			return store.Choropleth{}, fmt.Errorf("postgis: choropleth: %w", err)
		}
		out.Areas = append(out.Areas, a)
		if v.present() {
			out.Values[a.Code] = v.toValue(q, a.Code)
		}
		if nl.present() {
			out.Nederland = nl.toValue(nlQuery, catalog.NederlandCode)
		}
	}
	if err := rows.Err(); err != nil {
		return store.Choropleth{}, fmt.Errorf("postgis: choropleth: %w", err)
	}
	return out, nil
}

// scanChoroplethRow scans one row of the choropleth query.
func scanChoroplethRow(rows pgx.Rows) (store.Area, rawValue, rawValue, error) {
	var ar areaRow
	var v, nl rawValue
	dest := append(append(ar.dest(), v.dest()...), nl.dest()...)
	if err := rows.Scan(dest...); err != nil {
		return store.Area{}, v, nl, err
	}
	a, err := ar.toArea()
	return a, v, nl, err
}
