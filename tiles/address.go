// Package tiles addresses, encodes and caches Mapbox Vector Tiles.
package tiles

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/paulmach/orb/maptile"
)

// ErrMalformed is returned, wrapped, for a tile address that is not a tile
// address at all, such as a non-numeric zoom. HTTP maps it to 400.
var ErrMalformed = errors.New("malformed tile address")

// ErrOutOfRange is returned, wrapped, for a well-formed tile address that
// does not exist or is outside the served zoom range. HTTP maps it to 404.
var ErrOutOfRange = errors.New("tile out of range")

// ZoomRange is the range of zoom levels tiles are served for.
type ZoomRange struct{ Min, Max maptile.Zoom }

// ParseAddress parses and checks the z, x and y of a tile URL.
func ParseAddress(z, x, y string, zooms ZoomRange) (maptile.Tile, error) {
	zoom, err := parseCoordinate("z", z)
	if err != nil {
		return maptile.Tile{}, err
	}
	col, err := parseCoordinate("x", x)
	if err != nil {
		return maptile.Tile{}, err
	}
	row, err := parseCoordinate("y", y)
	if err != nil {
		return maptile.Tile{}, err
	}
	if zoom < uint64(zooms.Min) || zoom > uint64(zooms.Max) {
		return maptile.Tile{}, fmt.Errorf("%w: zoom %d is outside %d..%d", ErrOutOfRange, zoom, zooms.Min, zooms.Max)
	}
	n := uint64(1) << zoom
	if col >= n || row >= n {
		return maptile.Tile{}, fmt.Errorf("%w: x and y must be below %d at zoom %d, got x=%d y=%d", ErrOutOfRange, n, zoom, col, row)
	}
	return maptile.New(uint32(col), uint32(row), maptile.Zoom(zoom)), nil
}

// parseCoordinate accepts only plain decimal digits: no sign, no spaces, no
// hex, and nothing so long it could overflow.
func parseCoordinate(name, s string) (uint64, error) {
	if s == "" || len(s) > 9 {
		return 0, fmt.Errorf("%w: %s must be a whole number, got %q", ErrMalformed, name, s)
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: %s must be a whole number, got %q", ErrMalformed, name, s)
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrMalformed, name, err)
	}
	return v, nil
}
