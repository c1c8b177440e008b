package boundaries

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// wijkbuurtkaart is the CBS-layout fixture made by testdata/make_fixture.sh.
const wijkbuurtkaart = "testdata/wijkbuurtkaart_2022_utrecht.gpkg"

// Row counts of the fixture: land parts, plus one water part per layer.
const (
	fixtureGemeenten = 5
	fixtureWijken    = 55
	fixtureBuurten   = 111
	fixtureRows      = fixtureGemeenten + fixtureWijken + fixtureBuurten + 3
)

func TestReadGeoPackageFixture(t *testing.T) {
	sources, err := ReadGeoPackage(context.Background(), wijkbuurtkaart, GeoPackageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		level    catalog.Level
		count    int
		first    Feature // without geometry
		gemeente string  // every feature lies in one of these
	}{
		{catalog.Gemeente, fixtureGemeenten, Feature{Code: "GM0310", Name: "De Bilt", GemeenteCode: "GM0310", GemeenteName: "De Bilt"}, "GM0310 GM0344 GM0353 GM0356 GM1904"},
		{catalog.Wijk, fixtureWijken, Feature{Code: "WK031001", Name: "Westbroek", GemeenteCode: "GM0310", GemeenteName: "De Bilt"}, "GM0310 GM0344 GM0353 GM0356 GM1904"},
		{catalog.Buurt, fixtureBuurten, Feature{Code: "BU03440111", Name: "Welgelegen, Den Hommel", GemeenteCode: "GM0344", GemeenteName: "Utrecht", WijkCode: "WK034401", WijkName: "Wijk 01 West"}, "GM0344"},
	}
	if len(sources) != len(tests) {
		t.Fatalf("got %d sources, want %d", len(sources), len(tests))
	}
	for i, tt := range tests {
		t.Run(string(tt.level), func(t *testing.T) {
			src := sources[i]
			if src.Level != tt.level || src.SRID != 28992 || len(src.Features) != tt.count {
				t.Fatalf("got level %s, SRID %d, %d features; want %s, 28992, %d", src.Level, src.SRID, len(src.Features), tt.level, tt.count)
			}
			first := src.Features[0]
			first.Geometry = nil
			tt.first.Level = tt.level
			if !reflect.DeepEqual(first, tt.first) {
				t.Errorf("first feature is %+v, want %+v", first, tt.first)
			}
			for _, f := range src.Features {
				if f.Level != tt.level || f.Water || !strings.Contains(tt.gemeente, f.GemeenteCode) {
					t.Errorf("%s: level %s, water %t, gemeente %s", f.Code, f.Level, f.Water, f.GemeenteCode)
				}
				if b := f.Geometry.Bound(); b.Min[0] < 100000 || b.Max[0] > 170000 || b.Min[1] < 430000 || b.Max[1] > 480000 {
					t.Errorf("%s: bounds %v..%v are not RD New coordinates around Utrecht", f.Code, b.Min, b.Max)
				}
			}
			if !slices.IsSortedFunc(src.Features, func(a, b Feature) int { return strings.Compare(a.Code, b.Code) }) {
				t.Error("features are not sorted by code")
			}
		})
	}
}

