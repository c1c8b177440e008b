package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/wijkkaart/wijkkaart/geo"
)

// storeBands replaces the simplified geometry of the given levels of year
// in wijkkaart.area_geom: the areas as imported, simplified for every
// zoom band but the last with geo.Coverage, a level at a time so that
// neighbours keep sharing their borders. It is the same computation the
// embedded store makes when it loads, on the same geometry as the server
// reads it.
func storeBands(ctx context.Context, tx pgx.Tx, year int, levels []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM wijkkaart.area_geom WHERE year = $1 AND level = ANY($2)`, year, levels); err != nil {
		return fmt.Errorf("simplify boundaries: %w", err)
	}
	// The areas were just written in this transaction: without fresh
	// statistics the planner checks each band row's foreign key with a
	// scan of all areas (half a minute for the demo's 52,000 rows instead
	// of one).
	if _, err := tx.Exec(ctx, `ANALYZE wijkkaart.area`); err != nil {
		return fmt.Errorf("simplify boundaries: %w", err)
	}
	const staging = `CREATE TEMPORARY TABLE staging_area_geom (level text, code text, band smallint, wkb bytea) ON COMMIT DROP`
	if _, err := tx.Exec(ctx, staging); err != nil {
		return fmt.Errorf("simplify boundaries: %w", err)
	}
	for _, level := range levels {
		codes, geoms, err := levelGeometry(ctx, tx, year, level)
		if err != nil {
			return fmt.Errorf("simplify %s boundaries: %w", level, err)
		}
		rows, err := bandRows(level, codes, geoms)
		if err != nil {
			return fmt.Errorf("simplify %s boundaries: %w", level, err)
		}
		cols := []string{"level", "code", "band", "wkb"}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"staging_area_geom"}, cols, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("simplify %s boundaries: %w", level, err)
		}
	}
	const insert = `
		INSERT INTO wijkkaart.area_geom (year, level, code, band, geom)
		SELECT $1, level, code, band, ST_SetSRID(ST_GeomFromWKB(wkb), 3857)
		FROM staging_area_geom`
	if _, err := tx.Exec(ctx, insert, year); err != nil {
		return fmt.Errorf("simplify boundaries: %w", err)
	}
	return nil
}

// levelGeometry reads the codes and world geometry of one level's areas.
func levelGeometry(ctx context.Context, tx pgx.Tx, year int, level string) ([]string, []orb.MultiPolygon, error) {
	rows, err := tx.Query(ctx, `
		SELECT code, ST_AsBinary(geom) FROM wijkkaart.area
		WHERE year = $1 AND level = $2 ORDER BY code COLLATE "C"`, year, level)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var codes []string
	var geoms []orb.MultiPolygon
	for rows.Next() {
		var code string
		var b []byte
		if err := rows.Scan(&code, &b); err != nil {
			return nil, nil, err
		}
		g, err := worldGeometry(b)
		if err != nil {
			return nil, nil, fmt.Errorf("area %s: %w", code, err)
		}
		codes = append(codes, code)
		geoms = append(geoms, g)
	}
	return codes, geoms, rows.Err()
}

// bandRows simplifies one level's areas for each band and returns the rows
// to copy: level, code, band and Web Mercator WKB.
func bandRows(level string, codes []string, geoms []orb.MultiPolygon) ([][]any, error) {
	var rows [][]any
	for band, areas := range geo.NewCoverage(geoms).SimplifyBands() {
		for i, mp := range areas {
			data, err := wkb.Marshal(geo.ProjectMultiPolygon(mp, geo.WorldToMercator))
			if err != nil {
				return nil, fmt.Errorf("area %s: encode geometry: %w", codes[i], err)
			}
			rows = append(rows, []any{level, codes[i], int16(band), data})
		}
	}
	return rows, nil
}
