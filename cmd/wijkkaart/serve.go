package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/postgis"
	"github.com/wijkkaart/wijkkaart/web"
)

// serveConfig holds the flags of wijkkaart serve.
type serveConfig struct {
	addr            string
	databaseURL     string
	publicURL       string
	minObservations int
	tileCacheMB     int
	cacheDir        string
	logFormat       string
}

func serveCommand(stdout, stderr io.Writer) *ffcli.Command {
	var cfg serveConfig
	fs := flag.NewFlagSet("wijkkaart serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", ":8080", "listen address HOST:PORT (env WIJKKAART_ADDR)")
	fs.StringVar(&cfg.databaseURL, "database-url", os.Getenv("DATABASE_URL"), "PostGIS connection URL; empty serves the embedded demo data (env DATABASE_URL)")
	fs.StringVar(&cfg.publicURL, "public-url", "", "URL clients reach the server at, for links in TileJSON and styles; empty derives it from each request (env WIJKKAART_PUBLIC_URL)")
	policyFlag(fs, &cfg.minObservations)
	fs.IntVar(&cfg.tileCacheMB, "tile-cache", 64, "megabytes of encoded tiles kept in memory; 0 renders every tile (env WIJKKAART_TILE_CACHE)")
	fs.StringVar(&cfg.cacheDir, "cache-dir", defaultCacheDir(), "directory the published embedded demo is kept in between starts; empty publishes it at every start (env WIJKKAART_CACHE_DIR)")
	fs.StringVar(&cfg.logFormat, "log-format", "text", "log format: text or json (env WIJKKAART_LOG_FORMAT)")
	return &ffcli.Command{
		Name:       "serve",
		ShortUsage: "wijkkaart serve [flags]",
		ShortHelp:  "Serve the map client, vector tiles, TileJSON, styles and the API.",
		FlagSet:    fs,
		Options:    []ff.Option{ff.WithEnvVarPrefix("WIJKKAART")},
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, args)
			}
			return serve(ctx, cfg, stderr)
		},
	}
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	default:
		return nil, fmt.Errorf("--log-format must be text or json, got %q", format)
	}
}

func serve(ctx context.Context, cfg serveConfig, stderr io.Writer) error {
	logger, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	policy, err := disclosure.NewPolicy(cfg.minObservations)
	if err != nil {
		return err
	}
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	st, watch, err := openStore(ctx, cfg, cat, policy, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	client, clientErr := web.ClientFiles()
	if clientErr != nil {
		logger.Warn("map client not available; the API and tiles are served", "error", clientErr)
	}
	srv, err := web.New(web.Config{
		Store: st, Catalog: cat, Logger: logger, PublicURL: cfg.publicURL,
		Client: client, ClientErr: clientErr, TileCacheBytes: int64(cfg.tileCacheMB) << 20,
	})
	if err != nil {
		return err
	}
	if watch != nil {
		go watch(ctx, func() {
			if _, err := srv.Refresh(ctx); err != nil && ctx.Err() == nil {
				logger.WarnContext(ctx, "reading the data version failed", "error", err)
			}
		})
	}
	return listenAndServe(ctx, cfg.addr, srv, logger)
}

// openStore opens PostGIS when a database URL is given and the embedded
// demo data otherwise. For PostGIS it also returns a function that watches
// for imports.
func openStore(ctx context.Context, cfg serveConfig, cat *catalog.Catalog, policy disclosure.Policy, logger *slog.Logger) (store.Store, func(context.Context, func()), error) {
	if cfg.databaseURL != "" {
		return openPostGIS(ctx, cfg.databaseURL, logger)
	}
	st, err := embeddedDemo{cat: cat, policy: policy, cacheDir: cfg.cacheDir, logger: logger}.open(ctx)
	return st, nil, err
}

func openPostGIS(ctx context.Context, url string, logger *slog.Logger) (store.Store, func(context.Context, func()), error) {
	st, err := postgis.Open(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	canWrite, err := st.CanWrite(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	if canWrite {
		logger.WarnContext(ctx, "the server's database role may change data; serve with a role in wijkkaart_reader, which can only read (see README)")
	}
	logger.InfoContext(ctx, "serving from PostGIS", "schema_version", postgis.SchemaVersion())
	watch := func(ctx context.Context, changed func()) {
		err := st.Watch(ctx, changed, func(err error) {
			logger.WarnContext(ctx, "not watching for publications; will retry", "error", err)
		})
		logger.DebugContext(ctx, "stopped watching for publications", "reason", err)
	}
	return st, watch, nil
}

// listenAndServe serves until ctx is cancelled, then shuts down gracefully.
func listenAndServe(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.InfoContext(ctx, "listening", "addr", ln.Addr().String(), "url", "http://"+displayAddr(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		if ok {
			return fmt.Sprintf("localhost:%d", tcp.Port)
		}
		return a.String()
	}
	return a.String()
}