func TestReadGeoPackageUtrechtWijken(t *testing.T) {
	sources, err := ReadGeoPackage(context.Background(), wijkbuurtkaart, GeoPackageOptions{Levels: []catalog.Level{catalog.Wijk}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range sources[0].Features {
		if f.GemeenteCode == "GM0344" {
			got[f.Code] = f.Name
			if f.GemeenteName != "Utrecht" {
				t.Errorf("%s lies in %q, want Utrecht", f.Code, f.GemeenteName)
			}
		}
	}
	want := map[string]string{
		"WK034401": "Wijk 01 West", "WK034402": "Wijk 02 Noordwest", "WK034403": "Wijk 03 Overvecht",
		"WK034404": "Wijk 04 Noordoost", "WK034405": "Wijk 05 Oost", "WK034406": "Wijk 06 Binnenstad",
		"WK034407": "Wijk 07 Zuid", "WK034408": "Wijk 08 Zuidwest", "WK034409": "Wijk 09 Leidsche Rijn",
		"WK034410": "Wijk 10 Vleuten-De Meern",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Utrecht's wijken are %v, want %v", got, want)
	}
}

func TestReadGeoPackageWater(t *testing.T) {
	tests := []struct {
		name         string
		includeWater bool
		counts       []int
	}{
		{"water parts skipped by default", false, []int{fixtureGemeenten, fixtureWijken, fixtureBuurten}},
		{"water parts included on request", true, []int{fixtureGemeenten + 1, fixtureWijken + 1, fixtureBuurten + 1}},
	}
	waterCodes := []string{"GM0344", "WK034409", "BU03440911"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sources, err := ReadGeoPackage(context.Background(), wijkbuurtkaart, GeoPackageOptions{IncludeWater: tt.includeWater})
			if err != nil {
				t.Fatal(err)
			}
			for i, src := range sources {
				if len(src.Features) != tt.counts[i] {
					t.Errorf("%s: %d features, want %d", src.Level, len(src.Features), tt.counts[i])
				}
				var water []string
				for j, f := range src.Features {
					if f.Water {
						water = append(water, f.Code)
						if prev := src.Features[j-1]; prev.Code != f.Code || prev.Water {
							t.Errorf("%s: water part %s does not follow its land part", src.Level, f.Code)
						}
					}
				}
				if wantWater := tt.includeWater; (len(water) == 1 && water[0] == waterCodes[i]) != wantWater {
					t.Errorf("%s: water parts %v (include water: %t)", src.Level, water, tt.includeWater)
				}
			}
		})
	}
}

func TestReadGeoPackageLevels(t *testing.T) {
	tests := []struct {
		name   string
		levels []catalog.Level
		want   []catalog.Level
		rows   int
	}{
		{"all layers", nil, []catalog.Level{catalog.Gemeente, catalog.Wijk, catalog.Buurt}, fixtureRows},
		{"one layer", []catalog.Level{catalog.Wijk}, []catalog.Level{catalog.Wijk}, fixtureWijken + 1},
		{"coarse to fine whatever the order asked", []catalog.Level{catalog.Buurt, catalog.Gemeente}, []catalog.Level{catalog.Gemeente, catalog.Buurt}, fixtureGemeenten + fixtureBuurten + 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls [][2]int
			sources, err := ReadGeoPackage(context.Background(), wijkbuurtkaart, GeoPackageOptions{
				Levels:   tt.levels,
				Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) },
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []catalog.Level
			for _, src := range sources {
				got = append(got, src.Level)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("levels %v, want %v", got, tt.want)
			}
			if len(calls) != tt.rows+1 || calls[0] != [2]int{0, tt.rows} || calls[len(calls)-1] != [2]int{tt.rows, tt.rows} {
				t.Errorf("progress called %d times, first %v, last %v; want %d calls from [0 %d] to [%[4]d %[4]d]", len(calls), calls[0], calls[len(calls)-1], tt.rows+1, tt.rows)
			}
		})
	}
}

func TestReadGeoPackageFileName(t *testing.T) {
	data, err := os.ReadFile(wijkbuurtkaart)
	if err != nil {
		t.Fatal(err)
	}
	// Characters that are special in the SQLite URI the file is opened by.
	path := filepath.Join(t.TempDir(), "wijk?buurt #1 100%.gpkg")
	if err := os.WriteFile(path, data, 0o444); err != nil {
		t.Fatal(err)
	}
	sources, err := ReadGeoPackage(context.Background(), path, GeoPackageOptions{Levels: []catalog.Level{catalog.Gemeente}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sources[0].Features) != fixtureGemeenten {
		t.Errorf("%d gemeenten, want %d", len(sources[0].Features), fixtureGemeenten)
	}
}

func TestReadGeoPackageCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := ReadGeoPackage(ctx, wijkbuurtkaart, GeoPackageOptions{Progress: func(done, total int) {
		if done == 50 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while reading: got %v, want context.Canceled", err)
	}
	_, err = ReadGeoPackage(ctx, wijkbuurtkaart, GeoPackageOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before reading: got %v, want context.Canceled", err)
	}
}

// rdSquare is a 100 m square polygon with its south-west corner at (x, y)
// in RD New.
func rdSquare(x, y float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + 100, y}, {x + 100, y + 100}, {x, y + 100}, {x, y}}}
}

