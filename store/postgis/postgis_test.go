package postgis_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
	"github.com/wijkkaart/wijkkaart/store/postgis"
	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
	"github.com/wijkkaart/wijkkaart/values"
)

const fixture = "../../boundaries/testdata/wijkbuurtkaart_2022_utrecht.gpkg"

// migrated returns the URL of a fresh, migrated database.
func migrated(t *testing.T) string {
	t.Helper()
	url := pgtest.NewDatabase(t)
	pool, err := postgis.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := postgis.Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return url
}

// writer returns a writer on url, closed when the test ends.
func writer(t *testing.T, url string) *postgis.Writer {
	t.Helper()
	pool, err := postgis.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	w, err := postgis.NewWriter(context.Background(), pool, cat)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// loaded returns the URL of a migrated database with the fixture's
// boundaries of 2022.
func loaded(t *testing.T) string {
	t.Helper()
	url := migrated(t)
	srcs, err := boundaries.ReadGeoPackage(context.Background(), fixture, boundaries.GeoPackageOptions{
		Levels: []catalog.Level{catalog.Gemeente, catalog.Wijk},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := writer(t, url).ImportBoundaries(context.Background(), 2022, srcs); err != nil {
		t.Fatal(err)
	}
	return url
}

// withGoodValues returns a writer and a store on a database with the
// fixture's boundaries and goodValues imported.
func withGoodValues(t *testing.T) (*postgis.Writer, *postgis.Store) {
	t.Helper()
	url := loaded(t)
	w := writer(t, url)
	if _, err := w.ImportValues(context.Background(), readValues(t, goodValues), policy); err != nil {
		t.Fatal(err)
	}
	return w, open(t, url)
}

// policy is the disclosure rule the tests publish with.
var policy = disclosure.Policy{MinObservations: disclosure.DefaultMinObservations}

func readValues(t *testing.T, csv string) iter.Seq[store.Value] {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := values.Read(strings.NewReader(csv), values.Options{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	return func(yield func(store.Value) bool) {
		for _, r := range rows {
			if !yield(r.Value) {
				return
			}
		}
	}
}

func open(t *testing.T, url string) *postgis.Store {
	t.Helper()
	st, err := postgis.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return st
}

func TestMigrate(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	if _, err := postgis.Open(ctx, url); !errors.Is(err, postgis.ErrSchemaMismatch) || !strings.Contains(err.Error(), "wijkkaart migrate") {
		t.Errorf("opening an empty database: %v, want a schema error that says to migrate", err)
	}
	pool, err := postgis.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	applied, err := postgis.Migrate(ctx, pool)
	if err != nil || len(applied) != postgis.SchemaVersion() {
		t.Fatalf("first migrate applied %v, %v", applied, err)
	}
	if again, err := postgis.Migrate(ctx, pool); err != nil || len(again) != 0 {
		t.Errorf("second migrate applied %v, %v; want nothing", again, err)
	}
	open(t, url)

	newer := postgis.SchemaVersion() + 1
	if _, err := pool.Exec(ctx, `INSERT INTO wijkkaart.schema_version (version, name) VALUES ($1, 'from the future')`, newer); err != nil {
		t.Fatal(err)
	}
	_, err = postgis.Open(ctx, url)
	if !errors.Is(err, postgis.ErrSchemaMismatch) || !strings.Contains(err.Error(), "newer") {
		t.Errorf("opening a newer schema: %v, want a refusal", err)
	}
	if _, err := postgis.Migrate(ctx, pool); !errors.Is(err, postgis.ErrSchemaMismatch) {
		t.Errorf("migrating a newer schema: %v, want a refusal", err)
	}
}

func TestImportBoundariesFromGeoPackage(t *testing.T) {
	st := open(t, loaded(t))
	ctx := context.Background()
	wijken, err := st.Areas(ctx, store.AreaQuery{Level: catalog.Wijk, Year: 2022, Gemeente: "GM0344", WithGeometry: true})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, a := range wijken {
		codes = append(codes, a.Code)
		b := a.LonLatBound
		if b.Min[0] < 4.9 || b.Max[0] > 5.3 || b.Min[1] < 51.9 || b.Max[1] > 52.2 {
			t.Errorf("%s: bounds %v are not around Utrecht: the RD coordinates were not reprojected", a.Code, b)
		}
		if a.GemeenteName != "Utrecht" || a.Name == "" || len(a.Geometry) == 0 {
			t.Errorf("%s: %+v", a.Code, a)
		}
	}
	want := []string{"WK034401", "WK034402", "WK034403", "WK034404", "WK034405", "WK034406", "WK034407", "WK034408", "WK034409", "WK034410"}
	if !slices.Equal(codes, want) {
		t.Errorf("Utrecht wijken %v, want %v", codes, want)
	}
	found, err := st.Areas(ctx, store.AreaQuery{Level: catalog.Wijk, Year: 2022, NameContains: "OVERVECHT"})
	if err != nil || len(found) != 1 || found[0].Code != "WK034403" {
		t.Errorf("search for Overvecht: %v, %v", found, err)
	}
}

const goodValues = `year,code,indicator,group,value,numerator,denominator,provenance
2022,WK034401,pct_bijstand,totaal,4.5,45,1000,demo
2022,WK034402,pct_bijstand,totaal,2.0,2,100,demo
2022,WK034403,pct_bijstand,totaal,,,,demo
2022,NL01,pct_bijstand,totaal,3.9,390,10000,demo
`

func TestImportValuesRoundTrip(t *testing.T) {
	_, st := withGoodValues(t)
	ctx := context.Background()
	years, err := st.Years(ctx)
	if err != nil || !slices.Equal(years, []int{2022}) {
		t.Fatalf("years %v, %v", years, err)
	}
	got, err := st.Values(ctx, store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal", Gemeente: "GM0344"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("values %+v", got)
	}
	value, num, den := got[0].Numbers()
	if got[0].Status != store.OK || value.V != 4.5 || num.V != 45 || den.V != 1000 {
		t.Errorf("published %+v", got[0])
	}
	// 2 of 100 is published as the rounded counts say: 0 of 100.
	if value, num, _ := got[1].Numbers(); got[1].Status != store.OK || value.V != 0 || num.V != 0 {
		t.Errorf("published %+v, want its value from the rounded counts", got[1])
	}
	if got[2].Status != store.NoData {
		t.Errorf("a missing value is published as %+v", got[2])
	}
	nl, err := st.Values(ctx, store.ValueQuery{Level: catalog.Nederland, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"})
	if v, ok := nl[0].Value(); err != nil || len(nl) != 1 || !ok || v != 3.9 {
		t.Errorf("Nederland %+v, %v", nl, err)
	}
	pubs, err := st.Publications(ctx)
	want := []store.Publication{{Year: 2022, Indicator: "pct_bijstand", MinObservations: 10, CountRounding: 5}}
	if err != nil || !slices.Equal(pubs, want) {
		t.Errorf("publications %+v, %v; want %+v", pubs, err, want)
	}
}

// TestFailedImportKeepsData checks that an import that fails, at the end
// or half-way, leaves the previous data exactly as it was.
func TestFailedImportKeepsData(t *testing.T) {
	w, st := withGoodValues(t)
	ctx := context.Background()
	before, err := st.Values(ctx, store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("unknown area", func(t *testing.T) {
		bad := strings.Replace(goodValues, "WK034402", "WK999999", 1)
		if _, err := w.ImportValues(ctx, readValues(t, bad), policy); err == nil {
			t.Fatal("import of a value for an unknown area succeeded")
		}
	})
	t.Run("the same value twice", func(t *testing.T) {
		vals := readValues(t, goodValues)
		twice := func(yield func(store.Value) bool) {
			var first store.Value
			n := 0
			for v := range vals {
				if n++; n == 1 {
					first = v
				}
				if !yield(v) {
					return
				}
			}
			yield(first)
		}
		_, err := w.ImportValues(ctx, twice, policy)
		if err == nil || !strings.Contains(err.Error(), "more than once") {
			t.Fatalf("import of a value twice: %v, want an error saying so", err)
		}
	})
	t.Run("cancelled half-way", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		vals := readValues(t, strings.ReplaceAll(goodValues, "4.5,45", "9.9,99"))
		n := 0
		interrupted := func(yield func(store.Value) bool) {
			for v := range vals {
				if n++; n == 2 {
					cancel()
				}
				if !yield(v) {
					return
				}
			}
		}
		if _, err := w.ImportValues(cctx, interrupted, policy); err == nil {
			t.Fatal("an interrupted import succeeded")
		}
	})
	after, err := st.Values(ctx, store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) {
		t.Errorf("a failed import changed the data:\nbefore %+v\nafter  %+v", before, after)
	}
}

// TestReadersNeverSeeAMix holds an import open half-way and checks that a
// reader still sees every old value, then every new one after commit.
func TestReadersNeverSeeAMix(t *testing.T) {
	w, st := withGoodValues(t)
	ctx := context.Background()
	q := store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"}
	halfway, resume := make(chan struct{}), make(chan struct{})
	newValues := readValues(t, strings.ReplaceAll(goodValues, ",demo", ",cbs"))
	paused := func(yield func(store.Value) bool) {
		i := 0
		for v := range newValues {
			if i++; i == 3 {
				close(halfway)
				<-resume
			}
			if !yield(v) {
				return
			}
		}
	}
	done := make(chan error)
	go func() {
		_, err := w.ImportValues(ctx, paused, policy)
		done <- err
	}()
	select {
	case <-halfway:
	case err := <-done:
		t.Fatalf("import ended before pausing: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("import never got half-way")
	}
	during, err := st.Values(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range during {
		if v.Provenance != store.Demo {
			t.Errorf("a reader saw a new value during the import: %+v", v)
		}
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	after, err := st.Values(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range after {
		if v.Provenance != store.CBS {
			t.Errorf("after the import a reader saw an old value: %+v", v)
		}
	}
}

func TestReaderRoleCannotWrite(t *testing.T) {
	url := loaded(t)
	reader := pgtest.ReaderURL(t, url)
	st := open(t, reader)
	ctx := context.Background()
	if can, err := st.CanWrite(ctx); err != nil || can {
		t.Errorf("CanWrite = %v, %v; want false for the reader role", can, err)
	}
	if _, err := st.Areas(ctx, store.AreaQuery{Level: catalog.Gemeente, Year: 2022}); err != nil {
		t.Errorf("the reader role cannot read: %v", err)
	}
	conn, err := pgx.Connect(ctx, reader)
	if err != nil {
		t.Fatal(err)
	}
	defer pgtest.CloseConn(t, conn)
	for _, sql := range []string{
		`DELETE FROM wijkkaart.area`,
		`DELETE FROM wijkkaart.published_value`,
		`UPDATE wijkkaart.data_version SET version = 0`,
		// The raw values are out of the server's reach altogether.
		`SELECT value FROM wijkkaart.value`,
		`SELECT count(*) FROM wijkkaart.value`,
	} {
		if _, err := conn.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("the reader role may %s: %v", sql, err)
		}
	}
}

// TestPublishAgain publishes the same raw values under a stricter rule and
// checks that servers see the new decisions, the rule and a new version.
func TestPublishAgain(t *testing.T) {
	w, st := withGoodValues(t)
	ctx := context.Background()
	before, err := st.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stricter, err := disclosure.NewPolicy(500)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := w.Publish(ctx, stricter, []int{2022}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Series != 1 || stats.Values != 4 || stats.Suppressed < 1 {
		t.Errorf("stats %+v", stats)
	}
	after, err := st.Version(ctx)
	if err != nil || after <= before {
		t.Errorf("version %d after %d, %v: want a new version", after, before, err)
	}
	got, err := st.Values(ctx, store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal", Codes: []string{"WK034402"}})
	if err != nil || len(got) != 1 || got[0].Status != store.Suppressed {
		t.Errorf("a value on 100 observations under a threshold of 500: %+v, %v", got, err)
	}
	if pubs, err := st.Publications(ctx); err != nil || len(pubs) != 1 || pubs[0].MinObservations != 500 {
		t.Errorf("publications %+v, %v", pubs, err)
	}
	if _, err := w.Publish(ctx, stricter, []int{1999}, nil); err != nil {
		t.Errorf("publishing a year without values: %v", err)
	}
}

func TestWatchSeesImports(t *testing.T) {
	url := loaded(t)
	st := open(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan struct{}, 10)
	go st.Watch(ctx, func() { changed <- struct{}{} }, func(err error) { t.Log(err) }) //nolint:errcheck // ends with ctx
	time.Sleep(200 * time.Millisecond)                                                 // let it LISTEN
	if _, err := writer(t, url).ImportValues(context.Background(), readValues(t, goodValues), policy); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(10 * time.Second):
		t.Fatal("no change notification after an import")
	}
}

// TestImportLevelsSeparately imports the values of wijken and of buurten
// from two files, as `demo export` writes them: the second keeps the
// first's, and the indicator is published from both.
func TestImportLevelsSeparately(t *testing.T) {
	url := migrated(t)
	ctx := context.Background()
	srcs, err := boundaries.ReadGeoPackage(ctx, fixture, boundaries.GeoPackageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := writer(t, url)
	if _, err := w.ImportBoundaries(ctx, 2022, srcs); err != nil {
		t.Fatal(err)
	}
	buurten := `year,code,indicator,group,value,numerator,denominator,provenance
2022,BU03440111,pct_bijstand,totaal,5.0,50,1000,demo
`
	// The buurten are imported twice: the second import replaces the
	// first, and neither copies the wijk values again.
	for _, csv := range []string{goodValues, buurten, buurten} {
		if _, err := w.ImportValues(ctx, readValues(t, csv), policy); err != nil {
			t.Fatal(err)
		}
	}
	st := open(t, url)
	for _, q := range []store.ValueQuery{
		{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal", Codes: []string{"WK034401"}},
		{Level: catalog.Buurt, Year: 2022, Indicator: "pct_bijstand", Group: "totaal", Codes: []string{"BU03440111"}},
	} {
		got, err := st.Values(ctx, q)
		if err != nil || len(got) != 1 || got[0].Status != store.OK {
			t.Errorf("%s after importing both files: %+v, %v", q.Level, got, err)
		}
	}
	pool, err := postgis.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var repeated int
	if err := pool.QueryRow(ctx, `
		SELECT count(*) FROM (
			SELECT FROM wijkkaart.value, unnest(code) AS u(code)
			GROUP BY year, indicator, level, grp, u.code HAVING count(*) > 1) AS r`).Scan(&repeated); err != nil {
		t.Fatal(err)
	}
	if repeated != 0 {
		t.Errorf("%d raw values are stored more than once", repeated)
	}
}

// TestChoroplethBands reads tiles of several zooms through the reader role:
// low zooms get the geometry simplified at import, fewer points but the
// same area to within a pixel, and the same as the embedded store
// simplifies from the same boundaries when it loads.
func TestChoroplethBands(t *testing.T) {
	url := loaded(t)
	st := open(t, pgtest.ReaderURL(t, url))
	ctx := context.Background()
	all, err := st.Areas(ctx, store.AreaQuery{Level: catalog.Wijk, Year: 2022, WithGeometry: true})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := memstore.NewBuilder(cat, all)
	if err != nil {
		t.Fatal(err)
	}
	embedded := b.Build(1)
	within := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}
	q := store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"}
	full := points(t, st, q, within, 16)
	for _, zoom := range []int{5, 8, 10, 12} {
		t.Run(fmt.Sprint("zoom ", zoom), func(t *testing.T) {
			got := points(t, st, q, within, zoom)
			want := points(t, embedded, q, within, zoom)
			if !maps.Equal(got, want) {
				t.Errorf("PostGIS has %v points per wijk, the embedded store %v", got, want)
			}
			if zoom <= 8 && got["WK034401"] >= full["WK034401"] {
				t.Errorf("WK034401 has %d points at zoom %d, as many as in full (%d)", got["WK034401"], zoom, full["WK034401"])
			}
		})
	}
}

// points returns how many points each area of a choropleth has.
func points(t *testing.T, st store.Store, q store.ValueQuery, within orb.Bound, zoom int) map[string]int {
	t.Helper()
	data, err := st.Choropleth(context.Background(), store.TileQuery{ValueQuery: q, Within: within, Zoom: zoom})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]int)
	for _, a := range data.Areas {
		for _, p := range a.Geometry {
			for _, r := range p {
				out[a.Code] += len(r)
			}
		}
	}
	return out
}
