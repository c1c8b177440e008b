package postgis

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// Years implements store.Store: the value years with a publication whose
// values are on imported boundaries.
func (s *Store) Years(ctx context.Context) ([]int, error) {
	const q = `
		SELECT DISTINCT b.year
		FROM wijkkaart.boundary_year AS b
		WHERE EXISTS (SELECT FROM wijkkaart.publication AS p WHERE p.year = b.year)
		  AND EXISTS (SELECT FROM wijkkaart.area AS a WHERE a.year = b.boundary_year AND a.level = b.level)
		ORDER BY b.year`
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

// BoundaryYears implements store.Store.
func (s *Store) BoundaryYears(ctx context.Context) ([]store.BoundaryYear, error) {
	const q = `
		SELECT b.level, b.year, b.boundary_year
		FROM wijkkaart.boundary_year AS b
		WHERE EXISTS (SELECT FROM wijkkaart.publication AS p WHERE p.year = b.year)
		ORDER BY array_position(@levels::text[], b.level), b.year`
	rows, err := s.pool.Query(ctx, q, pgx.NamedArgs{"levels": catalogLevels()})
	if err != nil {
		return nil, fmt.Errorf("postgis: boundary years: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.BoundaryYear, error) {
		var b store.BoundaryYear
		var level string
		err := row.Scan(&level, &b.Year, &b.Boundary)
		b.Level = catalog.Level(level)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgis: boundary years: %w", err)
	}
	return out, nil
}

// Lineage implements store.Store.
func (s *Store) Lineage(ctx context.Context) ([]store.Lineage, error) {
	lineage, err := readLineage(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("postgis: %w", err)
	}
	return lineage, nil
}

// readLineage reads every lineage row as q sees them.
func readLineage(ctx context.Context, q querier) ([]store.Lineage, error) {
	const sql = `
		SELECT level, from_year, to_year, code, relation, successors
		FROM wijkkaart.lineage
		ORDER BY array_position(@levels::text[], level), from_year, code COLLATE "C"`
	rows, err := q.Query(ctx, sql, pgx.NamedArgs{"levels": catalogLevels()})
	if err != nil {
		return nil, fmt.Errorf("lineage: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Lineage, error) {
		var l store.Lineage
		var level, relation string
		var successors []byte
		if err := row.Scan(&level, &l.From, &l.To, &l.Code, &relation, &successors); err != nil {
			return l, err
		}
		l.Level, l.Relation = catalog.Level(level), store.Relation(relation)
		return l, json.Unmarshal(successors, &l.Successors)
	})
	if err != nil {
		return nil, fmt.Errorf("lineage: %w", err)
	}
	return out, nil
}

// levelYear is a (level, value year) of imported values.
type levelYear struct {
	level catalog.Level
	year  int
}

// assignBoundaryYears decides which boundary year the values of each
// (level, value year) are on, records it, and returns it. A (level, year)
// that still has values keeps the boundary year it has: its values would
// otherwise point at areas of another year. One without values left (a
// first import, or one that replaces them all) gets the nearest boundary
// year of its level (store.NearestBoundaryYear). Nederland is on its own
// year.
func assignBoundaryYears(ctx context.Context, tx pgx.Tx, keys []levelYear) (map[levelYear]int, error) {
	if _, err := tx.Exec(ctx, `
		DELETE FROM wijkkaart.boundary_year AS b
		WHERE NOT EXISTS (SELECT FROM wijkkaart.value AS v WHERE v.year = b.year AND v.level = b.level)`); err != nil {
		return nil, fmt.Errorf("forget boundary years without values: %w", err)
	}
	available, err := boundaryYearsByLevel(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := make(map[levelYear]int, len(keys))
	for _, k := range keys {
		var boundary int
		err := tx.QueryRow(ctx, `SELECT boundary_year FROM wijkkaart.boundary_year WHERE level = $1 AND year = $2`,
			string(k.level), k.year).Scan(&boundary)
		switch {
		case err == nil:
		case err != pgx.ErrNoRows:
			return nil, fmt.Errorf("read boundary year: %w", err)
		case k.level == catalog.Nederland:
			boundary = k.year
		default:
			var ok bool
			if boundary, ok = store.NearestBoundaryYear(k.year, available[k.level]); !ok {
				return nil, fmt.Errorf("values for %s of %d: no %s boundaries have been imported", k.level, k.year, k.level)
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO wijkkaart.boundary_year (level, year, boundary_year) VALUES ($1, $2, $3)
			ON CONFLICT (level, year) DO NOTHING`, string(k.level), k.year, boundary); err != nil {
			return nil, fmt.Errorf("record boundary year: %w", err)
		}
		out[k] = boundary
	}
	return out, nil
}

// boundaryYearsByLevel returns the boundary years of every level, as tx
// sees the areas.
func boundaryYearsByLevel(ctx context.Context, tx pgx.Tx) (map[catalog.Level][]int, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT level, year FROM wijkkaart.area ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("list boundary years: %w", err)
	}
	out := make(map[catalog.Level][]int)
	var level string
	var year int
	if _, err := pgx.ForEachRow(rows, []any{&level, &year}, func() error {
		out[catalog.Level(level)] = append(out[catalog.Level(level)], year)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("list boundary years: %w", err)
	}
	return out, nil
}

// traceLineage recomputes the lineage between the boundary year year of
// each level and the boundary years of that level before and after it,
// after year's boundaries of those levels were imported in tx.
func traceLineage(ctx context.Context, tx pgx.Tx, year int, levels []string) error {
	available, err := boundaryYearsByLevel(ctx, tx)
	if err != nil {
		return err
	}
	for _, name := range levels {
		level := catalog.Level(name)
		years := available[level]
		at := slices.Index(years, year)
		if at < 0 {
			continue
		}
		// The lineage that spanned year (before it existed) is replaced
		// by the two steps through it.
		if _, err := tx.Exec(ctx, `DELETE FROM wijkkaart.lineage WHERE level = $1 AND from_year < $2 AND to_year > $2`, name, year); err != nil {
			return fmt.Errorf("replace lineage of %s: %w", name, err)
		}
		if at > 0 {
			if err := traceStep(ctx, tx, level, years[at-1], year); err != nil {
				return err
			}
		}
		if at+1 < len(years) {
			if err := traceStep(ctx, tx, level, year, years[at+1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// traceStep stores what became of the areas of level from boundary year
// from in boundary year to.
func traceStep(ctx context.Context, tx pgx.Tx, level catalog.Level, from, to int) error {
	earlier, err := areasWithGeometry(ctx, tx, level, from)
	if err != nil {
		return err
	}
	later, err := areasWithGeometry(ctx, tx, level, to)
	if err != nil {
		return err
	}
	lineage, err := boundaries.Trace(earlier, later, boundaries.DefaultLineageOptions())
	if err != nil {
		return fmt.Errorf("lineage of %s %d–%d: %w", level, from, to, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM wijkkaart.lineage WHERE level = $1 AND from_year = $2`, string(level), from); err != nil {
		return fmt.Errorf("replace lineage of %s %d: %w", level, from, err)
	}
	return insertLineage(ctx, tx, lineage)
}

// insertLineage stores lineage rows.
func insertLineage(ctx context.Context, tx pgx.Tx, lineage []store.Lineage) error {
	batch := &pgx.Batch{}
	for _, l := range lineage {
		successors, err := json.Marshal(l.Successors)
		if err != nil {
			return fmt.Errorf("lineage of %s: %w", l.Code, err)
		}
		batch.Queue(`
			INSERT INTO wijkkaart.lineage (level, from_year, to_year, code, relation, successors)
			VALUES ($1, $2, $3, $4, $5, $6)`, string(l.Level), l.From, l.To, l.Code, string(l.Relation), successors)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("store lineage: %w", err)
	}
	return nil
}

// areasWithGeometry reads the areas of a level in a boundary year with
// their geometry in world coordinates, as tx sees them.
func areasWithGeometry(ctx context.Context, tx pgx.Tx, level catalog.Level, year int) ([]store.Area, error) {
	rows, err := tx.Query(ctx, `
		SELECT `+areaColumns+`, ST_AsBinary(a.geom)
		FROM wijkkaart.area AS a WHERE a.year = $1 AND a.level = $2
		ORDER BY a.code COLLATE "C"`, year, string(level))
	if err != nil {
		return nil, fmt.Errorf("read %s areas of %d: %w", level, year, err)
	}
	out, err := collectAreas(rows)
	if err != nil {
		return nil, fmt.Errorf("read %s areas of %d: %w", level, year, err)
	}
	return out, nil
}
