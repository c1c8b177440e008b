package web

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// maxTileBytes is the most a tile may weigh, uncompressed.
const maxTileBytes = 500 << 10

// netherlands is the bound of the Netherlands, WGS84.
var netherlands = orb.Bound{Min: orb.Point{3.36, 50.75}, Max: orb.Point{7.23, 53.55}}

// lowZoomSelection is the selection low-zoom tiles are measured with.
func lowZoomSelection(t testing.TB, level string) selection {
	t.Helper()
	sel, err := demoSelection(level, "pct_bijstand", "marokko")
	if err != nil {
		t.Fatal(err)
	}
	if sel.data, err = demoServer.state(t.Context()); err != nil {
		t.Fatal(err)
	}
	return sel
}

// largestTile renders every tile over the Netherlands of a level and zoom
// and returns the largest and its size.
func largestTile(t testing.TB, level string, z maptile.Zoom) (maptile.Tile, int) {
	t.Helper()
	sel := lowZoomSelection(t, level)
	set, err := tilecover.Geometry(netherlands.ToPolygon(), z)
	if err != nil {
		t.Fatal(err)
	}
	var largest maptile.Tile
	size := -1
	for tile := range set {
		body, err := demoServer.renderTile(t.Context(), sel, tile)
		if err != nil {
			t.Fatal(err)
		}
		if len(body) > size {
			largest, size = tile, len(body)
		}
	}
	return largest, size
}

// TestLowZoomTileSizes checks that no wijk or buurt tile of all of the
// Netherlands at the lowest zooms it is served at is over maxTileBytes:
// geometry simplified for the zoom band keeps the coarse tiles small.
func TestLowZoomTileSizes(t *testing.T) {
	for _, level := range []catalog.Level{catalog.Wijk, catalog.Buurt} {
		from := zoomRange(level).Min
		for z := max(from, 5); z <= from+3; z++ {
			t.Run(fmt.Sprintf("%s/z%d", level, z), func(t *testing.T) {
				tile, size := largestTile(t, string(level), z)
				if size > maxTileBytes {
					t.Errorf("tile %d/%d/%d is %d KB", tile.Z, tile.X, tile.Y, size>>10)
				}
				t.Logf("largest tile %d/%d/%d: %d KB", tile.Z, tile.X, tile.Y, size>>10)
			})
		}
	}
}

// BenchmarkLowZoomTiles renders the largest wijk and buurt tile of each
// zoom from 5 to 9, cold (the server keeps no tiles), from the embedded
// store; buurt tiles below zoom 9 are measured although they are not
// served, to show why. Run with
//
//	go test ./web -run '^$' -bench LowZoomTiles -benchmem
func BenchmarkLowZoomTiles(b *testing.B) {
	for _, level := range []string{"wijk", "buurt"} {
		sel := lowZoomSelection(b, level)
		for z := maptile.Zoom(5); z <= 9; z++ {
			tile, _ := largestTile(b, level, z)
			b.Run(fmt.Sprintf("%s/%d/%d/%d", level, tile.Z, tile.X, tile.Y), func(b *testing.B) {
				var size int
				for b.Loop() {
					body, err := demoServer.renderTile(b.Context(), sel, tile)
					if err != nil {
						b.Fatal(err)
					}
					size = len(body)
				}
				b.ReportMetric(float64(size), "bytes/tile")
			})
		}
	}
}