// gpBlob encodes g as a GeoPackage geometry blob with the given header byte
// order, envelope contents indicator, empty flag and srs_id.
func gpBlob(t *testing.T, order binary.ByteOrder, envelope byte, empty bool, srsID int32, g orb.Geometry) []byte {
	t.Helper()
	flags := envelope << 1
	if order == binary.LittleEndian {
		flags |= gpFlagLittleEnd
	}
	if empty {
		flags |= gpFlagEmpty
	}
	b := make([]byte, 8, 64)
	copy(b, []byte{'G', 'P', 0, flags})
	order.PutUint32(b[4:], uint32(srsID))
	n, err := envelopeValues(envelope)
	if err != nil {
		t.Fatal(err)
	}
	bound := g.Bound()
	values := []float64{bound.Min[0], bound.Max[0], bound.Min[1], bound.Max[1], -1, 1, -2, 2}
	for _, v := range values[:n] {
		b = binary.LittleEndian.AppendUint64(b, 0)
		order.PutUint64(b[len(b)-8:], math.Float64bits(v))
	}
	body, err := wkb.Marshal(g, order)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, body...)
}

// rdBlob is the usual blob: little-endian, XY envelope, EPSG:28992.
func rdBlob(t *testing.T, g orb.Geometry) []byte {
	return gpBlob(t, binary.LittleEndian, 1, false, 28992, g)
}

// testLayer is a feature table for writeGeoPackage.
type testLayer struct {
	name       string
	geomColumn string // "geom" when empty
	srsID      int    // 28992 when 0
	columns    []string
	rows       [][]any // values of columns, then the geometry blob
}

// closeDB closes a database a test wrote, failing the test when that fails.
func closeDB(t *testing.T, db *sql.DB) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Error(err)
	}
}

