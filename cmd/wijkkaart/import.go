package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/postgis"
	"github.com/wijkkaart/wijkkaart/values"
)

func importCommand(stdout, stderr io.Writer) *ffcli.Command {
	return &ffcli.Command{
		Name:       "import",
		ShortUsage: "wijkkaart import <boundaries|values|demo> [flags]",
		ShortHelp:  "Import boundaries and values into PostGIS (needs a role that may write).",
		FlagSet:    flag.NewFlagSet("wijkkaart import", flag.ContinueOnError),
		Subcommands: []*ffcli.Command{
			importBoundariesCommand(stdout, stderr),
			importValuesCommand(stdout, stderr),
			importDemoCommand(stdout, stderr),
		},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
}

// openWriter connects to url and returns a writer for this build's
// catalogue (Writer.Catalog).
func openWriter(ctx context.Context, url string) (*postgis.Writer, func(), error) {
	if err := requireDatabase(url); err != nil {
		return nil, nil, err
	}
	cat, err := catalog.Default()
	if err != nil {
		return nil, nil, err
	}
	pool, err := postgis.Connect(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	w, err := postgis.NewWriter(ctx, pool, cat)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return w, pool.Close, nil
}

// boundaryFlags are the flags of import boundaries.
type boundaryFlags struct {
	databaseURL  string
	year         int
	level        string
	codeProp     string
	nameProp     string
	gmCodeProp   string
	gmNameProp   string
	wijkCodeProp string
	includeWater bool
}

func importBoundariesCommand(stdout, stderr io.Writer) *ffcli.Command {
	var f boundaryFlags
	fs := flag.NewFlagSet("wijkkaart import boundaries", flag.ContinueOnError)
	fs.SetOutput(stderr)
	databaseFlag(fs, &f.databaseURL)
	fs.IntVar(&f.year, "year", 0, "boundary year of the file (required)")
	fs.StringVar(&f.level, "level", "", "GeoJSON only: level of the features, gemeente, wijk or buurt (GeoPackage layers name their level)")
	fs.StringVar(&f.codeProp, "code-property", "", "GeoJSON only: property with the CBS code (default gemeentecode, wijkcode or buurtcode by level)")
	fs.StringVar(&f.nameProp, "name-property", "", "GeoJSON only: property with the name (default gemeentenaam, wijknaam or buurtnaam by level)")
	fs.StringVar(&f.gmCodeProp, "gemeente-code-property", "gemeentecode", "GeoJSON only: property with the gemeente code")
	fs.StringVar(&f.gmNameProp, "gemeente-name-property", "gemeentenaam", "GeoJSON only: property with the gemeente name")
	fs.StringVar(&f.wijkCodeProp, "wijk-code-property", "wijkcode", "GeoJSON buurten only: property with the code of the wijk a buurt lies in")
	fs.BoolVar(&f.includeWater, "include-water", false, "GeoPackage only: also import water parts (water = JA)")
	return &ffcli.Command{
		Name:       "boundaries",
		ShortUsage: "wijkkaart import boundaries --year YYYY [--level LEVEL] FILE.gpkg|FILE.geojson ...",
		ShortHelp:  "Import a CBS Wijk- en buurtkaart GeoPackage or GeoJSON (e.g. from PDOK).",
		LongHelp: "Reads the CBS Wijk- en buurtkaart as CBS publishes it (GeoPackage with layers gemeenten, wijken,\n" +
			"buurten, EPSG:28992) or GeoJSON in WGS84 such as the PDOK OGC API returns, reprojects it, repairs\n" +
			"invalid geometries and replaces the boundaries of that year and level in one transaction.",
		FlagSet: fs,
		Exec: func(ctx context.Context, files []string) error {
			if f.year < 1900 || f.year > 2200 {
				return fmt.Errorf("%w: give the boundary year with --year", errUsage)
			}
			if len(files) == 0 {
				return fmt.Errorf("%w: name one or more files to import", errUsage)
			}
			var srcs []boundaries.Source
			for _, file := range files {
				s, err := readBoundaryFile(ctx, file, f, stderr)
				if err != nil {
					return err
				}
				srcs = append(srcs, s...)
			}
			w, closeDB, err := openWriter(ctx, f.databaseURL)
			if err != nil {
				return err
			}
			defer closeDB()
			return importBoundaries(ctx, w, f.year, srcs, stdout)
		},
	}
}

// readBoundaryFile reads a GeoPackage or GeoJSON file by its extension.
func readBoundaryFile(ctx context.Context, file string, f boundaryFlags, stderr io.Writer) ([]boundaries.Source, error) {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".gpkg":
		bar := newProgressBar(stderr, "reading "+filepath.Base(file))
		srcs, err := boundaries.ReadGeoPackage(ctx, file, boundaries.GeoPackageOptions{
			IncludeWater: f.includeWater,
			Progress:     bar.update,
		})
		bar.finish()
		return srcs, err
	case ".geojson", ".json":
		level, err := catalog.ParseBoundaryLevel(f.level)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: give the level of a GeoJSON file with --level: %w", errUsage, file, err)
		}
		in, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		src, err := boundaries.ReadGeoJSON(in, boundaries.GeoJSONOptions{
			Level:                level,
			CodeProperty:         orDefault(f.codeProp, string(level)+"code"),
			NameProperty:         orDefault(f.nameProp, string(level)+"naam"),
			GemeenteCodeProperty: f.gmCodeProp,
			GemeenteNameProperty: f.gmNameProp,
			WijkCodeProperty:     f.wijkCodeProp,
		})
		if err := errors.Join(err, in.Close()); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return []boundaries.Source{src}, nil
	default:
		return nil, fmt.Errorf("%w: %s: want a .gpkg or .geojson file", errUsage, file)
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func importBoundaries(ctx context.Context, w *postgis.Writer, year int, srcs []boundaries.Source, stdout io.Writer) error {
	start := time.Now()
	stats, err := w.ImportBoundaries(ctx, year, srcs)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "imported %d areas of %d (%d geometries repaired, %d areas removed) in %s\n",
		stats.Imported, year, stats.Repaired, stats.Removed, time.Since(start).Round(time.Millisecond))
	return err
}

func importValuesCommand(stdout, stderr io.Writer) *ffcli.Command {
	var url string
	var minObservations int
	fs := flag.NewFlagSet("wijkkaart import values", flag.ContinueOnError)
	fs.SetOutput(stderr)
	databaseFlag(fs, &url)
	policyFlag(fs, &minObservations)
	return &ffcli.Command{
		Name:       "values",
		ShortUsage: "wijkkaart import values FILE.csv",
		ShortHelp:  "Import indicator values from a long-format CSV (see values/FORMAT.md).",
		LongHelp: "Every row is checked against the catalogue and the boundaries of its year; every bad row is\n" +
			"reported with its line number, and nothing is imported unless the whole file is good. The file\n" +
			"replaces all values of each (year, level, indicator) it contains and publishes every (year, indicator)\n" +
			"it touches from all its levels, in one transaction.",
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("WIJKKAART")},
		Exec: func(ctx context.Context, files []string) error {
			if len(files) != 1 {
				return fmt.Errorf("%w: name one CSV file to import", errUsage)
			}
			policy, err := disclosure.NewPolicy(minObservations)
			if err != nil {
				return err
			}
			return importValuesFile(ctx, url, files[0], policy, stdout)
		},
	}
}

