package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
)

// BenchmarkLowZoomTiles renders the largest low-zoom tiles over HTTP, cold
// (no tile cache), from the embedded store and from PostGIS (the demo data
// imported with the CLI): the wijk tiles of z5–z8 and the buurt tiles of
// z9–z10 that hold the most areas, as BenchmarkLowZoomTiles in package web
// finds them. Run with
//
//	WIJKKAART_TEST_DATABASE_URL=… go test ./cmd/wijkkaart -run '^$' -bench LowZoomTiles -benchtime 20x
func BenchmarkLowZoomTiles(b *testing.B) {
	db := demoDatabase(b)
	tiles := []string{"wijk/5/16/10", "wijk/6/32/21", "wijk/7/65/42", "wijk/8/131/84", "buurt/9/262/169", "buurt/10/525/336"}
	for _, s := range []struct{ name, url string }{{"embedded", ""}, {"postgis", pgtest.ReaderURL(b, db)}} {
		srv := newServer(b, s.url)
		for _, tile := range tiles {
			target := "/tiles/" + tile + ".mvt?indicator=pct_bijstand&group=marokko"
			b.Run(fmt.Sprintf("%s/%s", s.name, tile), func(b *testing.B) {
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
