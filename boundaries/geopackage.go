package boundaries

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite": no cgo, no GDAL

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
)

// GeoPackageOptions say what to read from a CBS Wijk- en buurtkaart
// GeoPackage.
type GeoPackageOptions struct {
	// Levels are the levels to read: catalog.Gemeente, catalog.Wijk and/or
	// catalog.Buurt. A level whose layer is missing is an error. Empty
	// means every CBS layer the file has.
	Levels []catalog.Level
	// IncludeWater also returns the water parts (water = 'JA'), marked
	// Feature.Water. By default they are skipped without being checked.
	IncludeWater bool
	// Progress, when set, is called with done == 0 before the first row
	// and after every row read (water parts included); the last call has
	// done == total. total is the number of rows in the layers being read.
	Progress func(done, total int)
}

// ReadGeoPackage reads the CBS Wijk- en buurtkaart as CBS publishes it: an
// OGC GeoPackage with the layers gemeenten, wijken and buurten. It returns
// one Source per level read, from gemeente to buurt, each in the layer's
// coordinate reference system (EPSG:28992, RD New, for CBS files).
//
// A layer is recognised by its table name, case-insensitively: gemeenten,
// wijken or buurten, optionally prefixed with "cbs_" and/or followed by a
// year, as in gemeenten_2022 or cbs_wijken_2022. Columns are found by their
// CBS names, case-insensitively: gemeentecode, gemeentenaam, wijkcode,
// wijknaam, buurtcode, buurtnaam and water, or the names of the editions up
// to 2020, GM_CODE, GM_NAAM, WK_CODE, WK_NAAM, BU_CODE and BU_NAAM. Only the
// layer's own code column is required; a missing gemeente or wijk code is
// derived from the area code, one that is present must agree with it. Codes
// are trimmed of padding spaces. The geometry column is the one
// gpkg_geometry_columns names; its blobs must hold a two-dimensional Polygon
// or MultiPolygon. A row whose water column is "JA" is a water part.
//
// The file is opened read-only. Every row read is checked; the error names
// the file, the layer, and the row id (fid) and code of each bad row: a
// missing code, a code of another level, a gemeente or wijk code that does
// not match the code, a duplicate code, or a missing, empty, malformed or
// non-polygonal geometry. A layer without features is an error too. ctx
// cancels the reading.
func ReadGeoPackage(ctx context.Context, path string, opt GeoPackageOptions) ([]Source, error) {
	sources, err := readGeoPackage(ctx, path, opt)
	if err != nil {
		return nil, fmt.Errorf("boundaries: GeoPackage %s: %w", path, err)
	}
	return sources, nil
}

func readGeoPackage(ctx context.Context, path string, opt GeoPackageOptions) (sources []Source, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkLevels(opt.Levels); err != nil {
		return nil, err
	}
	db, err := openGeoPackage(ctx, path)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	layers, err := findLayers(ctx, db, opt.Levels)
	if err != nil {
		return nil, err
	}
	p := progress{report: opt.Progress}
	for _, l := range layers {
		n, err := l.count(ctx, db)
		if err != nil {
			return nil, err
		}
		p.total += n
	}
	p.start()
	sources = make([]Source, 0, len(layers))
	for _, l := range layers {
		src, err := l.read(ctx, db, opt.IncludeWater, &p)
		if err != nil {
			return nil, err
		}
		sources = append(sources, src)
	}
	return sources, nil
}

// checkLevels rejects levels that have no layer in the Wijk- en buurtkaart.
func checkLevels(levels []catalog.Level) error {
	for _, l := range levels {
		if !slices.Contains(catalog.BoundaryLevels(), l) {
			return fmt.Errorf("level %q cannot be read from a GeoPackage (want gemeente, wijk or buurt)", l)
		}
	}
	return nil
}

// progress counts rows for GeoPackageOptions.Progress.
type progress struct {
	report      func(done, total int)
	done, total int
}

