package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
	"go.uber.org/zap/zapcore"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/postgis"
	"github.com/wijkkaart/wijkkaart/web"
)

// serveConfig holds the flags of wijkkaart serve.
type serveConfig struct {
	addr              string
	databaseURL       string
	publicURL         string
	allowedHosts      string
	frameAncestors    string
	basemapStyle      string
	minObservations   int
	tileCacheMB       int
	shapeCacheMB      int
	memoryLimitMB     int
	cacheDir          string
	logFormat         string
	requestTimeout    time.Duration
	queryTimeout      time.Duration
	shutdownTimeout   time.Duration
	expensiveSlots    int
	expensiveQueue    int
	expensiveWait     time.Duration
	allowWritableRole bool
}

// checkTimes checks the time limits fit together: a query within its
// request, every request within the shutdown's drain.
func (c serveConfig) checkTimes() error {
	switch {
	case c.requestTimeout <= 0 || c.queryTimeout <= 0:
		return errors.New("--request-timeout and --query-timeout must be positive")
	case c.queryTimeout > c.requestTimeout:
		return fmt.Errorf("--query-timeout (%v) must not exceed --request-timeout (%v)", c.queryTimeout, c.requestTimeout)
	case c.shutdownTimeout <= c.requestTimeout:
		return fmt.Errorf("--shutdown-timeout (%v) must exceed --request-timeout (%v), so that every request can finish", c.shutdownTimeout, c.requestTimeout)
	}
	return nil
}

func serveCommand(stdout, stderr io.Writer) *ffcli.Command {
	var cfg serveConfig
	fs := flag.NewFlagSet("wijkkaart serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", ":8080", "listen address HOST:PORT (env WIJKKAART_ADDR)")
	fs.StringVar(&cfg.databaseURL, "database-url", os.Getenv("DATABASE_URL"), "PostGIS connection URL; empty serves the embedded demo data (env DATABASE_URL)")
	fs.StringVar(&cfg.publicURL, "public-url", "", "URL clients reach the server at, for links in TileJSON and styles; empty derives it from each request (env WIJKKAART_PUBLIC_URL)")
	policyFlag(fs, &cfg.minObservations)
	fs.IntVar(&cfg.tileCacheMB, "tile-cache", 64, "megabytes of gzip-compressed tiles kept in memory; 0 renders every tile (env WIJKKAART_TILE_CACHE)")
	fs.IntVar(&cfg.shapeCacheMB, "shape-cache", 64, "megabytes of clipped area outlines kept in memory per tile, which every indicator, group and year on the same boundaries shares, so that their tiles are made without reading geometry; 0 keeps none (env WIJKKAART_SHAPE_CACHE)")
	cacheDirFlag(fs, &cfg.cacheDir)
	fs.IntVar(&cfg.memoryLimitMB, "memory-limit", 448, "soft memory limit in megabytes once serving (the Go runtime collects garbage harder near it); 0 leaves the runtime's default or GOMEMLIMIT (env WIJKKAART_MEMORY_LIMIT)")
	fs.StringVar(&cfg.basemapStyle, "basemap-style", "", "URL of a MapLibre style the map client draws under the choropleth, such as PDOK's BRT-Achtergrondkaart; its origin is allowed in the page's CSP; empty draws none, and the page requests nothing from elsewhere (env WIJKKAART_BASEMAP_STYLE)")
	fs.StringVar(&cfg.logFormat, "log-format", "text", "log format: text or json (env WIJKKAART_LOG_FORMAT)")
	addReliabilityFlags(fs, &cfg)
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

// addReliabilityFlags adds the flags that keep a server safe and up:
// trusted hosts, framing, time limits and limits on expensive work.
func addReliabilityFlags(fs *flag.FlagSet, cfg *serveConfig) {
	fs.StringVar(&cfg.allowedHosts, "allowed-hosts", "", "comma-separated Host headers to answer when --public-url is empty, such as kaart.example.nl or localhost:8080; others get 400; empty allows only localhost, 127.0.0.1 and [::1] (env WIJKKAART_ALLOWED_HOSTS)")
	fs.StringVar(&cfg.frameAncestors, "frame-ancestors", web.DefaultFrameAncestors, "who may show /embed in a frame: *, or origins such as https://www.utrecht.nl, comma-separated; / may only be framed by its own origin (env WIJKKAART_FRAME_ANCESTORS)")
	fs.DurationVar(&cfg.requestTimeout, "request-timeout", 10*time.Second, "budget of each request; when spent the answer is 503 (env WIJKKAART_REQUEST_TIMEOUT)")
	fs.DurationVar(&cfg.queryTimeout, "query-timeout", 5*time.Second, "deadline of each database query (env WIJKKAART_QUERY_TIMEOUT)")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 15*time.Second, "on SIGTERM, how long in-flight requests may take to finish; must exceed --request-timeout (env WIJKKAART_SHUTDOWN_TIMEOUT)")
	fs.IntVar(&cfg.expensiveSlots, "expensive-concurrency", max(1, runtime.GOMAXPROCS(0)/2), "expensive requests (uncached tiles to z7, /api/values without gemeente, /api/areas listings) run at once, by default half the CPUs so that cheap requests keep the rest; 0 means no limit (env WIJKKAART_EXPENSIVE_CONCURRENCY)")
	fs.IntVar(&cfg.expensiveQueue, "expensive-queue", 256, "expensive requests that may wait for a turn before the server answers 503 (env WIJKKAART_EXPENSIVE_QUEUE)")
	fs.DurationVar(&cfg.expensiveWait, "expensive-wait", 5*time.Second, "longest an expensive request waits for its turn (env WIJKKAART_EXPENSIVE_WAIT)")
	fs.BoolVar(&cfg.allowWritableRole, "allow-writable-role", false, "serve even when the database role may change data (env WIJKKAART_ALLOW_WRITABLE_ROLE)")
}

