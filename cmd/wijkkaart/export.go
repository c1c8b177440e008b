package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/export"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/web"
)

// tileFlags select tiles: indicators × groups × level × zooms over an
// area. Export and seed share them.
type tileFlags struct {
	indicators       string
	groups           string
	level            string
	year             int
	minZoom, maxZoom int
	gemeente         string
}

// addTileFlags adds the flags of tileFlags to fs.
func addTileFlags(fs *flag.FlagSet, f *tileFlags) {
	fs.StringVar(&f.indicators, "indicator", "", "indicators, comma-separated (required; see /api/indicators)")
	fs.StringVar(&f.groups, "group", catalog.TotaalGroup, "herkomstgroepen, comma-separated (see /api/groups)")
	fs.StringVar(&f.level, "level", string(catalog.Wijk), "level: gemeente, wijk, buurt or auto")
	fs.IntVar(&f.year, "year", 0, "year of the data (default: the latest)")
	fs.IntVar(&f.minZoom, "minzoom", 6, "lowest zoom")
	fs.IntVar(&f.maxZoom, "maxzoom", 12, "highest zoom (at most 16)")
	fs.StringVar(&f.gemeente, "gemeente", "", "only the tiles over this gemeente, such as GM0344 (default: all of Nederland)")
}

// exportFlags are the flags of wijkkaart export.
type exportFlags struct {
	tileFlags
	databaseURL     string
	cacheDir        string
	minObservations int
	out             string
}

func exportCommand(stdout, stderr io.Writer) *ffcli.Command {
	var f exportFlags
	fs := flag.NewFlagSet("wijkkaart export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	databaseFlag(fs, &f.databaseURL)
	policyFlag(fs, &f.minObservations)
	cacheDirFlag(fs, &f.cacheDir)
	addTileFlags(fs, &f.tileFlags)
	fs.StringVar(&f.out, "out", "", "path of the PMTiles archive to write (required)")
	return &ffcli.Command{
		Name:       "export",
		ShortUsage: "wijkkaart export --indicator ID,… [--group ID,…] [--level L] [--minzoom Z] [--maxzoom Z] [--gemeente GMxxxx] --out FILE.pmtiles",
		ShortHelp:  "Write the server's tiles of indicators × groups into a PMTiles archive for static hosting.",
		LongHelp: "Tiles are made by the server's own code from published numbers; each tile has one layer per\n" +
			"indicator and group, named indicator.group. Without --database-url the embedded demo data is used.",
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("WIJKKAART")},
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("%w: export takes no arguments, got %q", errUsage, args)
			}
			return runExport(ctx, f, stdout, stderr)
		},
	}
}

// check reads the flags that need no store, naming the flag at fault.
func (f exportFlags) check() (export.Options, error) {
	o, err := f.tileFlags.check()
	if err == nil && f.out == "" {
		err = fmt.Errorf("%w: --out: give the path of the archive to write, such as utrecht.pmtiles", errUsage)
	}
	return o, err
}

// check reads the flags that need no store or server, naming the flag at
// fault.
func (f tileFlags) check() (export.Options, error) {
	var o export.Options
	var err error
	if o.Level, err = catalog.ParseLevel(f.level); err != nil {
		return o, fmt.Errorf("%w: --level: %w", errUsage, err)
	}
	o.Indicators, o.Groups, o.Year = splitList(f.indicators), splitList(f.groups), f.year
	switch {
	case len(o.Indicators) == 0:
		return o, fmt.Errorf("%w: --indicator: give at least one indicator ID, such as pct_bijstand", errUsage)
	case f.minZoom < 0 || f.maxZoom > 16 || f.minZoom > f.maxZoom:
		return o, fmt.Errorf("%w: --minzoom %d and --maxzoom %d must satisfy 0 ≤ minzoom ≤ maxzoom ≤ 16", errUsage, f.minZoom, f.maxZoom)
	case f.year != 0 && (f.year < 1900 || f.year > 2200):
		return o, fmt.Errorf("%w: --year takes a year such as 2022, got %d", errUsage, f.year)
	}
	if f.gemeente != "" {
		if l, err := catalog.LevelOfCode(f.gemeente); err != nil || l != catalog.Gemeente {
			return o, fmt.Errorf("%w: --gemeente takes a CBS gemeente code such as GM0344, got %q", errUsage, f.gemeente)
		}
	}
	o.MinZoom, o.MaxZoom = maptile.Zoom(f.minZoom), maptile.Zoom(f.maxZoom)
	return o, nil
}

