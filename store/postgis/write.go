package postgis

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
)

// notifyChannel is the channel imports notify on commit, so that servers
// drop tiles they cached from the old data.
const notifyChannel = "wijkkaart_data_changed"

// Writer imports boundaries and values. It needs a role that may write.
type Writer struct {
	pool *pgxpool.Pool
	cat  *catalog.Catalog
}

// NewWriter returns a writer on pool, after checking the schema version.
func NewWriter(ctx context.Context, pool *pgxpool.Pool, cat *catalog.Catalog) (*Writer, error) {
	if err := checkSchema(ctx, pool); err != nil {
		return nil, err
	}
	return &Writer{pool: pool, cat: cat}, nil
}

// Catalog returns the catalogue the writer checks values against.
func (w *Writer) Catalog() *catalog.Catalog { return w.cat }

// BoundaryStats says what an import of boundaries did.
type BoundaryStats struct {
	// Imported is how many areas were inserted or updated.
	Imported int
	// Repaired is how many geometries were invalid and made valid.
	Repaired int
	// Removed is how many areas of the imported levels and year that
	// were not in the import were removed.
	Removed int
}

// ImportBoundaries replaces the boundaries of year at the levels of srcs
// in one transaction: areas are inserted or updated, reprojected to Web
// Mercator, repaired where invalid, and areas no longer present removed.
// Removing an area that still has values fails the whole import, and a
// failed import changes nothing.
func (w *Writer) ImportBoundaries(ctx context.Context, year int, srcs []boundaries.Source) (BoundaryStats, error) {
	var stats BoundaryStats
	err := pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		if err := syncCatalog(ctx, tx, w.cat); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, stagingAreaTable); err != nil {
			return fmt.Errorf("create staging table: %w", err)
		}
		var levels []string
		for _, src := range srcs {
			if err := copyBoundaries(ctx, tx, src); err != nil {
				return err
			}
			levels = append(levels, string(src.Level))
		}
		var err error
		if stats, err = mergeBoundaries(ctx, tx, year, levels); err != nil {
			return err
		}
		if err := storeBands(ctx, tx, year, levels); err != nil {
			return err
		}
		if err := traceLineage(ctx, tx, year, levels); err != nil {
			return err
		}
		if err := w.republish(ctx, tx, year); err != nil {
			return err
		}
		return notify(ctx, tx, "boundaries")
	})
	if err != nil {
		return BoundaryStats{}, fmt.Errorf("postgis: import boundaries %d: %w", year, describe(err))
	}
	return stats, w.analyze(ctx)
}

// analyze refreshes the planner's statistics after an import: without
// them, the first queries on freshly loaded tables can take seconds
// instead of milliseconds, until autovacuum gets round to it.
func (w *Writer) analyze(ctx context.Context) error {
	if _, err := w.pool.Exec(ctx, `ANALYZE wijkkaart.area, wijkkaart.area_geom, wijkkaart.value, wijkkaart.published_value, wijkkaart.publication`); err != nil {
		return fmt.Errorf("postgis: the import succeeded, but updating statistics failed: %w", err)
	}
	return nil
}

const stagingAreaTable = `
	CREATE TEMPORARY TABLE staging_area (
		level text, code text, name text, name_search text, gemeente_code text, gemeente_name text,
		wijk_code text, feature_id bigint, srid integer, wkb bytea
	) ON COMMIT DROP`