// webConfig turns the flags into the web server's configuration.
func (c serveConfig) webConfig() (web.Config, error) {
	wc := web.Config{
		PublicURL: c.publicURL, TileCacheBytes: int64(c.tileCacheMB) << 20, ShapeCacheBytes: int64(c.shapeCacheMB) << 20,
		RequestTimeout: c.requestTimeout, QueryTimeout: c.queryTimeout,
		ExpensiveSlots: c.expensiveSlots, ExpensiveQueue: c.expensiveQueue, ExpensiveWait: c.expensiveWait,
	}
	if err := c.checkTimes(); err != nil {
		return wc, err
	}
	var err error
	if wc.FrameAncestors, err = web.ParseFrameAncestors(c.frameAncestors); err != nil {
		return wc, fmt.Errorf("--frame-ancestors: %w", err)
	}
	if c.basemapStyle != "" {
		if wc.BasemapStyle, err = web.ParseBasemapStyle(c.basemapStyle); err != nil {
			return wc, fmt.Errorf("--basemap-style: %w", err)
		}
	}
	switch {
	case c.publicURL != "":
		if u, err := url.Parse(c.publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return wc, fmt.Errorf("--public-url must be an http or https URL, got %q", c.publicURL)
		}
	case c.allowedHosts != "":
		if wc.AllowedHosts, err = web.ParseAllowedHosts(c.allowedHosts); err != nil {
			return wc, fmt.Errorf("--allowed-hosts: %w", err)
		}
	default:
		wc.AllowedHosts = web.LoopbackHosts()
	}
	return wc, nil
}

// servingGCPercent is the garbage collector's GOGC once serving under a
// memory limit (unless GOGC is set): the limit bounds the heap, and below
// it collecting at five times the live heap instead of twice does less
// work per request — 8 to 12 % more cached tiles a second, for about
// 16 MB more memory with PostGIS.
const servingGCPercent = 400

// The access log's buffer: how much of it waits in memory, and for how
// long at most. Written unbuffered, its line was one more system call per
// request, a fifth of what a cached tile costs.
const (
	accessLogBuffer = 64 << 10
	accessLogFlush  = time.Second
)