// writeGeoPackage writes a minimal GeoPackage (the three required gpkg
// tables and the feature tables) to a temporary file and returns its path.
func writeGeoPackage(t *testing.T, layers ...testLayer) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.gpkg")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(t, db)
	stmts := []string{
		fmt.Sprintf("PRAGMA application_id = %d", appIDGPKG),
		`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
			organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
		`INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
			('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
			('Amersfoort / RD New', 28992, 'EPSG', 28992, 'PROJCS["Amersfoort / RD New"]', NULL),
			('WGS 84 / Pseudo-Mercator', 102100, 'ESRI', 102100, 'PROJCS["WGS_1984_Web_Mercator"]', NULL)`,
		`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
			identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE, min_y DOUBLE,
			max_x DOUBLE, max_y DOUBLE, srs_id INTEGER)`,
		`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
			geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL)`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for _, l := range layers {
		writeTestLayer(t, db, l)
	}
	return path
}

func writeTestLayer(t *testing.T, db *sql.DB, l testLayer) {
	t.Helper()
	if l.geomColumn == "" {
		l.geomColumn = "geom"
	}
	if l.srsID == 0 {
		l.srsID = 28992
	}
	cols := []string{quoteIdent(l.geomColumn) + " MULTIPOLYGON"}
	names := []string{}
	for _, c := range l.columns {
		cols = append(cols, quoteIdent(c)+" TEXT")
		names = append(names, quoteIdent(c))
	}
	names = append(names, quoteIdent(l.geomColumn))
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")
	stmts := [][]any{
		{"CREATE TABLE " + quoteIdent(l.name) + " (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, " + strings.Join(cols, ", ") + ")"},
		{"INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, 'features', ?, ?)", l.name, l.name, l.srsID},
		{"INSERT INTO gpkg_geometry_columns VALUES (?, ?, 'MULTIPOLYGON', ?, 0, 0)", l.name, l.geomColumn, l.srsID},
	}
	for _, r := range l.rows {
		stmts = append(stmts, append([]any{"INSERT INTO " + quoteIdent(l.name) + " (" + strings.Join(names, ", ") + ") VALUES (" + marks + ")"}, r...))
	}
	for _, s := range stmts {
		if _, err := db.Exec(s[0].(string), s[1:]...); err != nil {
			t.Fatalf("%s: %v", s[0], err)
		}
	}
}

// wijkLayer is a layer wijken with the CBS columns and the given rows of
// wijkcode, wijknaam, gemeentecode, water and geometry blob.
func wijkLayer(rows ...[]any) testLayer {
	return testLayer{name: "wijken", columns: []string{"wijkcode", "wijknaam", "gemeentecode", "water"}, rows: rows}
}

func TestReadGeoPackageVariants(t *testing.T) {
	square := rdSquare(136000, 456000)
	tests := []struct {
		name   string
		layers func(t *testing.T) []testLayer
		want   Feature
	}{
		{"padded code, Polygon wrapped", func(t *testing.T) []testLayer {
			return []testLayer{wijkLayer([]any{" WK034401  ", "West ", "GM0344 ", "NEE", rdBlob(t, square)})}
		}, Feature{Code: "WK034401", Name: "West", GemeenteCode: "GM0344"}},
		{"year-suffixed table, other geometry column, big-endian XYZ envelope", func(t *testing.T) []testLayer {
			return []testLayer{{name: "cbs_wijken_2022", geomColumn: "shape", columns: []string{"wijkcode", "wijknaam"},
				rows: [][]any{{"WK034401", "West", gpBlob(t, binary.BigEndian, 2, false, 28992, orb.MultiPolygon{square})}}}}
		}, Feature{Code: "WK034401", Name: "West", GemeenteCode: "GM0344"}},
		{"column names of editions up to 2020", func(t *testing.T) []testLayer {
			return []testLayer{{name: "Buurten_2019", columns: []string{"BU_CODE", "BU_NAAM", "WK_CODE", "GM_CODE", "GM_NAAM", "WATER"},
				rows: [][]any{{"BU03440101", "Lombok", "WK034401", "GM0344", "Utrecht", "NEE", rdBlob(t, square)}}}}
		}, Feature{Code: "BU03440101", Name: "Lombok", GemeenteCode: "GM0344", GemeenteName: "Utrecht", WijkCode: "WK034401"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeGeoPackage(t, tt.layers(t)...)
			sources, err := ReadGeoPackage(context.Background(), path, GeoPackageOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(sources) != 1 || len(sources[0].Features) != 1 || sources[0].SRID != 28992 {
				t.Fatalf("got %+v, want one source in EPSG:28992 with one feature", sources)
			}
			got := sources[0].Features[0]
			if !orb.Equal(got.Geometry, orb.MultiPolygon{square}) {
				t.Errorf("geometry %v, want %v", got.Geometry, orb.MultiPolygon{square})
			}
			got.Geometry, tt.want.Level = nil, sources[0].Level
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// readErrorCase is a file ReadGeoPackage must reject, with what the error
// must say besides the file name.
type readErrorCase struct {
	name  string
	path  func(t *testing.T) string
	opt   GeoPackageOptions
	want  []string
	errIs error
}

func checkReadErrors(t *testing.T, tests []readErrorCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path(t)
			_, err := ReadGeoPackage(context.Background(), path, tt.opt)
			if err == nil {
				t.Fatal("no error")
			}
			t.Log(err)
			for _, want := range append([]string{"GeoPackage " + path}, tt.want...) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if tt.errIs != nil && !errors.Is(err, tt.errIs) {
				t.Errorf("error %v is not %v", err, tt.errIs)
			}
		})
	}
}

func TestReadGeoPackageFileErrors(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "wijken.gpkg")
	if err := os.WriteFile(text, []byte("code;naam\nWK034401;West\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	square := rdSquare(136000, 456000)
	checkReadErrors(t, []readErrorCase{
		{"missing file", func(*testing.T) string { return filepath.Join(dir, "missing.gpkg") }, GeoPackageOptions{}, []string{"no such file"}, fs.ErrNotExist},
		{"text file", func(*testing.T) string { return text }, GeoPackageOptions{}, []string{"not a GeoPackage"}, nil},
		{"SQLite database without GeoPackage tables", func(t *testing.T) string {
			path := filepath.Join(t.TempDir(), "plain.sqlite")
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer closeDB(t, db)
			if _, err := db.Exec("CREATE TABLE wijken (code TEXT)"); err != nil {
				t.Fatal(err)
			}
			return path
		}, GeoPackageOptions{}, []string{"not a GeoPackage", "gpkg_contents"}, nil},
		{"SQLite database of another application", func(t *testing.T) string {
			path := writeGeoPackage(t)
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer closeDB(t, db)
			if _, err := db.Exec("PRAGMA application_id = 42"); err != nil {
				t.Fatal(err)
			}
			return path
		}, GeoPackageOptions{}, []string{"not a GeoPackage", "application_id is 0x2a"}, nil},
		{"no CBS layers", func(t *testing.T) string {
			return writeGeoPackage(t, testLayer{name: "percelen", columns: []string{"code"}, rows: [][]any{{"1", rdBlob(t, square)}}})
		}, GeoPackageOptions{}, []string{"no CBS boundary layer", "percelen"}, nil},
		{"requested layer missing", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer([]any{"WK034401", "West", "GM0344", "NEE", rdBlob(t, square)}))
		}, GeoPackageOptions{Levels: []catalog.Level{catalog.Buurt}}, []string{"no buurt layer", "wijken"}, nil},
		{"level without boundaries", func(*testing.T) string { return wijkbuurtkaart }, GeoPackageOptions{Levels: []catalog.Level{catalog.Nederland}}, []string{`level "nederland"`}, nil},
		{"two wijken layers", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer(), testLayer{name: "wijken_2021", columns: []string{"wijkcode"}})
		}, GeoPackageOptions{}, []string{"wijken_2021", "both"}, nil},
		{"no code column", func(t *testing.T) string {
			return writeGeoPackage(t, testLayer{name: "wijken", columns: []string{"statcode"}, rows: [][]any{{"WK034401", rdBlob(t, square)}}})
		}, GeoPackageOptions{}, []string{"layer wijken has no code column", "wijkcode", "statcode"}, nil},
		{"undefined SRS", func(t *testing.T) string {
			return writeGeoPackage(t, testLayer{name: "wijken", srsID: -1, columns: []string{"wijkcode"}})
		}, GeoPackageOptions{}, []string{"layer wijken", "no coordinate reference system"}, nil},
		{"SRS not from EPSG", func(t *testing.T) string {
			return writeGeoPackage(t, testLayer{name: "wijken", srsID: 102100, columns: []string{"wijkcode"}})
		}, GeoPackageOptions{}, []string{"layer wijken", `"ESRI"`}, nil},
		{"empty layer", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer([]any{"WK034401", "West", "GM0344", "JA", rdBlob(t, square)}))
		}, GeoPackageOptions{}, []string{"layer wijken has no features to read"}, nil},
	})
}

func TestReadGeoPackageRowErrors(t *testing.T) {
	square := rdSquare(136000, 456000)
	checkReadErrors(t, []readErrorCase{
		{"bad geometry blob", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer(
				[]any{"WK034401", "West", "GM0344", "NEE", rdBlob(t, square)},
				[]any{"WK034402", "Noordwest", "GM0344", "NEE", []byte("POLYGON((0 0, 1 0, 1 1, 0 0))")}))
		}, GeoPackageOptions{}, []string{"layer wijken: 1 bad row", "fid 2 (WK034402)", "magic"}, nil},
		{"truncated WKB", func(t *testing.T) string {
			blob := rdBlob(t, square)
			return writeGeoPackage(t, wijkLayer([]any{"WK034401", "West", "GM0344", "NEE", blob[:len(blob)-5]}))
		}, GeoPackageOptions{}, []string{"fid 1 (WK034401)", "decoding WKB"}, nil},
		{"3D geometry", func(t *testing.T) string {
			blob := rdBlob(t, orb.MultiPolygon{square})
			binary.LittleEndian.PutUint32(blob[8+32+1:], 1006)
			return writeGeoPackage(t, wijkLayer([]any{"WK034401", "West", "GM0344", "NEE", blob}))
		}, GeoPackageOptions{}, []string{"fid 1 (WK034401)", "MultiPolygon Z (WKB type 1006)", "-dim XY"}, nil},
		{"point geometry", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer([]any{"WK034401", "West", "GM0344", "NEE", rdBlob(t, orb.Point{136000, 456000})}))
		}, GeoPackageOptions{}, []string{"fid 1 (WK034401)", "geometry type Point"}, nil},
		{"empty and missing geometries", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer(
				[]any{"WK034401", "West", "GM0344", "NEE", gpBlob(t, binary.LittleEndian, 0, true, 28992, orb.MultiPolygon{})},
				[]any{"WK034402", "Noordwest", "GM0344", "NEE", nil}))
		}, GeoPackageOptions{}, []string{"2 bad row(s)", "fid 1 (WK034401): empty geometry", "fid 2 (WK034402): missing geometry"}, nil},
		{"blob in another SRS", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer([]any{"WK034401", "West", "GM0344", "NEE", gpBlob(t, binary.LittleEndian, 1, false, 4326, square)}))
		}, GeoPackageOptions{}, []string{"fid 1 (WK034401)", "srs_id 4326"}, nil},
		{"code of the wrong level", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer([]any{"BU03440101", "Lombok", "GM0344", "NEE", rdBlob(t, square)}))
		}, GeoPackageOptions{}, []string{"fid 1 (BU03440101)", "code is of level buurt", "layer wijken holds wijk codes"}, nil},
		{"malformed and missing codes", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer(
				[]any{"WK34401", "West", "GM0344", "NEE", rdBlob(t, square)},
				[]any{"  ", "Noordwest", "GM0344", "NEE", rdBlob(t, square)}))
		}, GeoPackageOptions{}, []string{"fid 1 (WK34401)", "8 characters", "fid 2: missing code"}, nil},
		{"gemeentecode that does not match", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer([]any{"WK034401", "West", "GM0363", "NEE", rdBlob(t, square)}))
		}, GeoPackageOptions{}, []string{"fid 1 (WK034401)", `gemeentecode "GM0363"`, "GM0344"}, nil},
		{"many bad rows", func(t *testing.T) string {
			var rows [][]any
			for i := range 25 {
				rows = append(rows, []any{fmt.Sprintf("BU034401%02d", i), "", "", "NEE", rdBlob(t, square)})
			}
			return writeGeoPackage(t, wijkLayer(rows...))
		}, GeoPackageOptions{}, []string{"25 bad rows, the first 20 shown", "fid 20 (BU03440119)"}, nil},
		{"duplicate code", func(t *testing.T) string {
			return writeGeoPackage(t, wijkLayer(
				[]any{"WK034401", "West", "GM0344", "NEE", rdBlob(t, square)},
				[]any{"WK034401", "West", "GM0344", "NEE", rdBlob(t, square)}))
		}, GeoPackageOptions{}, []string{"fid 2 (WK034401): duplicate code, also fid 1"}, nil},
	})
}

func TestParseGPHeader(t *testing.T) {
	square := rdSquare(136000, 456000)
	envelopes := [][]float64{nil, {136000, 136100, 456000, 456100}, {136000, 136100, 456000, 456100, -1, 1},
		{136000, 136100, 456000, 456100, -1, 1}, {136000, 136100, 456000, 456100, -1, 1, -2, 2}}
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for env, want := range envelopes {
			for _, empty := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s envelope %d empty %t", order, env, empty), func(t *testing.T) {
					blob := gpBlob(t, order, byte(env), empty, 28992, square)
					h, g, err := decodeGPGeometry(blob)
					if err != nil {
						t.Fatal(err)
					}
					if h.srsID != 28992 || h.empty != empty || h.size != 8+8*len(want) || !slices.Equal(h.envelope, want) {
						t.Errorf("header %+v, want srs 28992, empty %t, size %d, envelope %v", h, empty, 8+8*len(want), want)
					}
					if empty && g != nil || !empty && !orb.Equal(g, square) {
						t.Errorf("geometry %v", g)
					}
				})
			}
		}
	}
}

func TestParseGPHeaderCorrupt(t *testing.T) {
	valid := func(t *testing.T) []byte { return rdBlob(t, rdSquare(136000, 456000)) }
	tests := []struct {
		name    string
		blob    func(t *testing.T) []byte
		wantErr string
	}{
		{"empty blob", func(*testing.T) []byte { return nil }, "shorter than a GeoPackage geometry header"},
		{"short blob", func(*testing.T) []byte { return []byte("GP\x00\x03") }, "shorter than a GeoPackage geometry header"},
		{"plain WKB", func(t *testing.T) []byte { return wkb.MustMarshal(rdSquare(136000, 456000)) }, `not with the GeoPackage geometry magic "GP"`},
		{"version 2", func(t *testing.T) []byte { b := valid(t); b[2] = 1; return b }, "version byte is 1"},
		{"reserved flag bits", func(t *testing.T) []byte { b := valid(t); b[3] |= 0x40; return b }, "reserved bits"},
		{"extended geometry", func(t *testing.T) []byte { b := valid(t); b[3] |= gpFlagExtended; return b }, "extended"},
		{"envelope indicator 5", func(t *testing.T) []byte { b := valid(t); b[3] = b[3]&^gpFlagEnvelope | 5<<1; return b }, "envelope contents indicator 5"},
		{"truncated envelope", func(t *testing.T) []byte { return valid(t)[:20] }, "too short for its 40-byte header"},
		{"no WKB", func(t *testing.T) []byte { return valid(t)[:40] }, "no WKB geometry"},
		{"trailing bytes", func(t *testing.T) []byte { return append(valid(t), 0, 0) }, "2 bytes after the WKB geometry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeGPGeometry(tt.blob(t))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestLevelOfTable(t *testing.T) {
	tests := []struct {
		table string
		level catalog.Level
	}{
		{"gemeenten", catalog.Gemeente},
		{"wijken", catalog.Wijk},
		{"buurten", catalog.Buurt},
		{"gemeenten_2022", catalog.Gemeente},
		{"cbs_wijken_2022", catalog.Wijk},
		{"Buurten_2019", catalog.Buurt},
		{"cbs_buurten", catalog.Buurt},
		{"wijkenbuurten_2022", ""},
		{"buurten_v1", ""},
		{"cbs_buurt_2019_gegeneraliseerd", ""},
		{"gemeenten_2022_v1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			level, ok := levelOfTable(tt.table)
			if level != tt.level || ok != (tt.level != "") {
				t.Errorf("got %q, %t; want %q", level, ok, tt.level)
			}
		})
	}
}

func ExampleReadGeoPackage() {
	sources, err := ReadGeoPackage(context.Background(), "testdata/wijkbuurtkaart_2022_utrecht.gpkg", GeoPackageOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, src := range sources {
		f := src.Features[0]
		fmt.Printf("%s EPSG:%d %d features, first %s %s in %s\n", src.Level, src.SRID, len(src.Features), f.Code, f.Name, f.GemeenteName)
	}
	// Output:
	// gemeente EPSG:28992 5 features, first GM0310 De Bilt in De Bilt
	// wijk EPSG:28992 55 features, first WK031001 Westbroek in De Bilt
	// buurt EPSG:28992 111 features, first BU03440111 Welgelegen, Den Hommel in Utrecht
}
