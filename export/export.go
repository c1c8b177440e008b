// Package export writes the tiles a wijkkaart server serves into a PMTiles
// v3 archive (https://github.com/protomaps/PMTiles), so that a portal can
// show a map from static hosting or a CDN, without a server.
//
// Tiles are asked of the server's own HTTP handler, so that an archive
// holds exactly what the server answers: the same published numbers, the
// same encoding, the same disclosure control. One archive holds several
// choropleths: each tile has one layer per indicator and group, named
// "indicator.group" (see LayerName).
package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// Options say what to export.
type Options struct {
	// Handler is the wijkkaart server the tiles are asked of, a
	// *web.Server.
	Handler http.Handler
	// Level is the level of the choropleths: gemeente, wijk, buurt or
	// auto.
	Level catalog.Level
	// Indicators and Groups are the IDs of the choropleths: every
	// indicator for every group. No group means totaal.
	Indicators, Groups []string
	// Year is the year of the data; 0 is the latest.
	Year int
	// MinZoom and MaxZoom are the zooms exported.
	MinZoom, MaxZoom maptile.Zoom
	// Bound is the area exported, in WGS84 degrees.
	Bound orb.Bound
	// MaxTiles bounds the tile addresses one export may cover; 0 means
	// DefaultMaxTiles.
	MaxTiles int
	// Workers is how many tiles are made at once; 0 means one per CPU.
	Workers int
	// Progress, when set, is called as tiles are written with the
	// addresses done and the total, from the goroutine that called Write.
	Progress func(done, total int)
}

// DefaultMaxTiles is the most tile addresses an export covers unless
// Options.MaxTiles says otherwise: all of the Netherlands to z12 is about
// 60,000.
const DefaultMaxTiles = 1_000_000

// choropleth is one indicator for one group.
type choropleth struct {
	indicator, group string
}

// LayerName is the name of the layer of a choropleth in an exported tile.
func LayerName(indicator, group string) string { return indicator + "." + group }

// query is the query string of the choropleth's tiles and TileJSON.
func (c choropleth) query(year int) string {
	q := url.Values{"indicator": {c.indicator}, "group": {c.group}}
	if year != 0 {
		q.Set("year", strconv.Itoa(year))
	}
	return q.Encode()
}

// choropleths lists the indicators × groups of o.
func (o Options) choropleths() []choropleth {
	groups := o.Groups
	if len(groups) == 0 {
		groups = []string{catalog.TotaalGroup}
	}
	var out []choropleth
	for _, ind := range o.Indicators {
		for _, g := range groups {
			out = append(out, choropleth{indicator: ind, group: g})
		}
	}
	return out
}

// check reports what is wrong with o, naming the option.
func (o Options) check() error {
	switch {
	case o.Handler == nil:
		return errors.New("export: no server to ask tiles of")
	case len(o.Indicators) == 0:
		return errors.New("export: no indicator")
	case o.MinZoom > o.MaxZoom:
		return fmt.Errorf("export: min zoom %d is above max zoom %d", o.MinZoom, o.MaxZoom)
	case o.MaxZoom > 16:
		return fmt.Errorf("export: max zoom %d is above 16, the highest the server serves", o.MaxZoom)
	case o.Bound.Min[0] >= o.Bound.Max[0] || o.Bound.Min[1] >= o.Bound.Max[1]:
		return errors.New("export: the area is empty")
	}
	return nil
}

// tileAddresses lists the tiles over o.Bound from MinZoom to MaxZoom.
func (o Options) tileAddresses() ([]maptile.Tile, error) {
	return Tiles(o.Bound, o.MinZoom, o.MaxZoom, o.MaxTiles)
}

// Tiles lists the tiles over bound (WGS84 degrees) from minZoom to
// maxZoom, lowest zoom first, or an error when they are more than limit
// (0 means DefaultMaxTiles).
func Tiles(bound orb.Bound, minZoom, maxZoom maptile.Zoom, limit int) ([]maptile.Tile, error) {
	if limit <= 0 {
		limit = DefaultMaxTiles
	}
	var out []maptile.Tile
	for z := minZoom; z <= maxZoom; z++ {
		topLeft := maptile.At(orb.Point{bound.Min[0], bound.Max[1]}, z)
		bottomRight := maptile.At(orb.Point{bound.Max[0], bound.Min[1]}, z)
		n := (int(bottomRight.X-topLeft.X) + 1) * (int(bottomRight.Y-topLeft.Y) + 1)
		if len(out)+n > limit {
			return nil, fmt.Errorf("export: the area covers more than %d tiles up to z%d; choose a smaller area or a lower max zoom", limit, z)
		}
		for x := topLeft.X; x <= bottomRight.X; x++ {
			for y := topLeft.Y; y <= bottomRight.Y; y++ {
				out = append(out, maptile.New(x, y, z))
			}
		}
	}
	return out, nil
}

// TilePath is the path and query a server answers the tile of a
// choropleth at; a year of 0 is the latest.
func TilePath(level catalog.Level, t maptile.Tile, indicator, group string, year int) string {
	return fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt?%s", level, t.Z, t.X, t.Y, choropleth{indicator: indicator, group: group}.query(year))
}

// get asks the handler for target and returns the body of a 200 answer,
// or an error with the server's message.
func get(ctx context.Context, h http.Handler, target string) ([]byte, error) {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "http://localhost"+target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if err := ctx.Err(); err != nil {
		// The server answers nothing to a request that was cancelled, which
		// must not pass for an empty tile.
		return nil, fmt.Errorf("export: %w", err)
	}
	if rec.Code == http.StatusOK {
		return rec.Body.Bytes(), nil
	}
	var answer struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || answer.Error == "" {
		answer.Error = strings.TrimSpace(rec.Body.String())
	}
	return nil, fmt.Errorf("export: %s: %d %s", target, rec.Code, answer.Error)
}
