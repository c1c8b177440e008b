package main

import (
	"context"

	"flag"
	"fmt"
	"io"
	"os"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store/postgis"
)

// databaseFlag adds --database-url (env DATABASE_URL) to fs.
func databaseFlag(fs *flag.FlagSet, url *string) {
	fs.StringVar(url, "database-url", os.Getenv("DATABASE_URL"), "PostgreSQL/PostGIS connection URL, e.g. postgres://user:password@localhost:5432/wijkkaart (env DATABASE_URL)")
}

// policyFlag adds --min-observations (env WIJKKAART_MIN_OBSERVATIONS) to
// fs: the disclosure threshold data is published with.
func policyFlag(fs *flag.FlagSet, minObservations *int) {
	fs.IntVar(minObservations, "min-observations", disclosure.DefaultMinObservations,
		"disclosure control: values based on fewer observations are suppressed when published (env WIJKKAART_MIN_OBSERVATIONS)")
}

// cacheDirFlag adds --cache-dir (env WIJKKAART_CACHE_DIR) to fs: where the
// published embedded demo is kept between runs of the same binary.
func cacheDirFlag(fs *flag.FlagSet, dir *string) {
	fs.StringVar(dir, "cache-dir", defaultCacheDir(), "directory the published embedded demo is kept in between runs; empty publishes it every time (env WIJKKAART_CACHE_DIR)")
}

func requireDatabase(url string) error {
	if url == "" {
		return fmt.Errorf("%w: no database: give --database-url or set DATABASE_URL", errUsage)
	}
	return nil
}

func migrateCommand(stdout, stderr io.Writer) *ffcli.Command {
	var url string
	fs := flag.NewFlagSet("wijkkaart migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	databaseFlag(fs, &url)
	return &ffcli.Command{
		Name:       "migrate",
		ShortUsage: "wijkkaart migrate --database-url URL",
		ShortHelp:  "Create or upgrade the PostGIS schema (needs a role that may create tables).",
		FlagSet:    fs,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("%w: migrate takes no arguments, got %q", errUsage, args)
			}
			if err := requireDatabase(url); err != nil {
				return err
			}
			pool, err := postgis.Connect(ctx, url)
			if err != nil {
				return err
			}
			defer pool.Close()
			applied, err := postgis.Migrate(ctx, pool)
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				_, err = fmt.Fprintf(stdout, "schema is up to date (version %d)\n", postgis.SchemaVersion())
				return err
			}
			_, err = fmt.Fprintf(stdout, "applied migrations %v; schema is at version %d\n", applied, postgis.SchemaVersion())
			return err
		},
	}
}
