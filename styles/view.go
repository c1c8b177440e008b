package styles

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/wijkkaart/wijkkaart/store"
)

// The view of a style: it fits the chosen gemeente in a viewport of
// viewportWidth × viewportHeight pixels, with viewportPadding pixels to
// spare on every side. MapLibre draws the world 512 pixels wide at zoom 0.
const (
	viewportWidth   = 1024
	viewportHeight  = 768
	viewportPadding = 32
	worldPixels     = 512
	maxViewZoom     = 14
)

// The view of all of Nederland.
const (
	nederlandLon  = 5.3
	nederlandLat  = 52.2
	nederlandZoom = 6.5
)

// viewOf returns the centre ([lon, lat]) and zoom that fit g, or all of
// Nederland when g is nil.
func viewOf(g *store.Area) ([2]float64, float64, error) {
	if g == nil {
		return [2]float64{nederlandLon, nederlandLat}, nederlandZoom, nil
	}
	b := g.LonLatBound
	if b.IsZero() || b.Min.X() > b.Max.X() || b.Min.Y() > b.Max.Y() ||
		b.Min.X() < -180 || b.Max.X() > 180 || b.Min.Y() < -85 || b.Max.Y() > 85 {
		return [2]float64{}, 0, fmt.Errorf("gemeente %s has no valid bounds: %v", g.Code, b)
	}
	lo := project.WGS84.ToMercator(b.Min)
	hi := project.WGS84.ToMercator(b.Max)
	center := project.Mercator.ToWGS84(orb.Point{(lo.X() + hi.X()) / 2, (lo.Y() + hi.Y()) / 2})
	// Metres per pixel at zoom 0 is the world's circumference over 512.
	metresPerPixel0 := 2 * math.Pi * orb.EarthRadius / worldPixels
	zx := math.Log2((viewportWidth - 2*viewportPadding) * metresPerPixel0 / (hi.X() - lo.X()))
	zy := math.Log2((viewportHeight - 2*viewportPadding) * metresPerPixel0 / (hi.Y() - lo.Y()))
	zoom := math.Min(maxViewZoom, math.Min(zx, zy))
	// Round down so that the gemeente still fits, and keep the JSON short.
	zoom = math.Floor(zoom*100) / 100
	return [2]float64{roundTo(center.X(), 6), roundTo(center.Y(), 6)}, zoom, nil
}