func (p *progress) start() {
	if p.report != nil {
		p.report(0, p.total)
	}
}

func (p *progress) step() {
	p.done++
	if p.report != nil {
		p.report(p.done, p.total)
	}
}

// GeoPackage application ids (SQLite PRAGMA application_id): "GPKG" since
// version 1.2, "GP10" and "GP11" before.
const (
	appIDGPKG = 0x47504B47
	appIDGP10 = 0x47503130
	appIDGP11 = 0x47503131
)

// openGeoPackage opens path read-only and checks that it is a GeoPackage.
func openGeoPackage(ctx context.Context, path string) (*sql.DB, error) {
	info, err := os.Stat(path)
	if err != nil {
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err // the path is in the caller's message already
		}
		return nil, err
	}
	if info.IsDir() {
		return nil, errors.New("is a directory, not a GeoPackage file")
	}
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return nil, err
	}
	if err := checkGeoPackage(ctx, db); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db, nil
}

// readOnlyDSN is an SQLite URI that opens path read-only. Characters that
// are special in a URI are escaped so that any file name works.
func readOnlyDSN(path string) string {
	escape := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + escape.Replace(path) + "?mode=ro"
}

// checkGeoPackage checks the application id and the GeoPackage tables. An
// application id of 0 is accepted, as some writers do not set it.
func checkGeoPackage(ctx context.Context, db *sql.DB) error {
	var appID int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("not a GeoPackage (not an SQLite database): %w", err)
	}
	switch uint32(appID) {
	case appIDGPKG, appIDGP10, appIDGP11, 0:
	default:
		return fmt.Errorf("not a GeoPackage: SQLite application_id is %#x, want %#x (\"GPKG\")", uint32(appID), appIDGPKG)
	}
	for _, table := range []string{"gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys"} {
		var n int
		err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", table).Scan(&n)
		if err != nil {
			return fmt.Errorf("reading the table list: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("not a GeoPackage: it has no %s table", table)
		}
	}
	return nil
}

// featureTable is a row of gpkg_contents of data type "features", with its
// geometry column and coordinate reference system.
type featureTable struct {
	name, geomColumn string
	srsID            int64
	organization     sql.NullString
	orgID            sql.NullInt64
}

// featureTables lists the feature tables of the GeoPackage.
func featureTables(ctx context.Context, db *sql.DB) ([]featureTable, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name, g.column_name, g.srs_id, s.organization, s.organization_coordsys_id
		FROM gpkg_contents c
		JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
		LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
		WHERE c.data_type = 'features'
		ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("reading gpkg_contents: %w", err)
	}
	defer rows.Close()
	var tables []featureTable
	for rows.Next() {
		var t featureTable
		if err := rows.Scan(&t.name, &t.geomColumn, &t.srsID, &t.organization, &t.orgID); err != nil {
			return nil, fmt.Errorf("reading gpkg_contents: %w", err)
		}
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading gpkg_contents: %w", err)
	}
	return tables, nil
}

// levelOfTable returns the level of a CBS layer from its table name:
// gemeenten, wijken or buurten, case-insensitively, with an optional "cbs_"
// prefix and an optional "_" and four-digit year suffix.
func levelOfTable(name string) (catalog.Level, bool) {
	n := strings.TrimPrefix(strings.ToLower(name), "cbs_")
	if i := strings.LastIndexByte(n, '_'); i >= 0 && isYear(n[i+1:]) {
		n = n[:i]
	}
	switch n {
	case "gemeenten":
		return catalog.Gemeente, true
	case "wijken":
		return catalog.Wijk, true
	case "buurten":
		return catalog.Buurt, true
	}
	return "", false
}

