// Package gpkg writes OGC GeoPackage 1.3 files (https://www.geopackage.org/spec130/)
// with one table of polygon features in WGS84 (EPSG:4326) and one
// attributes table of key–value metadata, with pure-Go SQLite: no cgo, no
// GDAL. Column descriptions go into the schema extension's
// gpkg_data_columns, which QGIS and GDAL show.
package gpkg

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"
)

// ColumnType is the SQL type of an attribute column.
type ColumnType string

// The column types a feature table can have.
const (
	Text    ColumnType = "TEXT"
	Real    ColumnType = "REAL"
	Integer ColumnType = "INTEGER"
)

// Column is an attribute column of the feature table.
type Column struct {
	// Name is the column name: lower-case letters, digits and
	// underscores, starting with a letter.
	Name string
	Type ColumnType
	// Description says what the column holds.
	Description string
}

// Feature is a row of the feature table.
type Feature struct {
	// ID is the feature id (fid); it must be unique and positive.
	ID int64
	// Geometry is in WGS84 longitude, latitude.
	Geometry orb.MultiPolygon
	// Values holds one value per column: string, float64, int64 or nil
	// for NULL.
	Values []any
}

// Layer is the feature table.
type Layer struct {
	// Name is the table name, with the same rules as a column name.
	Name        string
	Title       string
	Description string
	Columns     []Column
	Features    []Feature
}

// Metadata is the attributes table of key–value pairs.
type Metadata struct {
	// Name is the table name, with the same rules as a column name.
	Name        string
	Title       string
	Description string
	Rows        [][2]string
}

// wgs84WKT is the definition of EPSG:4326 in gpkg_spatial_ref_sys.
const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]`

// identifier is what table and column names may look like, so that they
// never need quoting beyond double quotes.
var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Write creates the GeoPackage file path, which must not exist yet, with
// the layer and the metadata. On error it removes what it wrote.
func Write(ctx context.Context, path string, layer Layer, meta Metadata) (err error) {
	if err := check(layer, meta); err != nil {
		return err
	}
	if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
		return fmt.Errorf("gpkg: %s exists already", path)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("gpkg: closing %s: %w", path, cerr)
		}
		if err != nil {
			if rerr := os.Remove(path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
				err = errors.Join(err, rerr)
			}
		}
	}()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	if err := write(ctx, tx, layer, meta); err != nil {
		return errors.Join(fmt.Errorf("gpkg: %w", err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	return nil
}

// check validates names and the number of values of every feature.
func check(layer Layer, meta Metadata) error {
	for _, name := range []string{layer.Name, meta.Name} {
		if !identifier.MatchString(name) || strings.HasPrefix(name, "gpkg_") || strings.HasPrefix(name, "rtree_") {
			return fmt.Errorf("gpkg: table name %q is not a plain lower-case name", name)
		}
	}
	if layer.Name == meta.Name {
		return fmt.Errorf("gpkg: the layer and the metadata are both named %q", layer.Name)
	}
	seen := map[string]bool{"fid": true, "geom": true}
	for _, c := range layer.Columns {
		if !identifier.MatchString(c.Name) || seen[c.Name] {
			return fmt.Errorf("gpkg: column name %q is not a plain lower-case name or is used twice", c.Name)
		}
		seen[c.Name] = true
		switch c.Type {
		case Text, Real, Integer:
		default:
			return fmt.Errorf("gpkg: column %s has unknown type %q", c.Name, c.Type)
		}
	}
	for _, f := range layer.Features {
		if len(f.Values) != len(layer.Columns) || f.ID < 1 {
			return fmt.Errorf("gpkg: feature %d has %d values for %d columns (and needs a positive id)", f.ID, len(f.Values), len(layer.Columns))
		}
	}
	return nil
}

// write creates the tables and fills them.
func write(ctx context.Context, tx *sql.Tx, layer Layer, meta Metadata) error {
	if err := createCore(ctx, tx); err != nil {
		return err
	}
	if err := writeLayer(ctx, tx, layer); err != nil {
		return err
	}
	return writeMetadata(ctx, tx, meta)
}

// createCore creates the tables every GeoPackage has, and the schema
// extension's, and sets the GeoPackage application id and version.
func createCore(ctx context.Context, tx *sql.Tx) error {
	stmts := []string{
		`PRAGMA application_id = 1196444487`, // "GPKG"
		`PRAGMA user_version = 10300`,        // 1.3.0
		`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
			organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
		`INSERT INTO gpkg_spatial_ref_sys VALUES
			('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
			('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
			('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
		`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
			description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
			min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
			CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
		`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
			srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
			CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
			CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
			CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
		`CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
			scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
		`CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT,
			description TEXT, mime_type TEXT, constraint_name TEXT,
			CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name))`,
		`CREATE TABLE gpkg_data_column_constraints (constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT,
			min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN, description TEXT,
			CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))`,
		`INSERT INTO gpkg_extensions VALUES
			('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write'),
			('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write')`,
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("creating the GeoPackage tables: %w", err)
		}
	}
	return nil
}

