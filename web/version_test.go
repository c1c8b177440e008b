package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
)

// republishingStore serves one of two real stores, as a database serves
// one publication and then the next; a tile read can be held half-way, to
// let a publication happen while it renders.
type republishingStore struct {
	store.Store
	next  store.Store
	held  chan struct{} // closed when a held read has its data
	hold  chan struct{} // closed to let it go on
	moved atomic.Bool
}

func (s *republishingStore) current() store.Store {
	if s.moved.Load() {
		return s.next
	}
	return s.Store
}

func (s *republishingStore) publish() { s.moved.Store(true) }

func (s *republishingStore) Version(ctx context.Context) (store.Version, error) {
	return s.current().Version(ctx)
}

func (s *republishingStore) Choropleth(ctx context.Context, q store.TileQuery) (store.Choropleth, error) {
	data, err := s.current().Choropleth(ctx, q)
	if s.hold != nil {
		close(s.held)
		<-s.hold
		s.hold = nil
	}
	return data, err
}

func (s *republishingStore) TileValues(ctx context.Context, q store.ValueQuery) (store.Choropleth, error) {
	return s.current().TileValues(ctx, q)
}

// publication returns a store of one wijk in Utrecht whose pct_bijstand
// has status, as data version version.
func publication(t *testing.T, version store.Version, status store.Status) *memstore.Store {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	square := orb.Ring{{5.10, 52.08}, {5.14, 52.08}, {5.14, 52.10}, {5.10, 52.10}, {5.10, 52.08}}
	world := geo.ProjectMultiPolygon(orb.MultiPolygon{{square}}, geo.LonLatToWorld)
	b, err := memstore.NewBuilder(cat, []store.Area{{Level: catalog.Wijk, Year: 2022, Code: "WK034401", Name: "West",
		GemeenteCode: "GM0344", ID: 1, Geometry: world, LonLatBound: square.Bound()}})
	if err != nil {
		t.Fatal(err)
	}
	p := store.Published{Level: catalog.Wijk, Year: 2022, Code: "WK034401", Indicator: "pct_bijstand",
		Group: catalog.TotaalGroup, Status: status, Provenance: store.Demo}
	if err := b.Add(p.WithNumbers(store.NullFloat(4.5), store.NullFloat(45), store.NullFloat(1000))); err != nil {
		t.Fatal(err)
	}
	b.Published(store.Publication{Year: 2022, Indicator: "pct_bijstand", MinObservations: 10, CountRounding: 5})
	return b.Build(version)
}

// TestRenderAcrossPublication holds a tile render half-way, publishes new
// data, and checks that the tile rendered from the old data is not served
// once the server knows of the new publication, with and without the
// shape cache.
func TestRenderAcrossPublication(t *testing.T) {
	for _, shapeCache := range []int64{0, 1 << 20} {
		t.Run(fmt.Sprintf("shape cache %d bytes", shapeCache), func(t *testing.T) {
			renderAcrossPublication(t, shapeCache)
		})
	}
}

func renderAcrossPublication(t *testing.T, shapeCacheBytes int64) {
	st := &republishingStore{Store: publication(t, 1, store.OK), next: publication(t, 2, store.Suppressed),
		held: make(chan struct{}), hold: make(chan struct{})}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Store: st, Catalog: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		TileCacheBytes: 1 << 20, ShapeCacheBytes: shapeCacheBytes})
	if err != nil {
		t.Fatal(err)
	}
	tile := maptile.At(orb.Point{5.12, 52.09}, 12)
	target := fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?indicator=pct_bijstand", tile.Z, tile.X, tile.Y)
	first := make(chan string)
	go func() { first <- tileStatus(t, srv, target) }()
	<-st.held // the render has the old data
	st.publish()
	if _, err := srv.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	close(st.hold)
	if got := <-first; got != string(store.OK) {
		t.Fatalf("the request that started before the publication got %q", got)
	}
	for range 2 {
		if got := tileStatus(t, srv, target); got != string(store.Suppressed) {
			t.Errorf("after the publication the tile says %q, want %q", got, store.Suppressed)
		}
	}
}

// tileStatus requests a tile of one feature and returns its status.
func tileStatus(t *testing.T, h http.Handler, target string) string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+target, nil))
	if rec.Code != http.StatusOK {
		t.Errorf("%s: status %d: %s", target, rec.Code, rec.Body)
		return ""
	}
	layers, err := mvt.Unmarshal(rec.Body.Bytes())
	if err != nil || len(layers) != 1 || len(layers[0].Features) != 1 {
		t.Errorf("%s: %v, layers %v", target, err, layers)
		return ""
	}
	status, _ := layers[0].Features[0].Properties["status"].(string)
	return status
}

// TestShapesAcrossPublication keeps a tile's areas in the shape cache,
// publishes new data without telling the server, and checks that the
// next tile, whose values come from the new data, is not served from the
// areas of the old: its areas are read again with the values.
func TestShapesAcrossPublication(t *testing.T) {
	st := &republishingStore{Store: publication(t, 1, store.OK), next: publication(t, 2, store.Suppressed)}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Store: st, Catalog: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ShapeCacheBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	tile := maptile.At(orb.Point{5.12, 52.09}, 12)
	target := fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?indicator=pct_bijstand", tile.Z, tile.X, tile.Y)
	if got := tileStatus(t, srv, target); got != string(store.OK) {
		t.Fatalf("before the publication the tile says %q", got)
	}
	st.publish()
	reads := srv.shapes.Stats().Misses
	if got := tileStatus(t, srv, target+"&group=totaal"); got != string(store.Suppressed) {
		t.Errorf("after the publication the tile says %q, want %q", got, store.Suppressed)
	}
	if st := srv.shapes.Stats(); st.Hits != 1 || st.Misses != reads {
		t.Errorf("shape cache %+v: want the old areas found, and read again beside them", st)
	}
}