func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// findLayers finds the layers of the requested levels (all CBS layers
// present when levels is empty), from gemeente to buurt.
func findLayers(ctx context.Context, db *sql.DB, levels []catalog.Level) ([]gpkgLayer, error) {
	tables, err := featureTables(ctx, db)
	if err != nil {
		return nil, err
	}
	byLevel := make(map[catalog.Level]featureTable)
	for _, t := range tables {
		level, ok := levelOfTable(t.name)
		if !ok {
			continue
		}
		if prev, dup := byLevel[level]; dup {
			return nil, fmt.Errorf("both tables %q and %q look like the %s layer; keep one", prev.name, t.name, level)
		}
		byLevel[level] = t
	}
	if len(byLevel) == 0 {
		return nil, fmt.Errorf("no CBS boundary layer (gemeenten, wijken or buurten); %s", describeTables(tables))
	}
	var layers []gpkgLayer
	for _, level := range catalog.BoundaryLevels() {
		if len(levels) > 0 && !slices.Contains(levels, level) {
			continue
		}
		t, ok := byLevel[level]
		if !ok && len(levels) == 0 {
			continue
		}
		if !ok {
			return nil, fmt.Errorf("no %s layer (a table named like %s); %s", level, layerNameOf(level), describeTables(tables))
		}
		l, err := describeLayer(ctx, db, t, level)
		if err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	return layers, nil
}

func layerNameOf(level catalog.Level) string {
	switch level {
	case catalog.Gemeente:
		return "gemeenten"
	case catalog.Wijk:
		return "wijken"
	}
	return "buurten"
}

func describeTables(tables []featureTable) string {
	if len(tables) == 0 {
		return "the file has no feature tables"
	}
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.name
	}
	return "its feature tables are " + strings.Join(names, ", ")
}

// column roles: the CBS attributes a layer may have.
type role int

const (
	roleCode role = iota
	roleName
	roleGemeenteCode
	roleGemeenteName
	roleWijkCode
	roleWijkName
	roleWater
	numRoles
)

// columnCandidates lists, per role, the column names that hold it in a
// layer of the level: the current CBS names first, then those of the
// editions up to 2020.
func columnCandidates(level catalog.Level) [numRoles][]string {
	var c [numRoles][]string
	c[roleWater] = []string{"water"}
	gemeente := [2][]string{{"gemeentecode", "gm_code"}, {"gemeentenaam", "gm_naam"}}
	wijk := [2][]string{{"wijkcode", "wk_code"}, {"wijknaam", "wk_naam"}}
	switch level {
	case catalog.Gemeente:
		c[roleCode], c[roleName] = gemeente[0], gemeente[1]
	case catalog.Wijk:
		c[roleCode], c[roleName] = wijk[0], wijk[1]
		c[roleGemeenteCode], c[roleGemeenteName] = gemeente[0], gemeente[1]
	case catalog.Buurt:
		c[roleCode], c[roleName] = []string{"buurtcode", "bu_code"}, []string{"buurtnaam", "bu_naam"}
		c[roleGemeenteCode], c[roleGemeenteName] = gemeente[0], gemeente[1]
		c[roleWijkCode], c[roleWijkName] = wijk[0], wijk[1]
	}
	return c
}

// gpkgLayer is a CBS boundary layer found in a GeoPackage.
type gpkgLayer struct {
	table      string
	level      catalog.Level
	geomColumn string
	srsID      int64 // the GeoPackage srs_id, which every blob must carry
	srid       int   // the EPSG code of srsID
	fidColumn  string
	columns    [numRoles]string // the column holding each role; "" when absent
}

