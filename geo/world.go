// Package geo holds the geometry wijkkaart needs between boundaries and
// tiles: projection to world coordinates, tile transforms, clipping,
// simplification and ring orientation.
//
// World coordinates are Web Mercator (EPSG:3857) scaled to the unit square:
// x runs east from 0 at 180°W to 1 at 180°E, y runs south from 0 at 85.05°N
// to 1 at 85.05°S. A tile z/x/y covers [x/2^z, (x+1)/2^z] × [y/2^z,
// (y+1)/2^z], so a tile's pixels are a plain scale and offset of world
// coordinates, and geometry projected once at load time serves every tile.
package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// MaxLatitude is the latitude where Web Mercator ends.
const MaxLatitude = 85.0511287798066

// LonLatToWorld projects a WGS84 longitude/latitude point to world
// coordinates.
func LonLatToWorld(p orb.Point) orb.Point {
	lat := math.Max(-MaxLatitude, math.Min(MaxLatitude, p[1]))
	sin := math.Sin(lat * math.Pi / 180)
	x := p[0]/360 + 0.5
	y := 0.5 - math.Log((1+sin)/(1-sin))/(4*math.Pi)
	return orb.Point{x, y}
}

// WorldToLonLat is the inverse of LonLatToWorld.
func WorldToLonLat(p orb.Point) orb.Point {
	lon := (p[0] - 0.5) * 360
	lat := 90 - 360*math.Atan(math.Exp((p[1]-0.5)*2*math.Pi))/math.Pi
	return orb.Point{lon, lat}
}

// ProjectMultiPolygon returns a copy of mp with every point passed through
// project.
func ProjectMultiPolygon(mp orb.MultiPolygon, project orb.Projection) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				r[k] = project(p)
			}
			out[i][j] = r
		}
	}
	return out
}

// WorldBoundToLonLat returns the WGS84 bounds of a world-coordinate bound.
// World y grows southward, so the bound's Min.Y is its northern edge.
func WorldBoundToLonLat(b orb.Bound) orb.Bound {
	nw := WorldToLonLat(b.Min)
	se := WorldToLonLat(b.Max)
	return orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
}

// halfCircumference is half the Earth's circumference in Web Mercator
// (EPSG:3857) metres: the projection spans [-h, h] in both axes.
const halfCircumference = 20037508.342789244

// MercatorToWorld maps a Web Mercator (EPSG:3857) point in metres to world
// coordinates.
func MercatorToWorld(p orb.Point) orb.Point {
	return orb.Point{(p[0]/halfCircumference + 1) / 2, (1 - p[1]/halfCircumference) / 2}
}

// WorldToMercator is the inverse of MercatorToWorld.
func WorldToMercator(p orb.Point) orb.Point {
	return orb.Point{(2*p[0] - 1) * halfCircumference, (1 - 2*p[1]) * halfCircumference}
}

// WorldBoundToMercator returns the Web Mercator bounds of a world bound.
func WorldBoundToMercator(b orb.Bound) orb.Bound {
	return orb.MultiPoint{WorldToMercator(b.Min), WorldToMercator(b.Max)}.Bound()
}
