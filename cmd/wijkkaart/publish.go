package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/wijkkaart/wijkkaart/disclosure"
)

// publishFlags are the flags of wijkkaart publish.
type publishFlags struct {
	databaseURL     string
	minObservations int
	years           string
	indicators      string
}

func publishCommand(stdout, stderr io.Writer) *ffcli.Command {
	var f publishFlags
	fs := flag.NewFlagSet("wijkkaart publish", flag.ContinueOnError)
	fs.SetOutput(stderr)
	databaseFlag(fs, &f.databaseURL)
	policyFlag(fs, &f.minObservations)
	fs.StringVar(&f.years, "year", "", "publish these years only, comma-separated (default: every year)")
	fs.StringVar(&f.indicators, "indicator", "", "publish these indicators only, comma-separated (default: every indicator)")
	return &ffcli.Command{
		Name:       "publish",
		ShortUsage: "wijkkaart publish [--year Y,…] [--indicator ID,…] [--min-observations N]",
		ShortHelp:  "Apply disclosure control to the imported values and publish them for the server.",
		LongHelp: "Imports publish what they change; run publish again to change the disclosure threshold.\n" +
			"Servers switch to the new published numbers when the transaction commits.",
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("WIJKKAART")},
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("%w: publish takes no arguments, got %q", errUsage, args)
			}
			return publish(ctx, f, stdout)
		},
	}
}

func publish(ctx context.Context, f publishFlags, stdout io.Writer) error {
	policy, err := disclosure.NewPolicy(f.minObservations)
	if err != nil {
		return err
	}
	years, err := parseYears(f.years)
	if err != nil {
		return err
	}
	w, closeDB, err := openWriter(ctx, f.databaseURL)
	if err != nil {
		return err
	}
	defer closeDB()
	start := time.Now()
	stats, err := w.Publish(ctx, policy, years, splitList(f.indicators))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s with at least %d observations in %s\n", describePublication(stats),
		policy.MinObservations, time.Since(start).Round(time.Millisecond))
	return err
}

// parseYears reads a comma-separated list of years.
func parseYears(text string) ([]int, error) {
	var years []int
	for _, s := range splitList(text) {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 2200 {
			return nil, fmt.Errorf("%w: --year takes years such as 2022, got %q", errUsage, s)
		}
		years = append(years, y)
	}
	return years, nil
}

// splitList splits a comma-separated flag value, ignoring blanks.
func splitList(text string) []string {
	var out []string
	for _, s := range strings.Split(text, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
