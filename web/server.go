// Package web serves wijkkaart over HTTP: vector tiles, TileJSON, MapLibre
// styles, the JSON/CSV API and the map client. Every number it sends has
// passed disclosure control.
package web

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/glyphs"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/tiles"
)

// Config is what a Server needs.
type Config struct {
	Store   store.Store
	Catalog *catalog.Catalog
	Logger  *slog.Logger
	// AccessLog takes the line logged for every request; nil logs them
	// with Logger.
	AccessLog *slog.Logger
	// PublicURL is the URL clients reach the server at, such as
	// https://kaart.example.nl/wijkkaart. When empty, URLs in TileJSON
	// and styles are derived from each request.
	PublicURL string
	// Client holds the built map client; nil serves a message saying how
	// to build it.
	Client fs.FS
	// ClientErr says why Client is nil.
	ClientErr error
	// TileCacheBytes bounds the memory tiles are kept in, counted in
	// gzip-compressed bytes as the cache keeps them; 0 keeps none, so
	// that every tile is rendered (for benchmarks).
	TileCacheBytes int64
	// ShapeCacheBytes bounds the memory the shapes of tiles are kept in
	// (see tiles.Shapes): the clipped outlines every choropleth of the
	// same areas and tile shares, so that a tile of another indicator,
	// group or year is made without reading geometry. 0 keeps none.
	ShapeCacheBytes int64
	// AllowedHosts are the Host headers the server answers to when
	// PublicURL is empty, such as "kaart.example.nl" (any port) or
	// "localhost:8080"; see ParseAllowedHosts. Any other Host gets a 400,
	// so that a client cannot put its own host into TileJSON and style
	// links. Empty allows any Host: only for tests and behind a proxy
	// that sets Host itself.
	AllowedHosts []string
	// FrameAncestors are the origins that may show /embed in a frame
	// (CSP frame-ancestors; see ParseFrameAncestors); empty allows any.
	// The full page at / may only be framed by its own origin.
	FrameAncestors []string
	// BasemapStyle is the URL of a MapLibre style the map client draws
	// under the choropleth, such as PDOK's BRT-Achtergrondkaart; see
	// ParseBasemapStyle. Its origin is added to the page's CSP. Empty
	// draws none: the page then requests nothing from another origin.
	BasemapStyle string
	// RequestTimeout is each request's budget; when it is spent the
	// request gets a 503. 0 means no budget.
	RequestTimeout time.Duration
	// QueryTimeout is the deadline of each store call; 0 means none
	// beyond the request's budget.
	QueryTimeout time.Duration
	// ExpensiveSlots is how many expensive requests (uncached tiles up to
	// z7, /api/values for all of Nederland, /api/areas listings) run at
	// once; 0 means no limit.
	ExpensiveSlots int
	// ExpensiveQueue is how many more expensive requests may wait, each
	// for at most ExpensiveWait, before the server answers 503.
	ExpensiveQueue int
	// ExpensiveWait is the longest an expensive request waits for a slot.
	ExpensiveWait time.Duration
}

// tileKey identifies one rendered tile in the cache: the canonical
// request and the data version it was rendered from.
type tileKey struct {
	version store.Version
	level   catalog.Level
	year    int
	// compare is the base year of a change map, 0 for a map of values.
	compare   int
	indicator string
	group     string
	tile      maptile.Tile
}

// Server is the wijkkaart HTTP server. It holds no published numbers
// beyond its tile cache: every answer is read from the store, so its
// memory and start-up do not grow with the data.
type Server struct {
	cfg     Config
	encoder tiles.Encoder
	cache   *tiles.Cache[tileKey, cachedTile]
	// shapes keeps the shapes tiles are made of; nil keeps none.
	shapes *tiles.Cache[shapeKey, tileAreas]
	router *mux.Router
	// handler is the router inside the middleware every request passes.
	handler http.Handler
	// expensive bounds the expensive work running at once.
	expensive *limiter
	// draining is set when the server is shutting down: /readyz fails so
	// that load balancers send no more requests.
	draining atomic.Bool
	// data is the current version of the published data and what the
	// server keeps of it.
	data stateHolder
	// gunzippers are gzip readers reused to decompress cached tiles for
	// clients that do not accept gzip.
	gunzippers sync.Pool
	// tileHeaders are the header values of every tile answer.
	tileHeaders tileHeaders
	// gzippers are gzip writers reused to compress rendered tiles, since
	// a new one costs more than compressing a small tile.
	gzippers sync.Pool
	// metrics counts requests and reads the cache and pool for /metrics.
	metrics *metrics
	// glyphs renders and keeps the glyph ranges of the labels' fonts.
	glyphs *glyphs.Set
}

