package geo

import (
	"sync"

	"github.com/paulmach/orb"
)

// Band is a range of zoom levels served from one simplification of the
// boundaries, computed once when they are loaded: a tile is made from the
// band of its zoom, so its geometry is already as coarse as the zoom can
// show and shared borders stay shared (see Coverage).
type Band struct {
	// MaxZoom is the highest zoom the band serves; it serves every zoom
	// above the previous band's.
	MaxZoom int
	// Tolerance is the Douglas-Peucker tolerance in world units; 0 is the
	// geometry as imported.
	Tolerance float64
}

// pixelsPerTile is the size of a tile on screen, in pixels: MapLibre draws
// vector tiles 512 pixels wide.
const pixelsPerTile = 512

// bandPixels is the tolerance of a band, in pixels at its highest zoom:
// a border moves by a pixel at most. Half a pixel made the largest tiles
// (all wijken or buurten of the Randstad at z5-z8) 2-5 % larger.
const bandPixels = 1.0

// Bands returns the zoom bands, by ascending zoom. The last band serves
// every zoom above the others with the geometry as imported.
func Bands() []Band {
	bands := []Band{{MaxZoom: 6}, {MaxZoom: 8}, {MaxZoom: 10}}
	for i := range bands {
		bands[i].Tolerance = bandPixels / (pixelsPerTile * float64(uint64(1)<<bands[i].MaxZoom))
	}
	return append(bands, Band{MaxZoom: 32})
}

// BandOf returns the index in Bands of the band that serves zoom.
func BandOf(zoom int) int {
	bands := Bands()
	for i, b := range bands {
		if zoom <= b.MaxZoom {
			return i
		}
	}
	return len(bands) - 1
}

// SimplifyBands returns the areas of the coverage simplified for every
// band but the last, which is the geometry as given: by band, then area.
// The bands are simplified in parallel; both stores prepare their
// geometry with it, so that they serve the same.
func (c *Coverage) SimplifyBands() [][]orb.MultiPolygon {
	bands := Bands()
	out := make([][]orb.MultiPolygon, len(bands)-1)
	var wg sync.WaitGroup
	for i, b := range bands[:len(bands)-1] {
		wg.Go(func() { out[i] = c.Simplify(b.Tolerance) })
	}
	wg.Wait()
	return out
}
