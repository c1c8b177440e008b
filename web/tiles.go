package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/tiles"
)

// selectionParams are the query parameters that select a choropleth.
var selectionParams = []string{"indicator", "group", "year", "compare"}

// tile serves GET /tiles/{level}/{z}/{x}/{y}.mvt.
func (s *Server) tile(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, selectionParams...); err != nil {
		return err
	}
	sel, err := s.parseSelection(r, q)
	if err != nil {
		return err
	}
	v := mux.Vars(r)
	t, err := tiles.ParseAddress(v["z"], v["x"], v["y"], zoomRange(sel.level))
	switch {
	case errors.Is(err, tiles.ErrMalformed):
		return errBadRequest("%v", err)
	case err != nil:
		return errNotFound("%v", err)
	}
	key := tileKey{version: sel.data.version, level: sel.level, year: sel.year, compare: sel.compare,
		indicator: sel.indicator.ID, group: sel.group.ID, tile: t}
	return s.serveTile(w, r, key, func(ctx context.Context) ([]byte, error) {
		return s.renderLimited(ctx, sel, t)
	})
}

// tileCacheControl lets browsers and a CDN keep a tile for an hour; its
// ETag lets them revalidate it for the price of a 304.
const tileCacheControl = "public, max-age=3600"

// cachedTile is a tile as the tile cache keeps it: gzip-compressed, with
// the header values its answers send, made once with it.
type cachedTile struct {
	gzipped []byte
	// etags are the entity tags of the plain and the compressed tile (see
	// representationTag), as header values.
	etags [2][]string
	// gzipLength is the compressed tile's Content-Length.
	gzipLength []string
}

// newCachedTile returns the compressed tile of key as the cache keeps it.
func newCachedTile(key tileKey, gzipped []byte) cachedTile {
	tag := key.etag()
	return cachedTile{
		gzipped:    gzipped,
		etags:      [2][]string{sharedValue(representationTag(tag, false)), sharedValue(representationTag(tag, true))},
		gzipLength: sharedValue(strconv.Itoa(len(gzipped))),
	}
}

// tileCacheSize is what the tile cache counts of a tile against its
// bound: its compressed bytes.
func tileCacheSize(t cachedTile) int64 { return int64(len(t.gzipped)) }

// tileHeaders are the header values every tile answer sends, made once
// per server (see sharedValue).
type tileHeaders struct {
	cacheControl, vary, contentType, gzipEncoding []string
}

func newTileHeaders() tileHeaders {
	return tileHeaders{
		cacheControl: sharedValue(tileCacheControl),
		vary:         sharedValue("Accept-Encoding"),
		contentType:  sharedValue("application/vnd.mapbox-vector-tile"),
		gzipEncoding: sharedValue("gzip"),
	}
}

// serveTile answers a tile request from the cache, which keeps tiles
// gzip-compressed: with 304 when If-None-Match names the tile (nothing is
// rendered), the compressed bytes to a client that accepts gzip, and the
// plain tile to one that does not.
func (s *Server) serveTile(w http.ResponseWriter, r *http.Request, key tileKey, render func(context.Context) ([]byte, error)) error {
	gzipped := acceptsGzip(r.Header.Get("Accept-Encoding"))
	h := w.Header()
	h["Cache-Control"] = s.tileHeaders.cacheControl
	h["Vary"] = s.tileHeaders.vary
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		tag := key.etag()
		if noneMatch(inm, representationTag(tag, false), representationTag(tag, true)) {
			h.Set("ETag", representationTag(tag, gzipped))
			writeNotModified(w)
			return nil
		}
	}
	tile, err := s.cache.Get(r.Context(), key, func(ctx context.Context) (cachedTile, error) {
		gz, err := s.compressed(render(ctx))
		if gz == nil {
			return cachedTile{}, err
		}
		return newCachedTile(key, gz), err
	})
	if err != nil {
		return err
	}
	body, length := tile.gzipped, tile.gzipLength
	if gzipped {
		h["Content-Encoding"] = s.tileHeaders.gzipEncoding
	} else {
		if body, err = gunzipTile(&s.gunzippers, body); err != nil {
			return err
		}
		length = []string{strconv.Itoa(len(body))}
	}
	h["Etag"] = tile.etags[boolIndex(gzipped)]
	h["Content-Type"] = s.tileHeaders.contentType
	h["Content-Length"] = length
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(body)
	return err
}

// boolIndex is 1 for true and 0 for false.
func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compressed gzips a rendered tile, keeping a tiles.ErrNotCacheable.
func (s *Server) compressed(body []byte, err error) ([]byte, error) {
	if err != nil && !errors.Is(err, tiles.ErrNotCacheable) {
		return nil, err
	}
	gz, gzErr := gzipTile(&s.gzippers, body)
	if gzErr != nil {
		return nil, gzErr
	}
	return gz, err
}