// New returns a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Catalog == nil || cfg.Logger == nil {
		return nil, errors.New("web: config needs a store, a catalogue and a logger")
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	if cfg.AccessLog == nil {
		cfg.AccessLog = cfg.Logger
	}
	if cfg.Client == nil && cfg.ClientErr == nil {
		cfg.ClientErr = errors.New("no client files were given to the server")
	}
	var cache *tiles.Cache[tileKey, cachedTile]
	if cfg.TileCacheBytes > 0 {
		var err error
		if cache, err = tiles.NewCache[tileKey](cfg.TileCacheBytes, tileCacheSize); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	var shapes *tiles.Cache[shapeKey, tileAreas]
	if cfg.ShapeCacheBytes > 0 {
		var err error
		if shapes, err = tiles.NewCache[shapeKey](cfg.ShapeCacheBytes, tileAreas.size); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	cfg.Store = withQueryTimeout(cfg.Store, cfg.QueryTimeout)
	fonts, err := glyphs.New()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &Server{
		glyphs:      fonts,
		cfg:         cfg,
		encoder:     tiles.DefaultEncoder(),
		cache:       cache,
		shapes:      shapes,
		tileHeaders: newTileHeaders(),
		expensive:   newLimiter(cfg.ExpensiveSlots, cfg.ExpensiveQueue, cfg.ExpensiveWait),
	}
	s.metrics = s.newMetrics()
	s.router = s.routes()
	s.handler = s.middleware(s.router)
	return s, nil
}

// zoomRange is the zooms tiles of a level are served at. Buurten start
// at z9 (autoMinZoom): below that, most of the 13,000 buurten of the
// Netherlands are a pixel or two wide and the largest tile nears 500 KB.
func zoomRange(level catalog.Level) tiles.ZoomRange {
	// auto shows wijken below autoMinZoom, buurten from there.
	if level == catalog.Buurt {
		return tiles.ZoomRange{Min: autoMinZoom, Max: 16}
	}
	return tiles.ZoomRange{Min: 0, Max: 16}
}

// Drain makes /readyz answer 503 from now on, for a server that is
// shutting down and finishing the requests it has.
func (s *Server) Drain() { s.draining.Store(true) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// middleware wraps the router in what every request passes. The list is
// innermost first, so a request meets them in reverse: every request is
// counted for /metrics, panics become 500s, every request is logged, every
// error answer is made JSON, headers are set, the Host is checked,
// malformed requests are refused, and the request gets its time budget.
func (s *Server) middleware(h http.Handler) http.Handler {
	for _, m := range []func(http.Handler) http.Handler{
		s.limitRequestTime, s.rejectMalformed, s.checkHost, allowCrossOrigin, s.securityHeaders,
		jsonErrors, s.logRequests, s.recoverPanics, s.countRequests,
	} {
		h = m(h)
	}
	return h
}

// How long browsers and proxies may keep answers. Data changes only with
// an import, but then users should see it within minutes.
const (
	catalogMaxAge = 10 * time.Minute
	dataMaxAge    = 5 * time.Minute
)

func (s *Server) routes() *mux.Router {
	r := mux.NewRouter()
	get := func(path string, maxAge time.Duration, h func(http.ResponseWriter, *http.Request) error) {
		r.Handle(path, cacheFor(maxAge, s.handle(h))).Methods(http.MethodGet, http.MethodHead, http.MethodOptions)
	}
	// Tiles first: routes are matched in order, and most requests are
	// for tiles.
	get("/tiles/{level}/{z}/{x}/{y}.mvt", dataMaxAge, s.tile)
	get("/healthz", 0, s.healthz)
	get("/readyz", 0, s.readyz)
	r.Handle("/metrics", cacheFor(0, s.metrics.handler())).Methods(http.MethodGet, http.MethodHead)
	get("/tiles/{level}.json", dataMaxAge, withETag(s.tileJSON))
	get("/styles/{level}.json", dataMaxAge, withETag(s.style))
	get("/styles/{level}.qml", dataMaxAge, s.qml)
	get(GlyphsPath, fontMaxAge, withETag(s.glyphRange))
	get("/api/indicators", catalogMaxAge, s.indicators)
	get("/api/groups", catalogMaxAge, s.groups)
	get("/api/areas", dataMaxAge, s.limited(largeAreas, s.areas))
	get("/api/values", dataMaxAge, s.limited(largeValues, s.values))
	get("/api/legend", dataMaxAge, s.legend)
	get("/api/series", dataMaxAge, s.series)
	get(LabelsPath, dataMaxAge, s.limited(largeValues, withETag(s.labels)))
	get("/api/download", dataMaxAge, s.limited(largeValues, s.download))
	getData := func(path string, h func(http.ResponseWriter, *http.Request) error) { get(path, dataMaxAge, h) }
	s.ogcRoutes(getData)
	s.pathTilesRoutes(getData)
	r.Handle("/embed", s.handle(s.embed)).Methods(http.MethodGet, http.MethodHead)
	r.PathPrefix("/").Handler(s.handle(s.client)).Methods(http.MethodGet, http.MethodHead)
	r.Use(nameRoute)
	r.NotFoundHandler = s.handle(func(http.ResponseWriter, *http.Request) error {
		return errNotFound("no such resource; see the README for the API")
	})
	r.MethodNotAllowedHandler = s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &apiError{status: http.StatusMethodNotAllowed, msg: "method " + r.Method + " is not allowed; wijkkaart is read-only"}
	})
	return r
}
