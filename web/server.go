// Package web serves wijkkaart over HTTP: vector tiles, TileJSON, MapLibre
// styles, the JSON/CSV API and the map client. Every number it sends has
// passed disclosure control.
package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/tiles"
)

// Config is what a Server needs.
type Config struct {
	Store   store.Store
	Catalog *catalog.Catalog
	Policy  disclosure.Policy
	Logger  *slog.Logger
	// PublicURL is the URL clients reach the server at, such as
	// https://kaart.example.nl/wijkkaart. When empty, URLs in TileJSON
	// and styles are derived from each request.
	PublicURL string
	// Client holds the built map client; nil serves a message saying how
	// to build it.
	Client fs.FS
	// ClientErr says why Client is nil.
	ClientErr error
	// TileCacheEntries is how many encoded tiles are kept in memory; 0
	// keeps none, so that every tile is rendered (for benchmarks).
	TileCacheEntries int
}

// tileKey identifies one rendered tile in the cache.
type tileKey struct {
	level     catalog.Level
	year      int
	indicator string
	group     string
	tile      maptile.Tile
}

// Server is the wijkkaart HTTP server.
type Server struct {
	cfg     Config
	encoder tiles.Encoder
	cache   *tiles.Cache[tileKey]
	router  *mux.Router
	// disclosure holds what may be published, per indicator and year.
	disclosure disclosureTables
	// auto remembers which gemeenten the auto level shows as buurten.
	auto autoChoices
	// knownYears remembers the store's years: every request needs them
	// and only an import changes them.
	knownYears yearCache
}

// yearCache holds the store's years once it has some.
type yearCache struct {
	mu    sync.Mutex
	years []int
}

// years returns the years the store has data for, asking the store only
// until it has any and again after DataChanged. Callers must not modify
// the slice.
func (s *Server) years(ctx context.Context) ([]int, error) {
	c := &s.knownYears
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.years != nil {
		return c.years, nil
	}
	years, err := s.cfg.Store.Years(ctx)
	if err != nil || len(years) == 0 {
		return years, err
	}
	c.years = years
	return years, nil
}

// New returns a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Catalog == nil || cfg.Logger == nil {
		return nil, errors.New("web: config needs a store, a catalogue and a logger")
	}
	if cfg.Policy.MinObservations < 1 {
		return nil, errors.New("web: config needs a disclosure policy")
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	if cfg.Client == nil && cfg.ClientErr == nil {
		cfg.ClientErr = errors.New("no client files were given to the server")
	}
	var cache *tiles.Cache[tileKey]
	if cfg.TileCacheEntries > 0 {
		var err error
		if cache, err = tiles.NewCache[tileKey](cfg.TileCacheEntries); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	s := &Server{
		cfg:     cfg,
		encoder: tiles.DefaultEncoder(),
		cache:   cache,
	}
	s.router = s.routes()
	return s, nil
}

// zoomRange is the zooms tiles of a level are served at. Buurten start
// at z8: below that, the 13,000 buurten of the Netherlands are smaller
// than a pixel and would make tiles of megabytes.
func zoomRange(level catalog.Level) tiles.ZoomRange {
	// auto shows wijken below autoMinZoom, buurten from there.
	if level == catalog.Buurt {
		return tiles.ZoomRange{Min: 8, Max: 16}
	}
	return tiles.ZoomRange{Min: 0, Max: 16}
}

// Prepare makes the disclosure decisions of every indicator of the latest
// year ahead of the first requests, which would otherwise each wait for
// them. It stops at the first error, and when ctx ends.
func (s *Server) Prepare(ctx context.Context) error {
	years, err := s.years(ctx)
	if err != nil || len(years) == 0 {
		return err
	}
	for _, ind := range s.cfg.Catalog.Indicators {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := s.table(ctx, selection{indicator: ind, year: years[len(years)-1]}); err != nil {
			return err
		}
	}
	return nil
}

// DataChanged drops every cached tile, for when the store's data changed.
func (s *Server) DataChanged() {
	s.disclosure.purge()
	s.auto.purge()
	s.knownYears.mu.Lock()
	s.knownYears.years = nil
	s.knownYears.mu.Unlock()
	s.cache.Purge()
	s.cfg.Logger.Info("data changed; tile cache emptied")
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

func (s *Server) routes() *mux.Router {
	r := mux.NewRouter()
	r.Use(s.recoverPanics, s.logRequests, allowCrossOrigin)
	get := func(path string, h func(http.ResponseWriter, *http.Request) error) {
		r.Handle(path, s.handle(h)).Methods(http.MethodGet, http.MethodHead, http.MethodOptions)
	}
	get("/healthz", s.healthz)
	get("/tiles/{level}/{z}/{x}/{y}.mvt", s.tile)
	get("/tiles/{level}.json", s.tileJSON)
	get("/styles/{level}.json", s.style)
	get("/styles/{level}.qml", s.qml)
	get("/api/indicators", s.indicators)
	get("/api/groups", s.groups)
	get("/api/areas", s.areas)
	get("/api/values", s.values)
	get("/api/legend", s.legend)
	get("/api/download", s.download)
	s.ogcRoutes(get)
	s.pathTilesRoutes(get)
	r.PathPrefix("/").Handler(s.handle(s.client)).Methods(http.MethodGet, http.MethodHead)
	r.NotFoundHandler = s.handle(func(http.ResponseWriter, *http.Request) error {
		return errNotFound("no such resource; see the README for the API")
	})
	r.MethodNotAllowedHandler = s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &apiError{status: http.StatusMethodNotAllowed, msg: "method " + r.Method + " is not allowed; wijkkaart is read-only"}
	})
	return r
}