// copyBoundaries copies one source into the staging table.
func copyBoundaries(ctx context.Context, tx pgx.Tx, src boundaries.Source) error {
	rows := make([][]any, 0, len(src.Features))
	for _, f := range src.Features {
		id, err := catalog.FeatureID(f.Code)
		if err != nil {
			return err
		}
		b, err := wkb.Marshal(f.Geometry)
		if err != nil {
			return fmt.Errorf("area %s: encode geometry: %w", f.Code, err)
		}
		rows = append(rows, []any{string(f.Level), f.Code, f.Name, store.FoldName(f.Name), nullIfEmpty(f.GemeenteCode),
			nullIfEmpty(f.GemeenteName), nullIfEmpty(f.WijkCode), int64(id), src.SRID, b})
	}
	cols := []string{"level", "code", "name", "name_search", "gemeente_code", "gemeente_name", "wijk_code", "feature_id", "srid", "wkb"}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"staging_area"}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy %s boundaries: %w", src.Level, err)
	}
	return nil
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// mergeBoundaries moves the staged areas into wijkkaart.area.
func mergeBoundaries(ctx context.Context, tx pgx.Tx, year int, levels []string) (BoundaryStats, error) {
	var stats BoundaryStats
	const prepare = `
		CREATE TEMPORARY TABLE prepared_area ON COMMIT DROP AS
		SELECT s.*, g.valid, fixed.geom,
		       ST_Transform(ST_Envelope(fixed.geom), 4326) AS envelope
		FROM staging_area AS s
		CROSS JOIN LATERAL (SELECT ST_Transform(ST_SetSRID(ST_GeomFromWKB(s.wkb), s.srid), 3857) AS g3857) AS t
		CROSS JOIN LATERAL (SELECT ST_IsValid(t.g3857) AS valid) AS g
		CROSS JOIN LATERAL (
			SELECT ST_ForcePolygonCW(ST_Multi(ST_CollectionExtract(ST_MakeValid(t.g3857), 3)))::geometry(MultiPolygon, 3857) AS geom
		) AS fixed`
	if _, err := tx.Exec(ctx, prepare); err != nil {
		return stats, fmt.Errorf("reproject and repair: %w", err)
	}
	var empty []string
	rows, err := tx.Query(ctx, `SELECT code FROM prepared_area WHERE ST_IsEmpty(geom) ORDER BY code LIMIT 20`)
	if err != nil {
		return stats, err
	}
	if empty, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return stats, err
	}
	if len(empty) > 0 {
		return stats, fmt.Errorf("areas without any area left after repair: %v", empty)
	}
	const upsert = `
		INSERT INTO wijkkaart.area (year, level, code, name, name_search, gemeente_code, gemeente_name, wijk_code,
		                            feature_id, west, south, east, north, geom)
		SELECT @year, level, code, name, name_search,
		       CASE WHEN level = 'gemeente' THEN code ELSE gemeente_code END,
		       CASE WHEN level = 'gemeente' THEN name ELSE gemeente_name END,
		       wijk_code, feature_id, ST_XMin(envelope), ST_YMin(envelope), ST_XMax(envelope), ST_YMax(envelope), geom
		FROM prepared_area
		ON CONFLICT (year, level, code) DO UPDATE SET
			name = excluded.name, name_search = excluded.name_search, gemeente_code = excluded.gemeente_code,
			gemeente_name = excluded.gemeente_name, wijk_code = excluded.wijk_code, feature_id = excluded.feature_id,
			west = excluded.west, south = excluded.south, east = excluded.east, north = excluded.north, geom = excluded.geom`
	tag, err := tx.Exec(ctx, upsert, pgx.NamedArgs{"year": year})
	if err != nil {
		return stats, err
	}
	stats.Imported = int(tag.RowsAffected())
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM prepared_area WHERE NOT valid`).Scan(&stats.Repaired); err != nil {
		return stats, err
	}
	if stats.Removed, err = removeVanished(ctx, tx, year, levels); err != nil {
		return stats, err
	}
	return stats, completeAreas(ctx, tx, year)
}

// removeVanished removes the areas of the imported levels that the import
// did not have. An area that still has values is not removed: the import
// fails, naming it.
func removeVanished(ctx context.Context, tx pgx.Tx, year int, levels []string) (int, error) {
	const vanished = `
		FROM wijkkaart.area AS a
		WHERE a.year = @year AND a.level = ANY(@levels)
		  AND NOT EXISTS (SELECT FROM staging_area AS s WHERE s.level = a.level AND s.code = a.code)`
	args := pgx.NamedArgs{"year": year, "levels": levels}
	rows, err := tx.Query(ctx, `SELECT a.code `+vanished+`
		AND EXISTS (
			SELECT FROM wijkkaart.value AS v
			JOIN wijkkaart.boundary_year AS b ON b.level = v.level AND b.year = v.year
			WHERE b.boundary_year = a.year AND v.level = a.level AND a.code = ANY (v.code))
		ORDER BY a.code LIMIT 20`, args)
	if err != nil {
		return 0, err
	}
	inUse, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, err
	}
	if len(inUse) > 0 {
		return 0, fmt.Errorf("the import leaves out areas that still have values (%s); import their values without them first", strings.Join(inUse, ", "))
	}
	tag, err := tx.Exec(ctx, `DELETE `+vanished, args)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// completeAreas fills gemeente names the sources left out, from the
// gemeenten of the same year, and makes sure the year has its Nederland row.
func completeAreas(ctx context.Context, tx pgx.Tx, year int) error {
	const names = `
		UPDATE wijkkaart.area AS a SET gemeente_name = g.name
		FROM wijkkaart.area AS g
		WHERE a.year = @year AND g.year = @year AND g.level = 'gemeente' AND g.code = a.gemeente_code
		  AND a.gemeente_name IS DISTINCT FROM g.name AND a.level <> 'gemeente'`
	if _, err := tx.Exec(ctx, names, pgx.NamedArgs{"year": year}); err != nil {
		return fmt.Errorf("fill gemeente names: %w", err)
	}
	return ensureNederland(ctx, tx, []int{year})
}

// ensureNederland makes sure each year has its Nederland area row.
func ensureNederland(ctx context.Context, tx pgx.Tx, years []int) error {
	id, err := catalog.FeatureID(catalog.NederlandCode)
	if err != nil {
		return err
	}
	const insert = `
		INSERT INTO wijkkaart.area (year, level, code, name, name_search, feature_id)
		SELECT y, 'nederland', @code, 'Nederland', 'nederland', @id FROM unnest(@years::integer[]) AS y
		ON CONFLICT DO NOTHING`
	if _, err := tx.Exec(ctx, insert, pgx.NamedArgs{"code": catalog.NederlandCode, "id": int64(id), "years": years}); err != nil {
		return fmt.Errorf("add Nederland rows: %w", err)
	}
	return nil
}

// ValueStats says what an import of values did.
type ValueStats struct {
	// Imported is how many values were loaded.
	Imported int
	// Replaced is how many values of the same years and indicators were
	// replaced.
	Replaced int
	// Published says what publishing the imported values did.
	Published PublishStats
}

// ImportValues loads validated values and publishes them, in one
// transaction. They replace every value of each (year, level, indicator)
// they contain, so a file can be corrected and imported again, and the
// values of other levels (buurten in a file of their own) stay; every
// (year, indicator) they touch is published again from all its levels.
// Readers see the old published values until the import commits, and the
// new ones after.
// A value for an unknown area, indicator or group fails the import, and any
// failure changes nothing. vals is iterated once, before the transaction
// begins; its values are held in memory until they are published.
func (w *Writer) ImportValues(ctx context.Context, vals iter.Seq[store.Value], policy disclosure.Policy) (ValueStats, error) {
	var stats ValueStats
	batches := collectBatches(vals)
	scope := batches.scope()
	err := pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		if err := syncCatalog(ctx, tx, w.cat); err != nil {
			return err
		}
		if err := ensureNederland(ctx, tx, batches.years()); err != nil {
			return err
		}
		var err error
		if stats.Replaced, err = batches.deleteOld(ctx, tx); err != nil {
			return err
		}
		boundaryYears, err := assignBoundaryYears(ctx, tx, batches.levelYears())
		if err != nil {
			return err
		}
		if err := w.checkValues(ctx, tx, batches.all(), boundaryYears); err != nil {
			return err
		}
		if err := batches.addOtherLevels(ctx, tx); err != nil {
			return err
		}
		// Disclosure control runs while the raw values are copied.
		pub, err := w.startPublication(ctx, tx, policy, scope, batches.batches())
		if err != nil {
			return err
		}
		// A copy that fails leaves the publication unfinished: stop it.
		defer pub.stop()
		if stats.Imported, err = copyValues(ctx, tx, batches); err != nil {
			return err
		}
		if stats.Published, err = pub.finish(ctx, tx); err != nil {
			return err
		}
		return notify(ctx, tx, "values")
	})
	if err != nil {
		return ValueStats{}, fmt.Errorf("postgis: import values: %w", describe(err))
	}
	return stats, w.analyze(ctx)
}

// scopeArgs are the years and indicators of scope as query arguments.
func scopeArgs(scope []yearIndicator) pgx.NamedArgs {
	years, indicators := make([]int, len(scope)), make([]string, len(scope))
	for i, k := range scope {
		years[i], indicators[i] = k.year, k.indicator
	}
	return pgx.NamedArgs{"years": years, "indicators": indicators}
}

// deleteScope deletes the rows of table of each (year, indicator) of
// scope, and returns how many it deleted.
func deleteScope(ctx context.Context, tx pgx.Tx, table string, scope []yearIndicator) (int, error) {
	sql := `
		DELETE FROM ` + pgx.Identifier{"wijkkaart", table}.Sanitize() + ` AS v
		USING unnest(@years::integer[], @indicators::text[]) AS s(year, indicator)
		WHERE v.year = s.year AND v.indicator = s.indicator`
	tag, err := tx.Exec(ctx, sql, scopeArgs(scope))
	if err != nil {
		return 0, fmt.Errorf("replace %s: %w", table, err)
	}
	return int(tag.RowsAffected()), nil
}

// copyValues copies the collected raw values into wijkkaart.value, a row
// per series (level and group of a year and indicator), and returns how
// many values it copied.
func copyValues(ctx context.Context, tx pgx.Tx, c *batchCollector) (int, error) {
	columns := []string{"year", "indicator", "level", "grp", "code", "value", "numerator", "denominator", "observations", "provenance"}
	copied := 0
	_, err := copyRows(ctx, tx, "value", columns, func(w *copyWriter) error {
		for _, k := range c.order {
			for series := range seriesOf(c.values[k]) {
				if !w.row() {
					return nil
				}
				writeSeries(w, series)
				copied += len(series)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("copy values: %w", err)
	}
	return copied, nil
}

// seriesOf yields the runs of values of one level and group in values,
// which are sorted by store.CompareValues.
func seriesOf(values []store.Value) iter.Seq[[]store.Value] {
	return func(yield func([]store.Value) bool) {
		for start := 0; start < len(values); {
			end := start + 1
			for end < len(values) && values[end].Level == values[start].Level && values[end].Group == values[start].Group {
				end++
			}
			if !yield(values[start:end]) {
				return
			}
			start = end
		}
	}
}

// writeSeries writes one row of wijkkaart.value: the values of one series.
func writeSeries(w *copyWriter, series []store.Value) {
	first := series[0]
	w.int4(first.Year)
	w.text(first.Indicator)
	w.text(string(first.Level))
	w.text(first.Group)
	w.array(textOID, len(series), false, func(i int) { w.text(series[i].Code) })
	for _, number := range []func(store.Value) store.NullFloat64{
		func(v store.Value) store.NullFloat64 { return v.Value },
		func(v store.Value) store.NullFloat64 { return v.Numerator },
		func(v store.Value) store.NullFloat64 { return v.Denominator },
	} {
		hasNull := slices.ContainsFunc(series, func(v store.Value) bool { return !number(v).Valid })
		w.array(float8OID, len(series), hasNull, func(i int) { w.float8(number(series[i])) })
	}
	w.array(int4OID, len(series), false, func(i int) { w.int4(series[i].Observations) })
	w.array(textOID, len(series), false, func(i int) { w.text(string(series[i].Provenance)) })
}

// checkValues makes sure every value has a known area (as tx sees the
// boundaries), indicator and group, and that no area has two values for
// one indicator and group, before any is loaded: the writer's own
// guarantee, whoever read the values. vals come sorted (see
// collectBatches), so duplicates are neighbours. Row-by-row foreign keys
// made loading millions of values take many minutes, and checking them in
// SQL after loading took minutes too.
func (w *Writer) checkValues(ctx context.Context, tx pgx.Tx, vals iter.Seq[store.Value], boundaryYears map[levelYear]int) error {
	known, err := areaIndex(ctx, tx)
	if err != nil {
		return err
	}
	problems := map[string][]string{}
	var kinds []string
	report := func(kind, what string) {
		if len(problems[kind]) == 0 {
			kinds = append(kinds, kind)
		}
		if len(problems[kind]) < 20 && !slices.Contains(problems[kind], what) {
			problems[kind] = append(problems[kind], what)
		}
	}
	var previous store.Value
	for v := range vals {
		if compareYearIndicator(yearIndicator{v.Year, v.Indicator}, yearIndicator{previous.Year, previous.Indicator}) == 0 &&
			store.CompareValues(v, previous) == 0 {
			report("the same area, indicator and group more than once", fmt.Sprint(v.Year, " ", v.Code, " ", v.Indicator, " ", v.Group))
		}
		previous = v
		if boundary := boundaryYears[levelYear{v.Level, v.Year}]; !known(boundary, v.Level, v.Code) {
			report("areas that have no boundaries in the boundary year of their values", fmt.Sprint(v.Year, " ", v.Code, " (boundaries of ", boundary, ")"))
		}
		if _, ok := w.cat.Indicator(v.Indicator); !ok {
			report("unknown indicators", v.Indicator)
		}
		if _, ok := w.cat.Group(v.Group); !ok {
			report("unknown herkomstgroepen", v.Group)
		}
	}
	var errs []error
	for _, kind := range kinds {
		errs = append(errs, fmt.Errorf("values for %s: %s", kind, strings.Join(problems[kind], ", ")))
	}
	return errors.Join(errs...)
}

// batchCollector holds values grouped by (year, indicator), so that they
// are read once, copied and published from memory.
type batchCollector struct {
	order  []yearIndicator
	values map[yearIndicator][]store.Value
	// others are the raw values already stored of the levels an import
	// does not hold, of each (year, indicator): published with the
	// imported values, not copied again.
	others map[yearIndicator][]store.Value
	// levels are the levels imported of each (year, indicator).
	levels map[yearIndicator][]string
}

// collectBatches reads vals into a collector.
func collectBatches(vals iter.Seq[store.Value]) *batchCollector {
	c := &batchCollector{values: make(map[yearIndicator][]store.Value), others: make(map[yearIndicator][]store.Value),
		levels: make(map[yearIndicator][]string)}
	for v := range vals {
		k := yearIndicator{v.Year, v.Indicator}
		if _, ok := c.values[k]; !ok {
			c.order = append(c.order, k)
		}
		c.values[k] = append(c.values[k], v)
		if !slices.Contains(c.levels[k], string(v.Level)) {
			c.levels[k] = append(c.levels[k], string(v.Level))
		}
	}
	slices.SortFunc(c.order, compareYearIndicator)
	for _, vs := range c.values {
		// In the order disclosure control reads them (it finds them
		// sorted) and the order of the published values' key within each
		// level: copied in that order, rows extend an index at a few
		// places at its right edge instead of splitting pages all over
		// it, which makes loading millions of them much faster.
		store.SortValues(vs)
	}
	return c
}

func compareYearIndicator(a, b yearIndicator) int {
	return cmp.Or(cmp.Compare(a.year, b.year), strings.Compare(a.indicator, b.indicator))
}

// deleteOld deletes the raw values the collected ones replace: those of
// the same year, level and indicator. It returns how many it deleted.
func (c *batchCollector) deleteOld(ctx context.Context, tx pgx.Tx) (int, error) {
	var years []int
	var indicators, levels []string
	for _, k := range c.order {
		for _, l := range c.levels[k] {
			years, indicators, levels = append(years, k.year), append(indicators, k.indicator), append(levels, l)
		}
	}
	tag, err := tx.Exec(ctx, `
		DELETE FROM wijkkaart.value AS v
		USING unnest(@years::integer[], @indicators::text[], @levels::text[]) AS s(year, indicator, level)
		WHERE v.year = s.year AND v.indicator = s.indicator AND v.level = s.level`,
		pgx.NamedArgs{"years": years, "indicators": indicators, "levels": levels})
	if err != nil {
		return 0, fmt.Errorf("replace values: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// addOtherLevels reads the raw values of the levels the import did not
// hold, as tx sees them, so that each (year, indicator) is published from
// all its levels together.
func (c *batchCollector) addOtherLevels(ctx context.Context, tx pgx.Tx) error {
	for _, k := range c.order {
		var others []string
		for _, l := range catalog.Levels() {
			if !slices.Contains(c.levels[k], string(l)) {
				others = append(others, string(l))
			}
		}
		if len(others) == 0 {
			continue
		}
		values, err := readRawValues(ctx, tx, k.year, k.indicator, others)
		if err != nil {
			return err
		}
		c.others[k] = values
	}
	return nil
}

// all yields every value collected.
func (c *batchCollector) all() iter.Seq[store.Value] {
	return func(yield func(store.Value) bool) {
		for _, k := range c.order {
			for _, v := range c.values[k] {
				if !yield(v) {
					return
				}
			}
		}
	}
}

// scope returns the (year, indicator) pairs collected, in the order seen.
func (c *batchCollector) scope() []yearIndicator { return c.order }

// levelYears returns the (level, value year) pairs collected.
func (c *batchCollector) levelYears() []levelYear {
	var out []levelYear
	for _, k := range c.order {
		for _, l := range c.levels[k] {
			if ly := (levelYear{catalog.Level(l), k.year}); !slices.Contains(out, ly) {
				out = append(out, ly)
			}
		}
	}
	return out
}

// years returns the years collected.
func (c *batchCollector) years() []int {
	var years []int
	for _, k := range c.order {
		if !slices.Contains(years, k.year) {
			years = append(years, k.year)
		}
	}
	return years
}

// batches yields the batches to publish: the collected values of each
// (year, indicator) with those of its other levels, in a slice of its own
// (disclosure control sorts it while the collected values are copied).
func (c *batchCollector) batches() iter.Seq2[disclosure.Batch, error] {
	return func(yield func(disclosure.Batch, error) bool) {
		for _, k := range c.order {
			values := slices.Concat(c.values[k], c.others[k])
			if !yield(disclosure.Batch{Year: k.year, Indicator: k.indicator, Values: values}, nil) {
				return
			}
		}
	}
}

type yearIndicator struct {
	year      int
	indicator string
}

// AreaIndex returns a function that says whether values of a value year
// may name an area: whether it exists in the boundary year those values
// would be on (the one their level and year are on already, else the
// nearest). It is for checking a file line by line before importing it;
// the import checks again.
func (w *Writer) AreaIndex(ctx context.Context) (func(year int, level catalog.Level, code string) bool, error) {
	var known func(year int, level catalog.Level, code string) bool
	err := pgx.BeginTxFunc(ctx, w.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		areas, err := areaIndex(ctx, tx)
		if err != nil {
			return err
		}
		available, err := boundaryYearsByLevel(ctx, tx)
		if err != nil {
			return err
		}
		assigned, err := recordedBoundaryYears(ctx, tx)
		if err != nil {
			return err
		}
		known = func(year int, level catalog.Level, code string) bool {
			boundary, ok := assigned[levelYear{level, year}]
			if !ok && level != catalog.Nederland {
				boundary, ok = store.NearestBoundaryYear(year, available[level])
			}
			if level == catalog.Nederland {
				return code == catalog.NederlandCode
			}
			return ok && areas(boundary, level, code)
		}
		return nil
	})
	return known, err
}

// recordedBoundaryYears returns the boundary year of every (level, value
// year) that has values.
func recordedBoundaryYears(ctx context.Context, q querier) (map[levelYear]int, error) {
	rows, err := q.Query(ctx, `SELECT level, year, boundary_year FROM wijkkaart.boundary_year`)
	if err != nil {
		return nil, fmt.Errorf("postgis: boundary years: %w", err)
	}
	out := make(map[levelYear]int)
	var level string
	var year, boundary int
	if _, err := pgx.ForEachRow(rows, []any{&level, &year, &boundary}, func() error {
		out[levelYear{catalog.Level(level), year}] = boundary
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgis: boundary years: %w", err)
	}
	return out, nil
}

// areaIndex returns a function that says whether an area exists in a
// boundary year, as q sees the areas.
func areaIndex(ctx context.Context, q querier) (func(year int, level catalog.Level, code string) bool, error) {
	type key struct {
		year  int
		level catalog.Level
		code  string
	}
	rows, err := q.Query(ctx, `SELECT year, level, code FROM wijkkaart.area`)
	if err != nil {
		return nil, fmt.Errorf("postgis: list areas: %w", err)
	}
	known := make(map[key]bool)
	var k key
	var level string
	_, err = pgx.ForEachRow(rows, []any{&k.year, &level, &k.code}, func() error {
		k.level = catalog.Level(level)
		known[k] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgis: list areas: %w", err)
	}
	return func(year int, level catalog.Level, code string) bool {
		return known[key{year, level, code}]
	}, nil
}

// syncCatalog upserts the binary's catalogue, so that values can refer to
// every indicator and group this build knows.
func syncCatalog(ctx context.Context, tx pgx.Tx, cat *catalog.Catalog) error {
	batch := &pgx.Batch{}
	for _, ind := range cat.Indicators {
		def, err := json.Marshal(ind)
		if err != nil {
			return fmt.Errorf("catalogue: %w", err)
		}
		batch.Queue(`
			INSERT INTO wijkkaart.indicator (id, theme, unit, polarity, split_by_group, decimals, definition)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO UPDATE SET theme = excluded.theme, unit = excluded.unit, polarity = excluded.polarity,
				split_by_group = excluded.split_by_group, decimals = excluded.decimals, definition = excluded.definition`,
			ind.ID, ind.Theme, string(ind.Unit), string(ind.Polarity), ind.SplitByGroup, ind.Decimals, def)
	}
	for _, g := range cat.Groups {
		def, err := json.Marshal(g)
		if err != nil {
			return fmt.Errorf("catalogue: %w", err)
		}
		batch.Queue(`
			INSERT INTO wijkkaart.herkomstgroep (id, splits, definition) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET splits = excluded.splits, definition = excluded.definition`,
			g.ID, g.Splits, def)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	return nil
}

// notify tells listening servers, when the transaction commits, that data
// changed.
func notify(ctx context.Context, tx pgx.Tx, what string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, what); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}
