package export_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/export"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
	"github.com/wijkkaart/wijkkaart/web"
)

// demoServer returns a server on the published embedded demo data.
func demoServer(t *testing.T) (*web.Server, store.Store) {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := demo.Load(cat)
	if err != nil {
		t.Fatal(err)
	}
	b, err := memstore.NewBuilder(cat, ds.AllAreas())
	if err != nil {
		t.Fatal(err)
	}
	policy := disclosure.Policy{MinObservations: disclosure.DefaultMinObservations}
	if err := ds.PublishInto(context.Background(), cat, policy, b); err != nil {
		t.Fatal(err)
	}
	st := b.Build(1)
	srv, err := web.New(web.Config{Store: st, Catalog: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return srv, st
}

// archive is a PMTiles archive read back with go-pmtiles.
type archive struct {
	data   []byte
	header pmtiles.HeaderV3
}

func readArchive(t *testing.T, path string) archive {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pmtiles.DeserializeHeader(data[:pmtiles.HeaderV3LenBytes])
	if err != nil {
		t.Fatal(err)
	}
	return archive{data: data, header: h}
}

func (a archive) metadata(t *testing.T) map[string]any {
	t.Helper()
	h := a.header
	m, err := pmtiles.DeserializeMetadata(bytes.NewReader(a.data[h.MetadataOffset:h.MetadataOffset+h.MetadataLength]), h.InternalCompression)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// tile returns the stored bytes of a tile, nil when the archive has none.
func (a archive) tile(t maptile.Tile) []byte {
	h := a.header
	id := pmtiles.ZxyToID(uint8(t.Z), t.X, t.Y)
	offset, length := h.RootOffset, h.RootLength
	for range 4 {
		entries := pmtiles.DeserializeEntries(bytes.NewBuffer(a.data[offset:offset+length]), h.InternalCompression)
		e, ok := pmtiles.FindTile(entries, id)
		switch {
		case !ok:
			return nil
		case e.RunLength > 0:
			start := h.TileDataOffset + e.Offset
			return a.data[start : start+uint64(e.Length)]
		}
		offset, length = h.LeafDirectoryOffset+e.Offset, uint64(e.Length)
	}
	return nil
}

// TestWriteGemeente exports Utrecht's wijken at z10–z12 for two groups
// and reads the archive back.
func TestWriteGemeente(t *testing.T) {
	srv, st := demoServer(t)
	gm, err := st.Areas(t.Context(), store.AreaQuery{Level: catalog.Gemeente, Year: 2022, Codes: []string{"GM0344"}})
	if err != nil || len(gm) != 1 {
		t.Fatalf("Utrecht: %v %v", gm, err)
	}
	path := filepath.Join(t.TempDir(), "utrecht.pmtiles")
	var progress []int
	stats, err := export.Write(t.Context(), path, export.Options{
		Handler: srv, Level: catalog.Wijk, Indicators: []string{"pct_bijstand"}, Groups: []string{"marokko", "totaal"},
		MinZoom: 10, MaxZoom: 12, Bound: gm[0].LonLatBound,
		Progress: func(done, total int) { progress = append(progress, done, total) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Addressed == 0 || stats.Contents == 0 || len(progress) == 0 || progress[len(progress)-2] != progress[len(progress)-1] {
		t.Fatalf("stats %+v, progress %v", stats, progress)
	}
	a := readArchive(t, path)
	h := a.header
	if h.SpecVersion != 3 || h.TileType != pmtiles.Mvt || h.TileCompression != pmtiles.Gzip || !h.Clustered ||
		h.MinZoom != 10 || h.MaxZoom != 12 || h.AddressedTilesCount != uint64(stats.Addressed) || int64(len(a.data)) != stats.Bytes {
		t.Errorf("header %+v, stats %+v, %d bytes", h, stats, len(a.data))
	}
	b := gm[0].LonLatBound
	if lon := float64(h.MinLonE7) / 1e7; lon < b.Min[0]-1e-6 || lon > b.Min[0]+1e-6 {
		t.Errorf("min lon %v, want %v", lon, b.Min[0])
	}
	t.Run("metadata", func(t *testing.T) { checkMetadata(t, a.metadata(t)) })
	t.Run("tile", func(t *testing.T) { checkTile(t, srv, a) })
	t.Run("no tile outside", func(t *testing.T) {
		if got := a.tile(maptile.At(orb.Point{4.9, 52.37}, 12)); got != nil { // Amsterdam
			t.Errorf("a tile of %d bytes outside Utrecht", len(got))
		}
	})
}

func checkMetadata(t *testing.T, m map[string]any) {
	attribution, _ := m["attribution"].(string)
	if !strings.Contains(attribution, "CBS") || !strings.Contains(attribution, "Kadaster") {
		t.Errorf("attribution %q", attribution)
	}
	layers, _ := m["vector_layers"].([]any)
	var ids []string
	for _, l := range layers {
		lm, _ := l.(map[string]any)
		id, _ := lm["id"].(string)
		ids = append(ids, id)
		if fields, _ := lm["fields"].(map[string]any); fields["value"] == nil {
			t.Errorf("layer %s has no field value: %v", id, lm)
		}
	}
	if !slices.Equal(ids, []string{"pct_bijstand.marokko", "pct_bijstand.totaal"}) {
		t.Errorf("vector layers %v", ids)
	}
}

// checkTile decodes the archive's tile over the centre of Utrecht and
// compares it with what the server answers for it.
func checkTile(t *testing.T, srv *web.Server, a archive) {
	tile := maptile.At(orb.Point{5.12, 52.09}, 12) // the centre of Utrecht
	stored := a.tile(tile)
	if stored == nil {
		t.Fatalf("no tile %v", tile)
	}
	layers, err := mvt.UnmarshalGzipped(stored)
	if err != nil {
		t.Fatalf("tile does not decode: %v", err)
	}
	if len(layers) != 2 {
		t.Fatalf("%d layers, want 2", len(layers))
	}
	for i, group := range []string{"marokko", "totaal"} {
		l := layers[i]
		if l.Name != export.LayerName("pct_bijstand", group) || l.Version != 2 || l.Extent != 4096 || len(l.Features) == 0 {
			t.Fatalf("layer %q version %d extent %d with %d features", l.Name, l.Version, l.Extent, len(l.Features))
		}
		served := serverLayer(t, srv, fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?indicator=pct_bijstand&group=%s", tile.Z, tile.X, tile.Y, group))
		if len(served.Features) != len(l.Features) {
			t.Fatalf("%s: %d features, the server has %d", l.Name, len(l.Features), len(served.Features))
		}
		utrecht := 0
		for j, f := range l.Features {
			want := served.Features[j]
			if !reflect.DeepEqual(f.Properties, want.Properties) || f.ID != want.ID || !orb.Equal(f.Geometry, want.Geometry) {
				t.Errorf("%s feature %d: %v, server %v", l.Name, j, f.Properties, want.Properties)
			}
			if code, _ := f.Properties["code"].(string); strings.HasPrefix(code, "WK0344") {
				utrecht++
			}
		}
		if utrecht == 0 {
			t.Errorf("%s: no wijk of Utrecht", l.Name)
		}
	}
}

func serverLayer(t *testing.T, srv *web.Server, target string) *mvt.Layer {
	t.Helper()
	rec := httptestGet(srv, target)
	layers, err := mvt.Unmarshal(rec)
	if err != nil || len(layers) != 1 {
		t.Fatalf("%s: %v, %d layers", target, err, len(layers))
	}
	return layers[0]
}

// httptestGet returns the body of the server's answer to target.
func httptestGet(h http.Handler, target string) []byte {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost"+target, nil))
	return rec.Body.Bytes()
}
