package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
)

// BenchmarkTiles measures wijk tiles over Utrecht served over HTTP: rendered
// from the embedded store and from PostGIS (the demo data imported with
// the CLI), and served from the tile cache. Run with
//
//	WIJKKAART_TEST_DATABASE_URL=… go test ./cmd/wijkkaart -run '^$' -bench Tiles -benchmem
func BenchmarkTiles(b *testing.B) {
	db := demoDatabase(b)
	servers := []struct {
		name, url string
		cache     int64
	}{
		{"embedded", "", 0},
		{"postgis", pgtest.ReaderURL(b, db), 0},
		{"cached", "", 64 << 20},
	}
	for _, s := range servers {
		srv := newCachingServer(b, s.url, s.cache, 0)
		for _, z := range []maptile.Zoom{6, 10, 14} {
			tile := maptile.At(orb.Point{5.12, 52.09}, z)
			target := fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?indicator=pct_bijstand&group=marokko", tile.Z, tile.X, tile.Y)
			b.Run(fmt.Sprintf("%s/z%d", s.name, z), func(b *testing.B) {
				var size int
				for b.Loop() {
					status, _, body := fetch(b, srv.URL, target)
					if status != http.StatusOK {
						b.Fatalf("status %d", status)
					}
					size = len(body)
				}
				b.ReportMetric(float64(size), "bytes/tile")
			})
		}
	}
}
