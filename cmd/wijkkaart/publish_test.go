package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/postgis"
	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
	"github.com/wijkkaart/wijkkaart/web"
)

// utrechtValues writes a values CSV for every wijk of the fixture's
// gemeenten, with groups small enough that a stricter threshold changes
// what is published, the gemeenten as the sums of their wijken, and
// Nederland.
func utrechtValues(t *testing.T, st *postgis.Store) string {
	t.Helper()
	wijken, err := st.Areas(context.Background(), store.AreaQuery{Level: catalog.Wijk, Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.WriteString("year,code,indicator,group,value,numerator,denominator,provenance\n")
	sums := map[string][2]int{}
	row := func(code string, num, den int) {
		fmt.Fprintf(&b, "2022,%s,pct_bijstand,totaal,%.4f,%d,%d,demo\n", code, 100*float64(num)/float64(den), num, den)
	}
	for _, w := range wijken {
		den := 5 + rng.IntN(150)
		num := rng.IntN(den/3 + 1)
		row(w.Code, num, den)
		s := sums[w.GemeenteCode]
		sums[w.GemeenteCode] = [2]int{s[0] + num, s[1] + den}
	}
	for gm, s := range sums {
		row(gm, s[0], s[1])
	}
	row(catalog.NederlandCode, 390000, 10000000)
	return writeTestFile(t, "utrecht.csv", b.String())
}

// TestPublishWhileServing publishes again, under a stricter threshold,
// while tiles render under load, and proves that once the server has heard
// of the publication every tile answers from it: no tile of the old
// publication is kept under the new version, and no suppressed value
// appears.
func TestPublishWhileServing(t *testing.T) {
	db := pgtest.NewDatabase(t)
	gpkg := filepath.Join("..", "..", "boundaries", "testdata", "wijkbuurtkaart_2022_utrecht.gpkg")
	for _, args := range [][]string{{"migrate", "--database-url", db}, {"import", "boundaries", "--database-url", db, "--year", "2022", gpkg}} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := postgis.Open(ctx, pgtest.ReaderURL(t, db))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if out, err := runCLI(t, "import", "values", "--database-url", db, utrechtValues(t, st)); err != nil {
		t.Fatalf("import values: %v\n%s", err, out)
	}
	srv := servePostGIS(ctx, t, st)
	targets := utrechtTiles()
	stopLoad := loadTiles(t, srv.URL, targets)
	time.Sleep(300 * time.Millisecond)
	before := dataVersion(t, srv.URL)
	if out, err := runCLI(t, "publish", "--database-url", db, "--min-observations", "60"); err != nil {
		t.Fatalf("publish: %v\n%s", err, out)
	}
	waitForVersion(t, srv.URL, before)
	time.Sleep(300 * time.Millisecond) // renders started before keep running
	want, err := st.Values(ctx, store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: catalog.TotaalGroup})
	if err != nil {
		t.Fatal(err)
	}
	published := make(map[string]store.Published)
	suppressed := 0
	for _, p := range want {
		published[p.Code] = p
		if p.Status == store.Suppressed {
			suppressed++
		}
	}
	if suppressed == 0 {
		t.Fatal("the stricter threshold suppressed nothing; the test proves nothing")
	}
	for _, target := range targets {
		checkTileAgainst(t, srv.URL, target, published)
	}
	if errs := stopLoad(); len(errs) > 0 {
		t.Errorf("%d requests failed under load, the first: %v", len(errs), errs[0])
	}
}

// servePostGIS serves st with a tile cache, refreshing on every
// publication as serve does.
func servePostGIS(ctx context.Context, t *testing.T, st *postgis.Store) *httptest.Server {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.New(web.Config{Store: st, Catalog: cat, Logger: logger, TileCacheBytes: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	go st.Watch(ctx, func() { srv.Refresh(ctx) }, func(err error) { t.Log(err) }) //nolint:errcheck // ends with ctx
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// utrechtTiles are the wijk tiles over Utrecht from z10 to z14: enough
// that renders are in flight all the time under load.
func utrechtTiles() []string {
	var out []string
	for z := maptile.Zoom(10); z <= 14; z++ {
		min, max := maptile.At(orb.Point{5.0, 52.14}, z), maptile.At(orb.Point{5.2, 52.03}, z)
		for x := min.X; x <= max.X; x++ {
			for y := min.Y; y <= max.Y; y++ {
				out = append(out, fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?indicator=pct_bijstand", z, x, y))
			}
		}
	}
	return out
}

// loadTiles requests targets from four goroutines until the returned
// function is called, which returns the failures.
func loadTiles(t *testing.T, base string, targets []string) func() []error {
	t.Helper()
	done := make(chan struct{})
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for n := i; ; n++ {
				select {
				case <-done:
					return
				default:
				}
				res, err := http.Get(base + targets[n%len(targets)])
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					err = errors.Join(err, res.Body.Close())
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: status %d", targets[n%len(targets)], res.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	return func() []error {
		close(done)
		wg.Wait()
		return errs
	}
}

// dataVersion returns the data version /readyz reports.
func dataVersion(t *testing.T, base string) float64 {
	t.Helper()
	status, _, body := fetch(t, base, "/readyz")
	var health struct {
		Version float64 `json:"version"`
	}
	if status != http.StatusOK {
		t.Fatalf("readyz %d: %s", status, body)
	}
	decodeJSON(t, body, &health)
	return health.Version
}

// waitForVersion waits until the server serves a version newer than before.
func waitForVersion(t *testing.T, base string, before float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for dataVersion(t, base) == before {
		if time.Now().After(deadline) {
			t.Fatal("the server did not hear of the publication within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkTileAgainst decodes a tile and checks every feature against the
// published values.
func checkTileAgainst(t *testing.T, base, target string, published map[string]store.Published) {
	t.Helper()
	status, _, body := fetch(t, base, target)
	if status != http.StatusOK {
		t.Fatalf("%s: status %d", target, status)
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		for _, f := range l.Features {
			code, _ := f.Properties["code"].(string)
			want, ok := published[code]
			if !ok {
				want = store.Missing(catalog.Wijk, 2022, code, "pct_bijstand", catalog.TotaalGroup)
			}
			if got := f.Properties["status"]; got != string(want.Status) {
				t.Errorf("%s %s: status %v, published %s", target, code, got, want.Status)
			}
			value, hasValue := want.Value()
			if got, ok := f.Properties["value"]; ok != hasValue || ok && got != value {
				t.Errorf("%s %s: value %v, published %v (%v)", target, code, got, value, hasValue)
			}
		}
	}
}

func decodeJSON(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
}