func importValuesFile(ctx context.Context, url, file string, policy disclosure.Policy, stdout io.Writer) error {
	w, closeDB, err := openWriter(ctx, url)
	if err != nil {
		return err
	}
	defer closeDB()
	known, err := w.AreaIndex(ctx)
	if err != nil {
		return err
	}
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	rows, err := values.Read(in, values.Options{Catalog: w.Catalog(), AreaExists: known})
	if err := errors.Join(err, in.Close()); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	start := time.Now()
	stats, err := w.ImportValues(ctx, func(yield func(store.Value) bool) {
		for _, r := range rows {
			if !yield(r.Value) {
				return
			}
		}
	}, policy)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	_, err = fmt.Fprintf(stdout, "imported %d values from %s (replacing %d) and %s in %s\n",
		stats.Imported, file, stats.Replaced, describePublication(stats.Published), time.Since(start).Round(time.Millisecond))
	return err
}

// describePublication says what a publication did, for the CLI.
func describePublication(s postgis.PublishStats) string {
	return fmt.Sprintf("published %d values of %d indicator-years (%d suppressed)", s.Values, s.Series, s.Suppressed)
}

func importDemoCommand(stdout, stderr io.Writer) *ffcli.Command {
	var url string
	var minObservations int
	fs := flag.NewFlagSet("wijkkaart import demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	databaseFlag(fs, &url)
	policyFlag(fs, &minObservations)
	return &ffcli.Command{
		Name:       "demo",
		ShortUsage: "wijkkaart import demo --database-url URL",
		ShortHelp:  "Import the embedded demo data (boundaries and values of " + fmt.Sprint(demo.FirstYear) + "–" + fmt.Sprint(demo.LatestYear) + ") in one step.",
		FlagSet:    fs,
		Options:    []ff.Option{ff.WithEnvVarPrefix("WIJKKAART")},
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("%w: import demo takes no arguments, got %q", errUsage, args)
			}
			policy, err := disclosure.NewPolicy(minObservations)
			if err != nil {
				return err
			}
			return importDemo(ctx, url, policy, stdout)
		},
	}
}

func importDemo(ctx context.Context, url string, policy disclosure.Policy, stdout io.Writer) error {
	w, closeDB, err := openWriter(ctx, url)
	if err != nil {
		return err
	}
	defer closeDB()
	ds, err := demo.Load(w.Catalog())
	if err != nil {
		return err
	}
	if err := importBoundaries(ctx, w, demo.BaseYear, ds.AllSources(), stdout); err != nil {
		return err
	}
	start := time.Now()
	stats, err := w.ImportValues(ctx, ds.AllValues(), policy)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "imported %d demo values and %s in %s\n", stats.Imported,
		describePublication(stats.Published), time.Since(start).Round(time.Millisecond))
	return err
}

// progressBar draws a progress bar on a terminal and nothing elsewhere,
// so that logs and CI output stay readable.
type progressBar struct {
	bar *progressbar.ProgressBar
	out io.Writer
	doc string
}

func newProgressBar(out io.Writer, description string) *progressBar {
	return &progressBar{out: out, doc: description}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// update is a boundaries.GeoPackageOptions.Progress function.
func (p *progressBar) update(done, total int) {
	if !isTerminal(p.out) {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.out),
			progressbar.OptionSetDescription(p.doc), progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond))
	}
	if err := p.bar.Set(done); err != nil {
		// The terminal went away: not worth failing the import for,
		// and not worth drawing to any more.
		p.out = io.Discard
	}
}

// finish completes the bar and ends its line; like drawing, it cannot fail
// the import.
func (p *progressBar) finish() {
	if p.bar == nil || p.out == io.Discard {
		return
	}
	if err := p.bar.Finish(); err == nil {
		fmt.Fprintln(p.out) //nolint:errcheck // see above
	}
}