// describeLayer finds the CRS, the row id and the CBS columns of table t.
func describeLayer(ctx context.Context, db *sql.DB, t featureTable, level catalog.Level) (gpkgLayer, error) {
	l := gpkgLayer{table: t.name, level: level, geomColumn: t.geomColumn, srsID: t.srsID}
	srid, err := epsgCode(t)
	if err != nil {
		return l, fmt.Errorf("layer %s: %w", t.name, err)
	}
	l.srid = srid
	names, fid, err := tableColumns(ctx, db, t.name)
	if err != nil {
		return l, fmt.Errorf("layer %s: %w", t.name, err)
	}
	l.fidColumn = fid
	if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, t.geomColumn) }) {
		return l, fmt.Errorf("layer %s: geometry column %q from gpkg_geometry_columns is not in the table", t.name, t.geomColumn)
	}
	for r, candidates := range columnCandidates(level) {
		l.columns[r] = findColumn(names, candidates)
	}
	if l.columns[roleCode] == "" {
		want := columnCandidates(level)[roleCode]
		return l, fmt.Errorf("layer %s has no code column (want %s); its columns are %s", t.name, strings.Join(want, " or "), strings.Join(names, ", "))
	}
	return l, nil
}

// epsgCode returns the EPSG code of a feature table's srs_id.
func epsgCode(t featureTable) (int, error) {
	switch {
	case !t.organization.Valid:
		return 0, fmt.Errorf("srs_id %d is not in gpkg_spatial_ref_sys", t.srsID)
	case strings.EqualFold(t.organization.String, "NONE") || t.srsID <= 0:
		return 0, fmt.Errorf("no coordinate reference system (srs_id %d is undefined); the CBS files are in EPSG:28992", t.srsID)
	case !strings.EqualFold(t.organization.String, "EPSG") || !t.orgID.Valid:
		return 0, fmt.Errorf("srs_id %d is defined by %q, not by an EPSG code", t.srsID, t.organization.String)
	}
	return int(t.orgID.Int64), nil
}