// renderTile makes one choropleth tile: the areas of the level that touch
// the tile, each with its published value and the Nederland value. A tile
// read from another data version than the selection's is returned wrapped
// in tiles.ErrNotCacheable: good to serve, not to keep under that version.
func (s *Server) renderTile(ctx context.Context, sel selection, t maptile.Tile) ([]byte, error) {
	q := store.ValueQuery{Level: sel.level, Year: sel.year, Indicator: sel.indicator.ID, Group: sel.group.ID}
	var data store.Choropleth
	var shapes tiles.Shapes
	var err error
	if sel.level == catalog.Auto {
		data, shapes, err = s.autoChoropleth(ctx, sel, q, t)
	} else {
		data, shapes, err = s.levelChoropleth(ctx, sel, q, t)
	}
	if err != nil {
		return nil, fmt.Errorf("tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
	}
	recs := make([]record, 0, len(data.Areas))
	for _, a := range data.Areas {
		if _, ok := shapes.ByID[a.ID]; ok {
			recs = append(recs, newRecord(a, data.Values, sel, data.Nederland))
		}
	}
	if sel.compare != 0 {
		if err := s.withChanges(ctx, sel, recs); err != nil {
			return nil, fmt.Errorf("tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
		}
	}
	layer := tiles.ShapedLayer{Name: string(sel.level), Features: make([]tiles.ShapedFeature, len(recs))}
	for i, rec := range recs {
		layer.Features[i] = tiles.ShapedFeature{ID: rec.area.ID, Shape: shapes.ByID[rec.area.ID], Properties: rec.tileProperties()}
	}
	body, err := s.encoder.Marshal(layer)
	if err == nil && data.Version != sel.data.version && len(data.Areas) > 0 {
		err = fmt.Errorf("tile %d/%d/%d read from data version %d, not %d: %w", t.Z, t.X, t.Y, data.Version, sel.data.version, tiles.ErrNotCacheable)
	}
	return body, err
}

// tileJSON serves GET /tiles/{level}.json: TileJSON 3.0.0 for the
// choropleth that the same query selects.
func (s *Server) tileJSON(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, selectionParams...); err != nil {
		return err
	}
	sel, err := s.parseSelection(r, q)
	if err != nil {
		return err
	}
	bounds, err := s.levelBounds(r.Context(), sel)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.newTileJSON(r, sel, bounds))
}

// levelBounds returns the WGS84 bounds of all areas of the selection's
// level and year.
func (s *Server) levelBounds(ctx context.Context, sel selection) (orb.Bound, error) {
	areas, err := s.levelAreas(ctx, sel, store.AreaQuery{})
	if err != nil {
		return orb.Bound{}, err
	}
	if len(areas) == 0 {
		return orb.Bound{}, errNotFound("no %s boundaries for %d", sel.level, sel.year)
	}
	b := areas[0].LonLatBound
	for _, a := range areas[1:] {
		b = b.Union(a.LonLatBound)
	}
	return b, nil
}

