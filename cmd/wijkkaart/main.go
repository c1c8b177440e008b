// Command wijkkaart serves choropleth vector tiles, styles and a map client
// for CBS statistics on kansengelijkheid en inclusie, split by herkomstgroep.
//
// Usage:
//
//	wijkkaart serve [flags]               serve the map, tiles and API
//	wijkkaart migrate                     create or upgrade the PostGIS schema
//	wijkkaart import boundaries FILE...   import CBS boundaries (GeoPackage, GeoJSON)
//	wijkkaart import values FILE.csv      import indicator values
//	wijkkaart import demo                 import and publish the embedded demo data
//	wijkkaart publish                     publish imported values (disclosure control)
//	wijkkaart export --indicator ID --out F.pmtiles   write tiles into a PMTiles archive
//	wijkkaart seed --url URL --indicator ID   warm a running server's tile cache
//	wijkkaart demo export --dir DIR       write the demo data as files to import
//	wijkkaart version                     print the version
//
// Run a subcommand with -h for its flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/peterbourgon/ff/v3/ffcli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "wijkkaart:", err)
		os.Exit(1)
	}
}

// errUsage is returned after the usage text has been printed.
var errUsage = errors.New("usage")

// run parses args and runs the subcommand they name.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := &ffcli.Command{
		Name:       "wijkkaart",
		ShortUsage: "wijkkaart <subcommand> [flags]",
		ShortHelp:  "Choropleth maps of CBS statistics per wijk and herkomstgroep.",
		FlagSet:    flag.NewFlagSet("wijkkaart", flag.ContinueOnError),
		Subcommands: []*ffcli.Command{
			serveCommand(stdout, stderr),
			migrateCommand(stdout, stderr),
			importCommand(stdout, stderr),
			publishCommand(stdout, stderr),
			exportCommand(stdout, stderr),
			seedCommand(stdout, stderr),
			demoCommand(stdout, stderr),
			versionCommand(stdout),
		},
		Exec: func(context.Context, []string) error {
			return flag.ErrHelp
		},
	}
	root.FlagSet.SetOutput(stderr)
	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	err := root.Run(ctx)
	if errors.Is(err, flag.ErrHelp) {
		if _, printErr := fmt.Fprintln(stderr, ffcli.DefaultUsageFunc(root)); printErr != nil {
			return errors.Join(err, printErr)
		}
	}
	return err
}

func versionCommand(stdout io.Writer) *ffcli.Command {
	return &ffcli.Command{
		Name:       "version",
		ShortUsage: "wijkkaart version",
		ShortHelp:  "Print the version.",
		Exec: func(context.Context, []string) error {
			_, err := fmt.Fprintln(stdout, "wijkkaart", version)
			return err
		},
	}
}