// tableColumns returns the column names of table and its integer primary
// key, the row id that errors name ("rowid" when it has none).
func tableColumns(ctx context.Context, db *sql.DB, table string) (names []string, fid string, err error) {
	rows, err := db.QueryContext(ctx, "SELECT name, pk FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, "", fmt.Errorf("reading the columns: %w", err)
	}
	defer rows.Close()
	fid = "rowid"
	for rows.Next() {
		var name string
		var pk int
		if err := rows.Scan(&name, &pk); err != nil {
			return nil, "", fmt.Errorf("reading the columns: %w", err)
		}
		if pk == 1 {
			fid = name
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("reading the columns: %w", err)
	}
	return names, fid, nil
}

// findColumn returns the first candidate that is a column, spelled as the
// table spells it, or "".
func findColumn(names, candidates []string) string {
	for _, c := range candidates {
		for _, n := range names {
			if strings.EqualFold(n, c) {
				return n
			}
		}
	}
	return ""
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func (l gpkgLayer) count(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(l.table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("layer %s: counting rows: %w", l.table, err)
	}
	return n, nil
}

// selectSQL selects the row id, every role (NULL when absent) and the
// geometry, in row id order.
func (l gpkgLayer) selectSQL() string {
	cols := []string{quoteIdent(l.fidColumn)}
	for _, c := range l.columns {
		if c == "" {
			cols = append(cols, "NULL")
		} else {
			cols = append(cols, quoteIdent(c))
		}
	}
	cols = append(cols, quoteIdent(l.geomColumn))
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + quoteIdent(l.table) + " ORDER BY " + quoteIdent(l.fidColumn)
}

// gpkgRow is one row of a layer as stored.
type gpkgRow struct {
	fid  int64
	vals [numRoles]sql.NullString
	geom []byte
}

// scan reads the current row of rows selected by selectSQL.
func (r *gpkgRow) scan(rows *sql.Rows) error {
	dest := []any{&r.fid}
	for i := range r.vals {
		dest = append(dest, &r.vals[i])
	}
	return rows.Scan(append(dest, &r.geom)...)
}

// get returns the value of a role, trimmed of padding spaces.
func (r *gpkgRow) get(ro role) string {
	return strings.TrimSpace(r.vals[ro].String)
}

func (r *gpkgRow) isWater() bool {
	return strings.EqualFold(r.get(roleWater), "JA")
}

// read reads every row of the layer, skipping water parts unless
// includeWater, and checks them all.
func (l gpkgLayer) read(ctx context.Context, db *sql.DB, includeWater bool, p *progress) (Source, error) {
	src := Source{Level: l.level, SRID: l.srid}
	rows, err := db.QueryContext(ctx, l.selectSQL())
	if err != nil {
		return src, fmt.Errorf("layer %s: %w", l.table, err)
	}
	defer rows.Close()
	var bad badRows
	type part struct {
		code  string
		water bool
	}
	seen := make(map[part]int64) // the fid of each land and water part
	for rows.Next() {
		var r gpkgRow
		if err := r.scan(rows); err != nil {
			return src, fmt.Errorf("layer %s: reading a row: %w", l.table, err)
		}
		p.step()
		if err := ctx.Err(); err != nil {
			return src, err
		}
		if r.isWater() && !includeWater {
			continue
		}
		f, err := l.feature(&r)
		key := part{f.Code, f.Water}
		if prev, dup := seen[key]; dup && err == nil {
			err = fmt.Errorf("duplicate code, also %s %d", l.fidColumn, prev)
		}
		if err != nil {
			bad.add(fmt.Errorf("%s %d%s: %w", l.fidColumn, r.fid, codeLabel(r.get(roleCode)), err))
			continue
		}
		seen[key] = r.fid
		src.Features = append(src.Features, f)
	}
	if err := rows.Err(); err != nil {
		return src, fmt.Errorf("layer %s: %w", l.table, err)
	}
	if err := bad.err(); err != nil {
		return src, fmt.Errorf("layer %s: %w", l.table, err)
	}
	if len(src.Features) == 0 {
		return src, fmt.Errorf("layer %s has no features to read", l.table)
	}
	slices.SortFunc(src.Features, compareFeatures)
	return src, nil
}

// compareFeatures orders features by code, a land part before the water
// part of the same code.
func compareFeatures(a, b Feature) int {
	if c := strings.Compare(a.Code, b.Code); c != 0 {
		return c
	}
	switch {
	case a.Water == b.Water:
		return 0
	case b.Water:
		return -1
	}
	return 1
}

// maxRowErrors is how many bad rows an error lists.
const maxRowErrors = 20

// badRows collects the errors of a layer's bad rows.
type badRows struct {
	n    int
	errs []error // the first maxRowErrors
}

func (b *badRows) add(err error) {
	if b.n++; b.n <= maxRowErrors {
		b.errs = append(b.errs, err)
	}
}

func (b *badRows) err() error {
	switch {
	case b.n == 0:
		return nil
	case b.n > maxRowErrors:
		return fmt.Errorf("%d bad rows, the first %d shown: %w", b.n, maxRowErrors, errors.Join(b.errs...))
	}
	return fmt.Errorf("%d bad row(s): %w", b.n, errors.Join(b.errs...))
}

// feature checks one row and turns it into a feature.
func (l gpkgLayer) feature(r *gpkgRow) (Feature, error) {
	f := Feature{Level: l.level, Code: r.get(roleCode), Name: r.get(roleName), Water: r.isWater()}
	if f.Code == "" {
		return f, fmt.Errorf("missing code: column %s is empty", l.columns[roleCode])
	}
	if err := l.fillCodes(&f, r); err != nil {
		return f, err
	}
	mp, err := l.geometry(r.geom)
	if err != nil {
		return f, err
	}
	f.Geometry = mp
	return f, nil
}

// fillCodes checks the code's level and fills the gemeente and wijk the
// area lies in, derived from the code and checked against the columns.
func (l gpkgLayer) fillCodes(f *Feature, r *gpkgRow) error {
	level, err := catalog.LevelOfCode(f.Code)
	if err != nil {
		return err
	}
	if level != l.level {
		return fmt.Errorf("code is of level %s, but layer %s holds %s codes", level, l.table, l.level)
	}
	if l.level == catalog.Gemeente {
		f.GemeenteCode, f.GemeenteName = f.Code, f.Name
		return nil
	}
	gemeente, err := catalog.GemeenteOf(f.Code)
	if err != nil {
		return err
	}
	if given := r.get(roleGemeenteCode); given != "" && given != gemeente {
		return fmt.Errorf("%s %q does not match the code, which lies in %s", l.columns[roleGemeenteCode], given, gemeente)
	}
	f.GemeenteCode, f.GemeenteName = gemeente, r.get(roleGemeenteName)
	if l.level != catalog.Buurt {
		return nil
	}
	wijk := "WK" + f.Code[2:8] // BUggggwwbb lies in WKggggww
	if given := r.get(roleWijkCode); given != "" && given != wijk {
		return fmt.Errorf("%s %q does not match the code, which lies in %s", l.columns[roleWijkCode], given, wijk)
	}
	f.WijkCode, f.WijkName = wijk, r.get(roleWijkName)
	return nil
}

// geometry decodes and checks a geometry blob of the layer.
func (l gpkgLayer) geometry(blob []byte) (orb.MultiPolygon, error) {
	if blob == nil {
		return nil, fmt.Errorf("missing geometry: column %s is NULL", l.geomColumn)
	}
	h, g, err := decodeGPGeometry(blob)
	if err != nil {
		return nil, fmt.Errorf("bad geometry: %w", err)
	}
	if int64(h.srsID) != l.srsID {
		return nil, fmt.Errorf("geometry has srs_id %d, but layer %s is in srs_id %d", h.srsID, l.table, l.srsID)
	}
	if h.empty {
		return nil, errors.New("empty geometry")
	}
	mp, _ := geo.MultiPolygonOf(g)
	if err := checkPolygons(mp); err != nil {
		return nil, fmt.Errorf("bad geometry: %w", err)
	}
	return mp, nil
}

// checkPolygons rejects an empty multipolygon and rings that cannot be
// closed.
func checkPolygons(mp orb.MultiPolygon) error {
	if len(mp) == 0 {
		return errors.New("empty geometry")
	}
	for i, poly := range mp {
		if len(poly) == 0 {
			return fmt.Errorf("polygon %d has no rings", i)
		}
		for j, ring := range poly {
			if len(ring) < 4 {
				return fmt.Errorf("polygon %d ring %d has %d points, a closed ring needs at least 4", i, j, len(ring))
			}
		}
	}
	return nil
}

// gpHeader is the header of a GeoPackage geometry blob (OGC GeoPackage
// specification, clause 2.1.3, GeoPackageBinaryHeader).
type gpHeader struct {
	srsID    int32
	envelope []float64 // minx, maxx, miny, maxy[, minz, maxz][, minm, maxm]
	empty    bool
	size     int // length of the header: where the WKB geometry starts
}

// GeoPackageBinaryHeader flags byte: bits 7-6 reserved, bit 5 extended
// type, bit 4 empty geometry, bits 3-1 envelope contents, bit 0 byte order
// (1: little-endian).
const (
	gpFlagReserved   = 0xC0
	gpFlagExtended   = 0x20
	gpFlagEmpty      = 0x10
	gpFlagEnvelope   = 0x0E
	gpFlagLittleEnd  = 0x01
	gpFixedHeaderLen = 8
)

// envelopeValues is the number of doubles in an envelope of each envelope
// contents indicator: none, XY, XYZ, XYM, XYZM.
func envelopeValues(indicator byte) (int, error) {
	switch indicator {
	case 0:
		return 0, nil
	case 1:
		return 4, nil
	case 2, 3:
		return 6, nil
	case 4:
		return 8, nil
	}
	return 0, fmt.Errorf("invalid envelope contents indicator %d (want 0 to 4)", indicator)
}

// parseGPHeader parses the header of a GeoPackage geometry blob.
func parseGPHeader(b []byte) (gpHeader, error) {
	var h gpHeader
	if len(b) < gpFixedHeaderLen {
		return h, fmt.Errorf("blob of %d bytes is shorter than a GeoPackage geometry header", len(b))
	}
	if b[0] != 'G' || b[1] != 'P' {
		return h, fmt.Errorf("blob starts with %q, not with the GeoPackage geometry magic \"GP\"", b[:2])
	}
	if b[2] != 0 {
		return h, fmt.Errorf("GeoPackage geometry version byte is %d, want 0 (version 1)", b[2])
	}
	flags := b[3]
	if flags&gpFlagReserved != 0 {
		return h, fmt.Errorf("GeoPackage geometry flags %#02x set reserved bits", flags)
	}
	if flags&gpFlagExtended != 0 {
		return h, errors.New("extended GeoPackage geometry types are not supported")
	}
	n, err := envelopeValues((flags & gpFlagEnvelope) >> 1)
	if err != nil {
		return h, err
	}
	h.size = gpFixedHeaderLen + 8*n
	if len(b) < h.size {
		return h, fmt.Errorf("blob of %d bytes is too short for its %d-byte header", len(b), h.size)
	}
	var order binary.ByteOrder = binary.BigEndian
	if flags&gpFlagLittleEnd != 0 {
		order = binary.LittleEndian
	}
	h.empty = flags&gpFlagEmpty != 0
	h.srsID = int32(order.Uint32(b[4:8]))
	for i := range n {
		h.envelope = append(h.envelope, math.Float64frombits(order.Uint64(b[gpFixedHeaderLen+8*i:])))
	}
	return h, nil
}

// WKB geometry type codes of the types the reader accepts.
const (
	wkbPolygon      = 3
	wkbMultiPolygon = 6
)

// decodeGPGeometry decodes a GeoPackage geometry blob that holds a
// two-dimensional Polygon or MultiPolygon. For an empty geometry (the
// header's empty flag) it returns a nil geometry.
func decodeGPGeometry(b []byte) (gpHeader, orb.Geometry, error) {
	h, err := parseGPHeader(b)
	if err != nil || h.empty {
		return h, nil, err
	}
	body := b[h.size:]
	if len(body) < 5 || body[0] > 1 {
		return h, nil, errors.New("no WKB geometry after the GeoPackage header")
	}
	var order binary.ByteOrder = binary.BigEndian
	if body[0] == 1 {
		order = binary.LittleEndian
	}
	if typ := order.Uint32(body[1:5]); typ != wkbPolygon && typ != wkbMultiPolygon {
		return h, nil, fmt.Errorf("geometry type %s (WKB type %d) is not supported: want a two-dimensional Polygon or MultiPolygon (ogr2ogr -dim XY -nlt MULTIPOLYGON converts)", wkbTypeName(typ), typ)
	}
	r := bytes.NewReader(body)
	g, err := wkb.NewDecoder(r).Decode()
	if err != nil {
		return h, nil, fmt.Errorf("decoding WKB: %w", err)
	}
	if r.Len() > 0 {
		return h, nil, fmt.Errorf("%d bytes after the WKB geometry", r.Len())
	}
	return h, g, nil
}

// wkbTypeName names an ISO WKB geometry type code, such as "MultiPolygon
// Z" for 1006.
func wkbTypeName(typ uint32) string {
	names := [...]string{"Geometry", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
		"MultiPolygon", "GeometryCollection", "CircularString", "CompoundCurve", "CurvePolygon",
		"MultiCurve", "MultiSurface", "Curve", "Surface", "PolyhedralSurface", "TIN", "Triangle"}
	dims := [...]string{"", " Z", " M", " ZM"}
	base, dim := typ%1000, typ/1000
	if int(base) >= len(names) || int(dim) >= len(dims) {
		return "unknown"
	}
	return names[base] + dims[dim]
}