// tileJSONDoc is TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec).
type tileJSONDoc struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Version      string        `json:"version"`
	Attribution  string        `json:"attribution"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []vectorLayer `json:"vector_layers"`
	// BoundaryYears says, per level in the tiles, which boundary year its
	// areas are of: tile features do not carry it, it is the same for
	// every feature of a level.
	BoundaryYears map[catalog.Level]int `json:"boundary_years"`
	// Years are the value years the level has values in, each with its
	// boundary year: the years a client may ask for.
	Years []levelYearJSON `json:"years"`
	// Compare is the base year of a change map; absent otherwise.
	Compare int `json:"compare,omitempty"`
	// CompareBoundaryYears are the boundary years of the base year.
	CompareBoundaryYears map[catalog.Level]int `json:"compare_boundary_years,omitempty"`
}

type vectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// attribution is shown with every map.
const attribution = `Bron: <a href="https://www.cbs.nl/">CBS</a> / <a href="https://www.kadaster.nl/">Kadaster</a>`

func (s *Server) newTileJSON(r *http.Request, sel selection, b orb.Bound) tileJSONDoc {
	q := url.Values{"indicator": {sel.indicator.ID}, "group": {sel.group.ID}, "year": {strconv.Itoa(sel.year)}}
	compareQuery(sel, q)
	base := s.baseURL(r)
	title := fmt.Sprintf("%s — %s — %s %s", sel.indicator.NameNL, sel.group.NameNL, sel.level, yearText(sel))
	boundaryYears := sel.data.shownBoundaryYears(sel.level, sel.year)
	doc := tileJSONDoc{
		TileJSON:    "3.0.0",
		Name:        "wijkkaart: " + title,
		Description: tileJSONDescription(sel),
		Version:     "1.0.0",
		Attribution: attribution,
		Scheme:      "xyz",
		Tiles:       []string{fmt.Sprintf("%s/tiles/%s/{z}/{x}/{y}.mvt?%s", base, sel.level, q.Encode())},
		MinZoom:     int(zoomRange(sel.level).Min),
		MaxZoom:     int(zoomRange(sel.level).Max),
		Bounds:      [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]},
		Center:      [3]float64{b.Center()[0], b.Center()[1], 7},
		VectorLayers: []vectorLayer{{
			ID:          string(sel.level),
			Description: fmt.Sprintf("CBS %s %s with %s, on the boundaries of %s", sel.level, yearText(sel), sel.indicator.NameNL, boundaryText(boundaryYears)),
			MinZoom:     int(zoomRange(sel.level).Min),
			MaxZoom:     int(zoomRange(sel.level).Max),
			Fields:      tileFields(sel),
		}},
		BoundaryYears: boundaryYears,
		Years:         sel.data.levelsJSON()[valueLevel(sel.level)],
	}
	if sel.compare != 0 {
		doc.Compare = sel.compare
		doc.CompareBoundaryYears = sel.data.shownBoundaryYears(sel.level, sel.compare)
	}
	return doc
}

// yearText is the year of a selection as titles write it: "2024", or
// "2022–2024" for a change map.
func yearText(sel selection) string {
	if sel.compare != 0 {
		return fmt.Sprintf("%d–%d", sel.compare, sel.year)
	}
	return strconv.Itoa(sel.year)
}

// boundaryText writes boundary years per level: "wijk 2024, buurt 2019".
func boundaryText(years map[catalog.Level]int) string {
	var parts []string
	for _, l := range catalog.BoundaryLevels() {
		if y, ok := years[l]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", l, y))
		}
	}
	return strings.Join(parts, ", ")
}

// tileJSONDescription describes a choropleth and the disclosure rule its
// numbers were published under.
func tileJSONDescription(sel selection) string {
	d := fmt.Sprintf("%s per %s, herkomstgroep %s, %s.", sel.indicator.NameNL, sel.level, sel.group.NameNL, yearText(sel))
	if sel.compare != 0 {
		d += fmt.Sprintf(" Verandering sinds %d (change): verschil van de gepubliceerde waarden; alleen waar beide gepubliceerd zijn en het gebied in beide jaren dezelfde grenzen heeft (anders status not_comparable).", sel.compare)
	}
	if threshold, ok := sel.data.minObservations(sel.year, sel.indicator.ID); ok {
		d += fmt.Sprintf(" Waarden op minder dan %d waarnemingen zijn geheim (status suppressed).", threshold)
	}
	return d
}

// tileFields documents the feature properties of a choropleth layer.
func tileFields(sel selection) map[string]string {
	out := levelFields(sel.level)
	if sel.compare != 0 {
		out["status"] = "String: not_comparable (the area's boundaries changed since the base year), else suppressed, no_data or no_residents when either value is, else ok"
		out["change"] = fmt.Sprintf("Number: value − base_value in the indicator's unit (percentage points for a percentage), since %d; absent unless status is ok", sel.compare)
		out["base_value"] = fmt.Sprintf("Number: the published value of the same area in %d; absent unless comparable and published", sel.compare)
	}
	return out
}

// levelFields documents the feature properties of a map of values.
func levelFields(level catalog.Level) map[string]string {
	name := string(level)
	if level == catalog.Auto {
		name = "wijk- or buurt"
	}
	return map[string]string{
		"level":         "String: gemeente, wijk or buurt (the auto layer mixes wijken and buurten)",
		"code":          fmt.Sprintf("String: CBS %scode", name),
		"name":          fmt.Sprintf("String: %snaam", name),
		"gemeente_code": "String: CBS gemeentecode the area lies in",
		"gemeente_name": "String: name of that gemeente",
		"status":        "String: ok, suppressed (fewer observations than the disclosure threshold) or no_data",
		"value":         "Number: the value, rounded to the indicator's decimals; absent unless status is ok",
		"numerator":     "Number: count the value was computed from; absent unless status is ok and known",
		"denominator":   "Number: population the value was computed over; absent unless status is ok and known",
		"nl_value":      "Number: the value for Nederland for the same herkomstgroep; absent when not published",
		"provenance":    "String: cbs (real CBS figure) or demo (generated demo figure, not real data)",
	}
}

// baseURL is the URL this server is reached at, for links in TileJSON and
// styles.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