// writeLayer creates and fills the feature table.
func writeLayer(ctx context.Context, tx *sql.Tx, layer Layer) (err error) {
	defs := []string{"fid INTEGER PRIMARY KEY AUTOINCREMENT", "geom MULTIPOLYGON"}
	names := []string{"fid", "geom"}
	for _, c := range layer.Columns {
		defs = append(defs, fmt.Sprintf("%q %s", c.Name, c.Type))
		names = append(names, fmt.Sprintf("%q", c.Name))
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %q (%s)", layer.Name, strings.Join(defs, ", "))); err != nil {
		return fmt.Errorf("creating table %s: %w", layer.Name, err)
	}
	insert, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %q (%s) VALUES (?%s)",
		layer.Name, strings.Join(names, ", "), strings.Repeat(", ?", len(names)-1)))
	if err != nil {
		return fmt.Errorf("table %s: %w", layer.Name, err)
	}
	defer func() { err = errors.Join(err, insert.Close()) }()
	var bound orb.Bound
	for i, f := range layer.Features {
		blob, err := geometryBlob(f.Geometry)
		if err != nil {
			return fmt.Errorf("feature %d: %w", f.ID, err)
		}
		if _, err := insert.ExecContext(ctx, append([]any{f.ID, blob}, f.Values...)...); err != nil {
			return fmt.Errorf("feature %d: %w", f.ID, err)
		}
		if b := f.Geometry.Bound(); i == 0 {
			bound = b
		} else {
			bound = bound.Union(b)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
		VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)`, layer.Name, layer.Title, layer.Description,
		bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1]); err != nil {
		return fmt.Errorf("registering table %s: %w", layer.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', 4326, 0, 0)`, layer.Name); err != nil {
		return fmt.Errorf("registering the geometry of %s: %w", layer.Name, err)
	}
	for _, c := range layer.Columns {
		if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_data_columns (table_name, column_name, name, title, description) VALUES (?, ?, ?, ?, ?)`,
			layer.Name, c.Name, c.Name, c.Name, c.Description); err != nil {
			return fmt.Errorf("describing column %s: %w", c.Name, err)
		}
	}
	return nil
}

// writeMetadata creates and fills the attributes table.
func writeMetadata(ctx context.Context, tx *sql.Tx, meta Metadata) error {
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE %q (fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT)`, meta.Name)); err != nil {
		return fmt.Errorf("creating table %s: %w", meta.Name, err)
	}
	for _, row := range meta.Rows {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %q (key, value) VALUES (?, ?)`, meta.Name), row[0], row[1]); err != nil {
			return fmt.Errorf("table %s: %w", meta.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)`,
		meta.Name, meta.Title, meta.Description); err != nil {
		return fmt.Errorf("registering table %s: %w", meta.Name, err)
	}
	return nil
}

// The flags of a geometry blob header: little-endian, with an envelope of
// minx, maxx, miny, maxy (envelope contents indicator 1).
const (
	flagLittleEndian = 0x01
	flagEnvelopeXY   = 0x02
	flagEmpty        = 0x10
)

// geometryBlob encodes a geometry as a GeoPackage geometry blob: the "GP"
// header with the SRS id 4326 and the envelope, then little-endian WKB.
func geometryBlob(mp orb.MultiPolygon) ([]byte, error) {
	body, err := wkb.Marshal(mp, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("WKB: %w", err)
	}
	header := []byte{'G', 'P', 0, flagLittleEndian}
	header = binary.LittleEndian.AppendUint32(header, 4326)
	if len(mp) == 0 {
		header[3] |= flagEmpty
		return append(header, body...), nil
	}
	header[3] |= flagEnvelopeXY
	b := mp.Bound()
	for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
		header = binary.LittleEndian.AppendUint64(header, math.Float64bits(v))
	}
	return append(header, body...), nil
}