func runExport(ctx context.Context, f exportFlags, stdout, stderr io.Writer) error {
	o, err := f.check()
	if err != nil {
		return err
	}
	policy, err := disclosure.NewPolicy(f.minObservations)
	if err != nil {
		return fmt.Errorf("--min-observations: %w", err)
	}
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	if err := checkChoropleths(cat, o.Indicators, o.Groups); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// Export reads only; an owner's role may run it.
	st, _, err := openStore(ctx, serveConfig{databaseURL: f.databaseURL, cacheDir: f.cacheDir, allowWritableRole: true}, cat, policy, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	if o.Bound, err = exportBound(ctx, st, f.gemeente, f.year); err != nil {
		return err
	}
	// Every choropleth of a tile is asked for in turn: the shape cache
	// makes its areas' outlines read and clipped once for all of them.
	if o.Handler, err = web.New(web.Config{Store: st, Catalog: cat, Logger: logger, ShapeCacheBytes: exportShapeCacheBytes}); err != nil {
		return err
	}
	bar := newProgressBar(stderr, "export")
	o.Progress = bar.update
	start := time.Now()
	stats, err := writeOneVersion(ctx, st, f.out, o)
	bar.finish()
	if err != nil {
		return fmt.Errorf("export to %s: %w", f.out, err)
	}
	_, err = fmt.Fprintf(stdout, "wrote %s: %d tiles (%d distinct, %d empty left out), %.1f MB in %s\n", f.out,
		stats.Addressed, stats.Contents, stats.Empty, float64(stats.Bytes)/(1<<20), time.Since(start).Round(time.Millisecond))
	return err
}

// exportShapeCacheBytes bounds the shapes an export keeps: those of the
// tile it is at suffice, since it asks for each tile's choropleths in turn.
const exportShapeCacheBytes = 32 << 20

// writeOneVersion writes the archive and checks that every tile in it was
// made from one version of the published data: a publication that commits
// during the export would mix two, so the archive is removed and the
// export fails.
func writeOneVersion(ctx context.Context, st store.Store, out string, o export.Options) (export.Stats, error) {
	before, err := st.Version(ctx)
	if err != nil {
		return export.Stats{}, err
	}
	stats, err := export.Write(ctx, out, o)
	if err != nil {
		return stats, err
	}
	after, err := st.Version(ctx)
	if err == nil && after != before {
		err = fmt.Errorf("the published data changed (version %d → %d) during the export; run it again", before, after)
	}
	if err != nil {
		if rerr := os.Remove(out); rerr != nil {
			err = fmt.Errorf("%w (and removing %s: %w)", err, out, rerr)
		}
	}
	return stats, err
}

// checkChoropleths checks the indicators and groups against the
// catalogue, naming the flag at fault.
func checkChoropleths(cat *catalog.Catalog, indicators, groups []string) error {
	for _, id := range indicators {
		if _, ok := cat.Indicator(id); !ok {
			return fmt.Errorf("%w: --indicator: unknown indicator %q (wijkkaart serve lists them at /api/indicators)", errUsage, id)
		}
	}
	for _, id := range groups {
		if _, ok := cat.Group(id); !ok {
			return fmt.Errorf("%w: --group: unknown group %q (wijkkaart serve lists them at /api/groups)", errUsage, id)
		}
	}
	return nil
}

// exportBound is the WGS84 bound of the gemeente (code) or, without one,
// of all gemeenten, in year or the latest year.
func exportBound(ctx context.Context, st store.Store, code string, year int) (orb.Bound, error) {
	if year == 0 {
		years, err := st.Years(ctx)
		if err != nil {
			return orb.Bound{}, err
		}
		if len(years) == 0 {
			return orb.Bound{}, fmt.Errorf("the store holds no data yet; import boundaries and values first")
		}
		year = years[len(years)-1]
	}
	q := store.AreaQuery{Level: catalog.Gemeente, Year: year}
	if code != "" {
		q.Codes = []string{code}
	}
	areas, err := st.Areas(ctx, q)
	if err != nil {
		return orb.Bound{}, err
	}
	if len(areas) == 0 {
		if code != "" {
			return orb.Bound{}, fmt.Errorf("%w: --gemeente: no gemeente %s in %d", errUsage, code, year)
		}
		return orb.Bound{}, fmt.Errorf("%w: --year: no gemeenten in %d", errUsage, year)
	}
	b := areas[0].LonLatBound
	for _, a := range areas[1:] {
		b = b.Union(a.LonLatBound)
	}
	return b, nil
}
