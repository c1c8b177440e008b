package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"
	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
	"golang.org/x/sync/errgroup"

	"github.com/wijkkaart/wijkkaart/export"
)

// seedFlags are the flags of wijkkaart seed.
type seedFlags struct {
	tileFlags
	url         string
	concurrency int
}

func seedCommand(stdout, stderr io.Writer) *ffcli.Command {
	var f seedFlags
	fs := flag.NewFlagSet("wijkkaart seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addTileFlags(fs, &f.tileFlags)
	fs.StringVar(&f.url, "url", "", "URL of the running server, or of the CDN in front of it, such as https://kaart.example.nl (required)")
	fs.IntVar(&f.concurrency, "concurrency", 4, "tiles asked at once")
	return &ffcli.Command{
		Name:       "seed",
		ShortUsage: "wijkkaart seed --url URL --indicator ID,… [--group ID,…] [--level L] [--minzoom Z] [--maxzoom Z] [--gemeente GMxxxx]",
		ShortHelp:  "Warm a running server's tile cache (and a CDN in front of it) by asking it for tiles.",
		LongHelp: "The tile cache belongs to each server process, so seed asks a running server over HTTP, as a\n" +
			"browser would (gzip accepted). Through a CDN it warms the CDN too. Seed after each publication.",
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("WIJKKAART")},
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("%w: seed takes no arguments, got %q", errUsage, args)
			}
			return runSeed(ctx, f, stdout, stderr)
		},
	}
}

// check reads the flags, naming the flag at fault.
func (f seedFlags) check() (export.Options, *url.URL, error) {
	o, err := f.tileFlags.check()
	if err != nil {
		return o, nil, err
	}
	u, err := url.Parse(strings.TrimSuffix(f.url, "/"))
	switch {
	case f.url == "":
		return o, nil, fmt.Errorf("%w: --url: give the server's URL, such as http://localhost:8080", errUsage)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return o, nil, fmt.Errorf("%w: --url must be an http or https URL, got %q", errUsage, f.url)
	case f.concurrency < 1 || f.concurrency > 64:
		return o, nil, fmt.Errorf("%w: --concurrency must be 1–64, got %d", errUsage, f.concurrency)
	}
	return o, u, nil
}

func runSeed(ctx context.Context, f seedFlags, stdout, stderr io.Writer) error {
	o, base, err := f.check()
	if err != nil {
		return err
	}
	s := seeder{client: &http.Client{Timeout: time.Minute}, base: base.String(), o: o}
	bound, err := s.bound(ctx, f.gemeente)
	if err != nil {
		return err
	}
	addrs, err := export.Tiles(bound, o.MinZoom, o.MaxZoom, 0)
	if err != nil {
		return fmt.Errorf("--minzoom/--maxzoom/--gemeente: %w", err)
	}
	groups := o.Groups
	total := len(addrs) * len(o.Indicators) * len(groups)
	bar := newProgressBar(stderr, "seed")
	var barMu sync.Mutex
	var done, bytes atomic.Int64
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(f.concurrency)
	for _, t := range addrs {
		for _, ind := range o.Indicators {
			for _, grp := range groups {
				g.Go(func() error {
					n, err := s.get(gctx, export.TilePath(o.Level, t, ind, grp, o.Year), nil)
					bytes.Add(n)
					barMu.Lock()
					bar.update(int(done.Add(1)), total)
					barMu.Unlock()
					return err
				})
			}
		}
	}
	err = g.Wait()
	bar.finish()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "seeded %d tiles from %s (%.1f MB compressed) in %s\n", total, base,
		float64(bytes.Load())/(1<<20), time.Since(start).Round(time.Millisecond))
	return err
}

// seeder asks a running server for tiles.
type seeder struct {
	client *http.Client
	base   string
	o      export.Options
}

// get asks the server for target, accepting gzip as a browser does, and
// reads the answer into v when v is not nil. It returns the bytes read, or
// an error with the server's message.
func (s seeder) get(ctx context.Context, target string, v any) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+target, nil)
	if err != nil {
		return 0, fmt.Errorf("--url: %w", err)
	}
	if v == nil {
		// Asked explicitly, so the transport leaves the body compressed.
		req.Header.Set("Accept-Encoding", "gzip")
	}
	res, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("--url: %w", err)
	}
	defer res.Body.Close() //nolint:errcheck // read to the end or failed; nothing to lose
	if res.StatusCode != http.StatusOK {
		var answer struct {
			Error string `json:"error"`
		}
		if err := json.NewDecoder(res.Body).Decode(&answer); err != nil || answer.Error == "" {
			answer.Error = res.Status
		}
		return 0, fmt.Errorf("%s: %d %s", target, res.StatusCode, answer.Error)
	}
	if v != nil {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			return 0, fmt.Errorf("%s: %w", target, err)
		}
		return 0, nil
	}
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return n, fmt.Errorf("%s: %w", target, err)
	}
	return n, nil
}

// bound is the WGS84 bound of the gemeente (code), or of the level's
// areas without one, as the server reports them.
func (s seeder) bound(ctx context.Context, code string) (orb.Bound, error) {
	q := url.Values{"indicator": {s.o.Indicators[0]}}
	if s.o.Year != 0 {
		q.Set("year", fmt.Sprint(s.o.Year))
	}
	var b [4]float64
	if code == "" {
		var doc struct {
			Bounds [4]float64 `json:"bounds"`
		}
		if _, err := s.get(ctx, fmt.Sprintf("/tiles/%s.json?%s", s.o.Level, q.Encode()), &doc); err != nil {
			return orb.Bound{}, err
		}
		b = doc.Bounds
	} else {
		q.Set("level", "gemeente")
		q.Set("gemeente", code)
		var doc struct {
			Values []struct {
				BBox [4]float64 `json:"bbox"`
			} `json:"values"`
		}
		if _, err := s.get(ctx, "/api/values?"+q.Encode(), &doc); err != nil {
			return orb.Bound{}, fmt.Errorf("--gemeente: %w", err)
		}
		if len(doc.Values) == 0 {
			return orb.Bound{}, errors.New("--gemeente: the server has no area " + code)
		}
		b = doc.Values[0].BBox
	}
	return orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}, nil
}
