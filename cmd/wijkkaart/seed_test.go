package main

import (
	"strings"
	"testing"
)

// TestSeedChecksFlags checks that seed names the flag at fault.
func TestSeedChecksFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--indicator", "pct_bijstand"}, "--url"},
		{[]string{"--indicator", "pct_bijstand", "--url", "localhost:8080"}, "--url must be an http or https URL"},
		{[]string{"--indicator", "pct_bijstand", "--url", "http://localhost:8080", "--concurrency", "0"}, "--concurrency"},
		{[]string{"--url", "http://localhost:8080"}, "--indicator"},
		{[]string{"--indicator", "pct_bijstand", "--url", "http://localhost:8080", "--maxzoom", "20"}, "--maxzoom 20"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			msg, err := runCLI(t, append([]string{"seed"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("seed: %v, want an error saying %q\n%s", err, tt.want, msg)
			}
		})
	}
}

// TestSeedWarmsCache seeds Utrecht's wijk tiles at z10–z12 into a running
// server and reads its /metrics: every tile is in its cache, and asking
// again finds them there.
func TestSeedWarmsCache(t *testing.T) {
	srv := newCachingServer(t, "", 64<<20, 0)
	args := []string{"seed", "--url", srv.URL, "--indicator", "pct_bijstand", "--group", "marokko,totaal",
		"--gemeente", "GM0344", "--minzoom", "10", "--maxzoom", "12"}
	msg, err := runCLI(t, args...)
	// 18 tile addresses over Utrecht at z10–z12 (see export.TestOptions), two groups.
	if err != nil || !strings.Contains(msg, "seeded 36 tiles") {
		t.Fatalf("seed: %v\n%s", err, msg)
	}
	if _, _, body := fetch(t, srv.URL, "/metrics"); !strings.Contains(string(body), "\nwijkkaart_tile_cache_tiles 36\n") {
		t.Fatalf("after seeding, /metrics says\n%s", grepLines(string(body), "wijkkaart_tile_cache"))
	}
	if msg, err := runCLI(t, args...); err != nil {
		t.Fatalf("seed again: %v\n%s", err, msg)
	}
	_, _, body := fetch(t, srv.URL, "/metrics")
	if !strings.Contains(string(body), "\nwijkkaart_tile_cache_hits_total 36\n") {
		t.Errorf("seeding again, /metrics says\n%s", grepLines(string(body), "wijkkaart_tile_cache"))
	}
	if _, err := runCLI(t, "seed", "--url", srv.URL, "--indicator", "pct_bijstand", "--gemeente", "GM9999"); err == nil ||
		!strings.Contains(err.Error(), "--gemeente") {
		t.Errorf("unknown gemeente: %v", err)
	}
}

// grepLines returns the lines of text that contain s.
func grepLines(text, s string) string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