// newAccessLogger returns the logger of the server's one line per request,
// writing to w through a buffer (as nginx's access_log buffer= does), and
// the function that writes what is buffered and stops the flushing.
func newAccessLogger(format string, w io.Writer) (*slog.Logger, func() error, error) {
	buffered := &zapcore.BufferedWriteSyncer{WS: zapcore.AddSync(w), Size: accessLogBuffer, FlushInterval: accessLogFlush}
	logger, err := newLogger(format, buffered)
	if err != nil {
		return nil, nil, err
	}
	return logger, buffered.Stop, nil
}

// newLogger returns a logger writing lines of format to w.
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
	accessLog, flushAccessLog, err := newAccessLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	// Runs last: after every request is answered and the store is closed.
	defer func() {
		if err := flushAccessLog(); err != nil {
			logger.Warn("writing the access log failed", "error", err)
		}
	}()
	wc, err := cfg.webConfig()
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
	if cfg.memoryLimitMB < 0 {
		return fmt.Errorf("--memory-limit must be 0 or a number of megabytes, got %d", cfg.memoryLimitMB)
	}
	if cfg.memoryLimitMB > 0 {
		// Set once the store is open: publishing the embedded demo on a
		// first start needs more, briefly, and should not be slowed.
		debug.SetMemoryLimit(int64(cfg.memoryLimitMB) << 20)
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(servingGCPercent)
		}
	}
	// Closed last: after every request has drained.
	defer func() {
		st.Close()
		logger.Info("store closed")
	}()
	wc.Client, wc.ClientErr = web.ClientFiles()
	if wc.ClientErr != nil {
		logger.Warn("map client not available; the API and tiles are served", "error", wc.ClientErr)
	}
	wc.Store, wc.Catalog, wc.Logger, wc.AccessLog = st, cat, logger, accessLog
	srv, err := web.New(wc)
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
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	return listenAndServe(ctx, ln, srv, srv.Drain, cfg.requestTimeout, cfg.shutdownTimeout, logger)
}

// openStore opens PostGIS when a database URL is given and the embedded
// demo data otherwise. For PostGIS it also returns a function that watches
// for imports.
func openStore(ctx context.Context, cfg serveConfig, cat *catalog.Catalog, policy disclosure.Policy, logger *slog.Logger) (store.Store, func(context.Context, func()), error) {
	if cfg.databaseURL != "" {
		return openPostGIS(ctx, cfg.databaseURL, cfg.allowWritableRole, logger)
	}
	st, err := embeddedDemo{cat: cat, policy: policy, cacheDir: cfg.cacheDir, logger: logger}.open(ctx)
	return st, nil, err
}

// openPostGIS opens the PostGIS store. It refuses a role that may change
// data unless allowWritable: a server only reads, and a hole in it must not
// become a way to change the figures.
func openPostGIS(ctx context.Context, url string, allowWritable bool, logger *slog.Logger) (store.Store, func(context.Context, func()), error) {
	st, err := postgis.Open(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	canWrite, err := st.CanWrite(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	switch {
	case canWrite && !allowWritable:
		st.Close()
		return nil, nil, errors.New("the database role may change data: serve as a login role in wijkkaart_reader, which can only read (see README), or pass --allow-writable-role")
	case canWrite:
		logger.WarnContext(ctx, "the server's database role may change data (--allow-writable-role); serve with a role in wijkkaart_reader, which can only read (see README)")
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

// listenAndServe serves on ln until ctx is cancelled, then shuts down
// gracefully: it calls drain (readiness fails), stops accepting, and
// waits up to shutdownTimeout for in-flight requests, which their
// requestTimeout budget bounds. It returns nil after a clean drain.
func listenAndServe(ctx context.Context, ln net.Listener, h http.Handler, drain func(), requestTimeout, shutdownTimeout time.Duration, logger *slog.Logger) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      max(60*time.Second, requestTimeout+10*time.Second),
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
	logger.Info("shutting down: finishing in-flight requests", "limit", shutdownTimeout)
	drain()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		if cerr := hs.Close(); cerr != nil {
			return fmt.Errorf("shutdown: %w (closing: %w)", err, cerr)
		}
		return fmt.Errorf("shutdown: requests still running after %v: %w", shutdownTimeout, err)
	}
	logger.Info("all requests answered")
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
