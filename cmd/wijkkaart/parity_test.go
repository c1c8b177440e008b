package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store/postgis"
	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
	"github.com/wijkkaart/wijkkaart/web"
)

// runCLI runs the wijkkaart command line and returns what it printed.
func runCLI(t testing.TB, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

// newServer returns a test server on the embedded demo data (url empty)
// or on PostGIS, rendering every tile.
func newServer(t testing.TB, url string) *httptest.Server {
	return newCachingServer(t, url, 0, 0)
}

// testCacheDir keeps the published embedded demo between the tests, and
// between runs of the same test binary, as serve keeps it between starts.
var testCacheDir = filepath.Join(os.TempDir(), "wijkkaart-test-cache")

// newCachingServer returns a test server that keeps cacheBytes of tiles
// and shapeBytes of their shapes in memory.
func newCachingServer(t testing.TB, url string, cacheBytes, shapeBytes int64) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	policy := disclosure.Policy{MinObservations: disclosure.DefaultMinObservations}
	st, _, err := openStore(ctx, serveConfig{databaseURL: url, cacheDir: testCacheDir}, cat, policy, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	srv, err := web.New(web.Config{Store: st, Catalog: cat, Logger: logger, PublicURL: "http://wijkkaart.test",
		TileCacheBytes: cacheBytes, ShapeCacheBytes: shapeBytes})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// closeBody closes a response body a test is done with.
func closeBody(t testing.TB, res *http.Response) {
	t.Helper()
	if err := res.Body.Close(); err != nil {
		t.Error(err)
	}
}

func fetch(t testing.TB, base, target string) (int, string, []byte) {
	t.Helper()
	res, err := http.Get(base + target)
	if err != nil {
		t.Fatal(err)
	}
	defer closeBody(t, res)
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header.Get("Content-Type"), body
}

// TestPostGISParity imports the demo data into PostGIS with the CLI and
// proves that the embedded store and PostGIS answer the same requests
// alike: the same tile features, ids and properties (geometry within a
// grid unit or two), TileJSON, styles and values; and the same tiles again
// when they are made from cached shapes (see parityFromShapes).
func TestPostGISParity(t *testing.T) {
	db := demoDatabase(t)
	checkRawValuesOnce(t, db)
	embedded := newServer(t, "")
	pg := newServer(t, pgtest.ReaderURL(t, db))
	repaired := repairedOnImport(t, db)
	for _, target := range parityRequests() {
		t.Run(target, func(t *testing.T) {
			status1, type1, body1 := fetch(t, embedded.URL, target)
			status2, type2, body2 := fetch(t, pg.URL, target)
			if status1 != http.StatusOK || status1 != status2 || type1 != type2 {
				t.Fatalf("embedded %d %s, PostGIS %d %s", status1, type1, status2, type2)
			}
			switch {
			case strings.HasSuffix(strings.Split(target, "?")[0], ".mvt"):
				compareTiles(t, body1, body2, repaired)
			case strings.HasPrefix(type1, "application/json"):
				compareJSON(t, body1, body2)
			default:
				if !bytes.Equal(body1, body2) {
					t.Errorf("bodies differ:\n%s\n---\n%s", body1, body2)
				}
			}
		})
	}
	t.Run("from cached shapes", func(t *testing.T) { parityFromShapes(t, db, repaired) })
}

// parityFromShapes asks servers with a shape cache for every tile of the
// parity requests twice: the second answer is made from the cached shapes
// and the values alone (Store.TileValues), and must be the first answer
// again, in both stores, and the same in both.
func parityFromShapes(t *testing.T, db string, repaired map[string]bool) {
	embedded := newCachingServer(t, "", 0, 64<<20)
	pg := newCachingServer(t, pgtest.ReaderURL(t, db), 0, 64<<20)
	for _, target := range parityRequests() {
		if !strings.HasSuffix(strings.Split(target, "?")[0], ".mvt") {
			continue
		}
		t.Run(target, func(t *testing.T) {
			var bodies [2][]byte
			for i, srv := range []*httptest.Server{embedded, pg} {
				_, _, first := fetch(t, srv.URL, target)
				status, _, again := fetch(t, srv.URL, target)
				if status != http.StatusOK || !bytes.Equal(first, again) {
					t.Fatalf("server %d: %d; the tile from cached shapes differs from the first", i, status)
				}
				bodies[i] = again
			}
			compareTiles(t, bodies[0], bodies[1], repaired)
		})
	}
}

// repairedOnImport returns the areas whose tiles may differ between the
// stores: the few demo outlines still not valid after the demo's own
// repair (geo.RepairOnGrid), as PostGIS judges them (ST_IsValid) — a hole
// that touches its exterior, parts that touch along a line —, which
// PostGIS repairs on import (ST_MakeValid) and the embedded store per
// tile; those whose parts touch at a point, as the lobes the repair cuts
// apart do, which reprojection can make overlap; and the areas of the
// same level and year next to them, which share their simplified borders
// (geo.Coverage).
func repairedOnImport(t *testing.T, db string) map[string]bool {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := demo.Load(cat)
	if err != nil {
		t.Fatal(err)
	}
	areas := ds.AllAreas()
	outlines := make([][]byte, len(areas))
	for i, a := range areas {
		if outlines[i], err = wkb.Marshal(a.Geometry); err != nil {
			t.Fatal(err)
		}
	}
	pool, err := postgis.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// Validity does not change with the scale and offset between world
	// coordinates and Web Mercator.
	rows, err := pool.Query(context.Background(), `
		SELECT i - 1 FROM unnest($1::bytea[]) WITH ORDINALITY AS o(outline, i)
		WHERE NOT ST_IsValid(ST_GeomFromWKB(outline))`, outlines)
	if err != nil {
		t.Fatal(err)
	}
	invalid, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range areas {
		if partsTouch(a.Geometry) {
			invalid = append(invalid, i)
		}
	}
	t.Logf("%d outlines PostGIS repairs on import or whose parts touch", len(invalid))
	out := make(map[string]bool)
	for _, a := range areas {
		for _, i := range invalid {
			c := areas[i]
			if a.Level == c.Level && a.Year == c.Year && a.Geometry.Bound().Intersects(c.Geometry.Bound()) {
				out[a.Code] = true
			}
		}
	}
	return out
}

// partsTouch reports whether two polygons of mp share a vertex.
func partsTouch(mp orb.MultiPolygon) bool {
	owner := make(map[orb.Point]int)
	for i, p := range mp {
		for _, r := range p {
			for _, pt := range r {
				if j, ok := owner[pt]; ok && j != i {
					return true
				}
				owner[pt] = i
			}
		}
	}
	return false
}

// demoDatabase returns the admin URL of a new database with the demo
// imported with the CLI, as a user would: migrate, then import demo.
func demoDatabase(tb testing.TB) string {
	tb.Helper()
	db := pgtest.NewDatabase(tb)
	for _, args := range [][]string{{"migrate", "--database-url", db}, {"import", "demo", "--database-url", db}} {
		if out, err := runCLI(tb, args...); err != nil {
			tb.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	return db
}

// checkRawValuesOnce checks, for a few indicators, that the import stored
// every raw value it published exactly once: the raw table's key is the
// series, not the area (the import checks the areas), so a copy that read
// its values while they moved would show here.
func checkRawValuesOnce(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	pool, err := postgis.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	const q = `
		SELECT count(*)
		FROM (SELECT year, level, grp, u.code, count(*) AS n FROM wijkkaart.value, unnest(code) AS u(code)
		      WHERE indicator = $1 GROUP BY year, level, grp, u.code) AS v
		FULL JOIN (SELECT year, level, grp, code FROM wijkkaart.published_value
		           WHERE indicator = $1) AS p USING (year, level, grp, code)
		WHERE v.n IS DISTINCT FROM 1 OR p.code IS NULL`
	for _, indicator := range []string{"pct_bijstand", "inwoners", "cito_score"} {
		var wrong int
		if err := pool.QueryRow(ctx, q, indicator).Scan(&wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Errorf("%s: %d values are not stored exactly once raw and once published", indicator, wrong)
		}
	}
}

func parityRequests() []string {
	tiles := []maptile.Tile{
		maptile.At(orb.Point{5.3, 52.2}, 6),    // half the Netherlands
		maptile.At(orb.Point{5.12, 52.09}, 10), // Utrecht
		maptile.At(orb.Point{4.48, 51.92}, 12), // Rotterdam
		maptile.At(orb.Point{4.90, 52.37}, 14), // Amsterdam
	}
	var out []string
	for _, level := range []string{"gemeente", "wijk"} {
		for _, q := range []string{"indicator=pct_bijstand", "indicator=pct_bijstand&group=eritrea", "indicator=inwoners", "indicator=segregatie_index", "indicator=cito_score&group=marokko"} {
			for _, tile := range tiles {
				out = append(out, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt?%s", level, tile.Z, tile.X, tile.Y, q))
			}
		}
		out = append(out,
			"/tiles/"+level+".json?indicator=pct_bijstand&group=turkije",
			"/styles/"+level+".json?indicator=pct_inkomsten_arbeid",
			"/styles/"+level+".json?indicator=pct_bijstand&group=marokko&gemeente=GM0344",
			"/api/values?level="+level+"&indicator=pct_laag_inkomen&group=buiten_europa_buitenland_geboren",
			"/api/values?level="+level+"&indicator=pct_bijstand&gemeente=GM0599&format=csv",
		)
	}
	for _, level := range []string{"buurt", "auto"} {
		for _, tile := range tiles[1:] {
			out = append(out, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt?indicator=pct_bijstand&group=marokko", level, tile.Z, tile.X, tile.Y))
		}
		out = append(out,
			"/styles/"+level+".json?indicator=pct_bijstand&group=turkije&gemeente=GM0599",
			"/api/values?level="+level+"&indicator=pct_laag_inkomen&gemeente=GM0363",
		)
	}
	return append(out, "/api/areas?q=utrecht", "/api/areas?level=gemeente", "/api/indicators", "/api/groups", "/healthz")
}

// compareJSON compares two JSON documents, numbers within a relative 1e-9
// (bounding boxes are computed by PostGIS on one side, by Go on the other).
func compareJSON(t *testing.T, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	if path := jsonDifference(x, y, "$"); path != "" {
		t.Errorf("documents differ at %s", path)
	}
}

func jsonDifference(x, y any, path string) string {
	switch x := x.(type) {
	case map[string]any:
		ym, ok := y.(map[string]any)
		if !ok || len(ym) != len(x) {
			return path
		}
		for k, v := range x {
			if d := jsonDifference(v, ym[k], path+"."+k); d != "" {
				return d
			}
		}
	case []any:
		ys, ok := y.([]any)
		if !ok || len(ys) != len(x) {
			return path
		}
		for i := range x {
			if d := jsonDifference(x[i], ys[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case float64:
		yf, ok := y.(float64)
		if !ok || math.Abs(x-yf) > 1e-9*math.Max(1, math.Abs(x)) {
			return fmt.Sprintf("%s (%v vs %v)", path, x, y)
		}
	default:
		if !reflect.DeepEqual(x, y) {
			return fmt.Sprintf("%s (%v vs %v)", path, x, y)
		}
	}
	return ""
}

// compareTiles compares two tiles feature by feature: the same ids and
// properties, and geometry whose area differs by at most 1% (projection in
// PostGIS and in Go can round a vertex to a neighbouring grid unit).
func compareTiles(t *testing.T, a, b []byte, repaired map[string]bool) {
	t.Helper()
	la, err := mvt.Unmarshal(a)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(la) != len(lb) {
		t.Fatalf("%d layers vs %d", len(la), len(lb))
	}
	for i := range la {
		fa, fb := featuresByID(la[i]), featuresByID(lb[i])
		if len(fa) != len(fb) || la[i].Name != lb[i].Name {
			t.Fatalf("layer %s has %d features, PostGIS layer %s %d", la[i].Name, len(fa), lb[i].Name, len(fb))
		}
		for id, f := range fa {
			g, ok := fb[id]
			if !ok {
				t.Errorf("feature %v missing from PostGIS", id)
				continue
			}
			if !reflect.DeepEqual(map[string]any(f.Properties), map[string]any(g.Properties)) {
				t.Errorf("feature %v properties differ:\n%v\n%v", id, f.Properties, g.Properties)
			}
			if x, y := area(f.Geometry), area(g.Geometry); math.Abs(x-y) > 0.01*x+8 && !repaired[fmt.Sprint(f.Properties["code"])] {
				t.Errorf("feature %v (%v) area %v vs %v", id, f.Properties["code"], x, y)
			}
		}
	}
}

func featuresByID(l *mvt.Layer) map[any]*mvtFeature {
	out := make(map[any]*mvtFeature, len(l.Features))
	for _, f := range l.Features {
		out[f.ID] = &mvtFeature{Properties: f.Properties, Geometry: f.Geometry}
	}
	return out
}

type mvtFeature struct {
	Properties map[string]any
	Geometry   orb.Geometry
}

func area(g orb.Geometry) float64 {
	mp, _ := geo.MultiPolygonOf(g)
	var sum float64
	for _, p := range mp {
		for _, r := range p {
			sum += geo.SignedArea(r)
		}
	}
	return sum
}

// TestImportBadValuesKeepsData imports a CSV with one error of each kind:
// the import is refused with every line number, and the old data still
// serves.
func TestImportBadValuesKeepsData(t *testing.T) {
	db := pgtest.NewDatabase(t)
	if out, err := runCLI(t, "migrate", "--database-url", db); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	gpkg := filepath.Join("..", "..", "boundaries", "testdata", "wijkbuurtkaart_2022_utrecht.gpkg")
	if out, err := runCLI(t, "import", "boundaries", "--database-url", db, "--year", "2022", gpkg); err != nil {
		t.Fatalf("import boundaries: %v\n%s", err, out)
	}
	good := writeTestFile(t, "good.csv", `year,code,indicator,group,value,numerator,denominator
2022,WK034401,pct_bijstand,totaal,4.5,45,1000
2022,WK034402,pct_bijstand,totaal,2,2,100
2022,NL01,pct_bijstand,totaal,3.9,390,10000
`)
	if out, err := runCLI(t, "import", "values", "--database-url", db, good); err != nil {
		t.Fatalf("import values: %v\n%s", err, out)
	}
	bad := writeTestFile(t, "bad.csv", `year,code,indicator,group,value,numerator,denominator
2022,WK999999,pct_bijstand,totaal,4.5,45,1000
2022,WK034402,geluk,totaal,2,2,100
2022,WK034403,pct_bijstand,totaal,veel,2,100
2022,WK034404,pct_bijstand,totaal,2,2,100
2022,WK034404,pct_bijstand,totaal,2,2,100
2022,WK034405,pct_bijstand,totaal,200,200,100
`)
	out, err := runCLI(t, "import", "values", "--database-url", db, bad)
	if err == nil {
		t.Fatalf("a bad CSV was imported:\n%s", out)
	}
	for _, want := range []string{"bad.csv", "line 2", "WK999999", "line 3", "geluk", "line 4", "veel", "line 6", "line 5", "line 7"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not mention %q:\n%v", want, err)
		}
	}
	srv := newServer(t, pgtest.ReaderURL(t, db))
	_, _, body := fetch(t, srv.URL, "/api/values?level=wijk&indicator=pct_bijstand&gemeente=GM0344&format=csv")
	if !strings.Contains(string(body), "WK034401,Wijk 01 West,GM0344,Utrecht,pct_bijstand,totaal,4.5,45,1000,ok,cbs") {
		t.Errorf("the old data no longer serves:\n%s", body)
	}
}

func writeTestFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeRefusesUnknownSchema starts serve on databases whose schema is
// missing, older or newer than this build knows.
func TestServeRefusesUnknownSchema(t *testing.T) {
	tests := []struct {
		name    string
		version int // schema version to leave the database at; -1 = none
		want    string
	}{
		{"no schema", -1, "run `wijkkaart migrate` first"},
		{"older", postgis.SchemaVersion() - 1, "run `wijkkaart migrate`"},
		{"newer", postgis.SchemaVersion() + 1, "newer than this wijkkaart knows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := pgtest.NewDatabase(t)
			if tt.version >= 0 {
				if out, err := runCLI(t, "migrate", "--database-url", db); err != nil {
					t.Fatalf("migrate: %v\n%s", err, out)
				}
				setSchemaVersion(t, db, tt.version)
			}
			out, err := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--database-url", db)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("serve: %v, want an error saying %q\n%s", err, tt.want, out)
			}
		})
	}
}

// setSchemaVersion makes the database claim another schema version.
func setSchemaVersion(t *testing.T, db string, version int) {
	t.Helper()
	pool, err := postgis.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	const q = `
		DELETE FROM wijkkaart.schema_version WHERE version > $1;
		INSERT INTO wijkkaart.schema_version (version, name) SELECT $1, 'test' WHERE $1 > 0
		ON CONFLICT DO NOTHING`
	for _, stmt := range strings.Split(q, ";") {
		if _, err := pool.Exec(context.Background(), stmt, version); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDemoImportableWithTwoCommands exports the demo data and imports it
// with import boundaries and import values, as the README shows, and
// checks PostGIS then answers like the embedded store.
func TestDemoImportableWithTwoCommands(t *testing.T) {
	db := pgtest.NewDatabase(t)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"demo", "export", "--dir", dir},
		{"migrate", "--database-url", db},
		// Every boundary year of gemeenten and wijken, whose lineage says
		// which areas merged or split (disclosure control protects them
		// together), and the values of one year.
		{"import", "boundaries", "--database-url", db, "--year", "2022", "--level", "gemeente", filepath.Join(dir, "gemeenten_2022.geojson")},
		{"import", "boundaries", "--database-url", db, "--year", "2022", "--level", "wijk", filepath.Join(dir, "wijken_2022.geojson")},
		{"import", "boundaries", "--database-url", db, "--year", "2023", "--level", "gemeente", filepath.Join(dir, "gemeenten_2023.geojson")},
		{"import", "boundaries", "--database-url", db, "--year", "2024", "--level", "gemeente", filepath.Join(dir, "gemeenten_2024.geojson")},
		{"import", "boundaries", "--database-url", db, "--year", "2024", "--level", "wijk", filepath.Join(dir, "wijken_2024.geojson")},
		{"import", "values", "--database-url", db, filepath.Join(dir, "values_2022.csv")},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	embedded, pg := newServer(t, ""), newServer(t, pgtest.ReaderURL(t, db))
	for _, target := range []string{
		"/api/values?level=wijk&indicator=pct_bijstand&group=marokko&gemeente=GM0344&year=2022",
		"/api/values?level=gemeente&indicator=inwoners&year=2022",
		"/styles/wijk.json?indicator=cito_score&gemeente=GM0363&year=2022",
	} {
		_, _, a := fetch(t, embedded.URL, target)
		_, _, b := fetch(t, pg.URL, target)
		compareJSON(t, a, b)
	}
}
