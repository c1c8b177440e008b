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

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/maptile"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/tiles"
)

// Config is what a Server needs.
type Config struct {
	Store   store.Store
	Catalog *catalog.Catalog
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
	// TileCacheBytes bounds the memory encoded tiles are kept in; 0 keeps
	// none, so that every tile is rendered (for benchmarks).
	TileCacheBytes int64
}

// tileKey identifies one rendered tile in the cache: the canonical
// request and the data version it was rendered from.
type tileKey struct {
	version   store.Version
	level     catalog.Level
	year      int
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
	cache   *tiles.Cache[tileKey]
	router  *mux.Router
	// data is the current version of the published data and what the
	// server keeps of it.
	data stateHolder
}

// New returns a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Catalog == nil || cfg.Logger == nil {
		return nil, errors.New("web: config needs a store, a catalogue and a logger")
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	if cfg.Client == nil && cfg.ClientErr == nil {
		cfg.ClientErr = errors.New("no client files were given to the server")
	}
	var cache *tiles.Cache[tileKey]
	if cfg.TileCacheBytes > 0 {
		var err error
		if cache, err = tiles.NewCache[tileKey](cfg.TileCacheBytes); err != nil {
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
	get("/api/indicators", s.indicators)
	get("/api/groups", s.groups)
	get("/api/areas", s.areas)
	get("/api/values", s.values)
	get("/api/legend", s.legend)
	r.PathPrefix("/").Handler(s.handle(s.client)).Methods(http.MethodGet, http.MethodHead)
	r.NotFoundHandler = s.handle(func(http.ResponseWriter, *http.Request) error {
		return errNotFound("no such resource; see the README for the API")
	})
	r.MethodNotAllowedHandler = s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &apiError{status: http.StatusMethodNotAllowed, msg: "method " + r.Method + " is not allowed; wijkkaart is read-only"}
	})
	return r
}
