package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/paulmach/orb/geojson"
	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/values"
)

func demoCommand(stdout, stderr io.Writer) *ffcli.Command {
	return &ffcli.Command{
		Name:        "demo",
		ShortUsage:  "wijkkaart demo <export|publish> [flags]",
		ShortHelp:   "Work with the embedded demo data.",
		FlagSet:     flag.NewFlagSet("wijkkaart demo", flag.ContinueOnError),
		Subcommands: []*ffcli.Command{demoExportCommand(stdout, stderr), demoPublishCommand(stderr)},
		Exec:        func(context.Context, []string) error { return flag.ErrHelp },
	}
}

// demoPublishCommand publishes the embedded demo into the cache directory,
// as the first `serve` without a database does, so that servers started
// later (by tests, by a deployment) start at once.
func demoPublishCommand(stderr io.Writer) *ffcli.Command {
	var cfg serveConfig
	fs := flag.NewFlagSet("wijkkaart demo publish", flag.ContinueOnError)
	fs.SetOutput(stderr)
	policyFlag(fs, &cfg.minObservations)
	cacheDirFlag(fs, &cfg.cacheDir)
	return &ffcli.Command{
		Name:       "publish",
		ShortUsage: "wijkkaart demo publish [--cache-dir DIR] [--min-observations N]",
		ShortHelp:  "Publish the embedded demo data into the cache directory, unless this binary did already.",
		FlagSet:    fs,
		Options:    []ff.Option{ff.WithEnvVarPrefix("WIJKKAART")},
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("%w: demo publish takes no arguments, got %q", errUsage, args)
			}
			if cfg.cacheDir == "" {
				return fmt.Errorf("%w: give the directory to keep the published demo in with --cache-dir", errUsage)
			}
			policy, err := disclosure.NewPolicy(cfg.minObservations)
			if err != nil {
				return err
			}
			cat, err := catalog.Default()
			if err != nil {
				return err
			}
			_, err = embeddedDemo{cat: cat, policy: policy, cacheDir: cfg.cacheDir, logger: slog.New(slog.NewTextHandler(stderr, nil))}.open(ctx)
			return err
		},
	}
}

func demoExportCommand(stdout, stderr io.Writer) *ffcli.Command {
	var dir string
	fs := flag.NewFlagSet("wijkkaart demo export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&dir, "dir", "", "directory to write the files to (created if missing)")
	return &ffcli.Command{
		Name:       "export",
		ShortUsage: "wijkkaart demo export --dir DIR",
		ShortHelp:  "Write the embedded demo data as files `wijkkaart import boundaries` and `import values` read.",
		LongHelp: "Writes gemeenten_YYYY.geojson, wijken_YYYY.geojson and buurten_YYYY.geojson (WGS84, with the CBS\n" +
			"property names gemeentecode, gemeentenaam, wijkcode, wijknaam, buurtcode, buurtnaam), and\n" +
			"values_YYYY.csv (one per value year) and values_buurten_YYYY.csv (see values/FORMAT.md).",
		FlagSet: fs,
		Exec: func(ctx context.Context, args []string) error {
			if dir == "" || len(args) > 0 {
				return fmt.Errorf("%w: give the directory with --dir", errUsage)
			}
			return exportDemo(dir, stdout)
		},
	}
}

func exportDemo(dir string, stdout io.Writer) error {
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	ds, err := demo.Load(cat)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, set := range ds.BoundarySets() {
		for _, src := range set.Sources {
			name := filepath.Join(dir, fmt.Sprintf("%s_%d.geojson", layerName(src.Level), set.Year))
			if err := writeFile(name, func(w io.Writer) error { return writeBoundaries(w, src) }); err != nil {
				return err
			}
			if _, err := fmt.Fprintln(stdout, "wrote", name); err != nil {
				return err
			}
		}
	}
	type file struct {
		name string
		vals iter.Seq[store.Value]
	}
	var files []file
	for _, y := range demo.Years() {
		files = append(files, file{fmt.Sprintf("values_%d.csv", y), ds.Values(y)})
	}
	files = append(files, file{fmt.Sprintf("values_buurten_%d.csv", demo.BaseYear), ds.BuurtValues()})
	for _, f := range files {
		name := filepath.Join(dir, f.name)
		if err := writeFile(name, func(w io.Writer) error { return writeValues(w, f.vals) }); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(stdout, "wrote", name); err != nil {
			return err
		}
	}
	return nil
}

func writeValues(w io.Writer, vals iter.Seq[store.Value]) error {
	vw := values.NewWriter(w)
	for v := range vals {
		if err := vw.Write(v); err != nil {
			return err
		}
	}
	return vw.Flush()
}

// layerName is the plural CBS uses for the layer of a level: gemeenten,
// wijken, buurten.
func layerName(l catalog.Level) string {
	if l == catalog.Gemeente {
		return "gemeenten"
	}
	return string(l) + "en"
}

// writeFile writes a file through a buffer and reports every error,
// closing included.
func writeFile(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	buf := bufio.NewWriter(f)
	if err := write(buf); err != nil {
		return errors.Join(fmt.Errorf("%s: %w", name, err), f.Close())
	}
	if err := buf.Flush(); err != nil {
		return errors.Join(fmt.Errorf("%s: %w", name, err), f.Close())
	}
	return f.Close()
}

// writeBoundaries writes a WGS84 source as GeoJSON with the property names
// CBS and PDOK use, which are import boundaries' defaults.
func writeBoundaries(w io.Writer, src boundaries.Source) error {
	fc := geojson.NewFeatureCollection()
	for _, f := range src.Features {
		gf := geojson.NewFeature(f.Geometry)
		gf.Properties = geojson.Properties{string(src.Level) + "code": f.Code, string(src.Level) + "naam": f.Name}
		if src.Level != catalog.Gemeente {
			gf.Properties["gemeentecode"] = f.GemeenteCode
			gf.Properties["gemeentenaam"] = f.GemeenteName
		}
		if src.Level == catalog.Buurt {
			gf.Properties["wijkcode"] = f.WijkCode
		}
		fc.Append(gf)
	}
	return json.NewEncoder(w).Encode(fc)
}
