package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/protomaps/go-pmtiles/pmtiles"
)

// TestExportChecksFlags checks that export names the flag at fault before
// it loads anything.
func TestExportChecksFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.pmtiles")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--out", out}, "--indicator"},
		{[]string{"--indicator", "pct_bijstand"}, "--out"},
		{[]string{"--indicator", "pct_bijstand", "--out", out, "--level", "provincie"}, "--level"},
		{[]string{"--indicator", "pct_bijstand", "--out", out, "--minzoom", "12", "--maxzoom", "10"}, "--minzoom 12 and --maxzoom 10"},
		{[]string{"--indicator", "pct_bijstand", "--out", out, "--maxzoom", "17"}, "--maxzoom 17"},
		{[]string{"--indicator", "pct_bijstand", "--out", out, "--gemeente", "WK034401"}, "--gemeente takes a CBS gemeente code"},
		{[]string{"--indicator", "pct_bijstand", "--out", out, "--year", "22"}, "--year"},
		{[]string{"--indicator", "pct_bijstand", "--out", out, "extra"}, "no arguments"},
		{[]string{"--indicator", "pct_bijstand,pct_nope", "--out", out}, `--indicator: unknown indicator "pct_nope"`},
		{[]string{"--indicator", "pct_bijstand", "--group", "nope", "--out", out}, `--group: unknown group "nope"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			msg, err := runCLI(t, append([]string{"export", "--cache-dir", t.TempDir()}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("export: %v, want an error saying %q\n%s", err, tt.want, msg)
			}
			if _, statErr := os.Stat(out); statErr == nil {
				t.Errorf("a failed export wrote %s", out)
			}
		})
	}
}

// TestExportUtrecht exports Utrecht's wijken at z10–z12 from the embedded
// demo data and reads the archive back with go-pmtiles.
func TestExportUtrecht(t *testing.T) {
	out := filepath.Join(t.TempDir(), "utrecht.pmtiles")
	msg, err := runCLI(t, "export", "--cache-dir", testCacheDir, "--indicator", "pct_bijstand", "--group", "marokko",
		"--gemeente", "GM0344", "--minzoom", "10", "--maxzoom", "12", "--out", out)
	if err != nil || !strings.Contains(msg, "wrote "+out) {
		t.Fatalf("export: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pmtiles.DeserializeHeader(data[:pmtiles.HeaderV3LenBytes])
	if err != nil || h.TileType != pmtiles.Mvt || h.MinZoom != 10 || h.MaxZoom != 12 || h.AddressedTilesCount == 0 {
		t.Fatalf("header %+v: %v", h, err)
	}
	entries := pmtiles.DeserializeEntries(bytes.NewBuffer(data[h.RootOffset:h.RootOffset+h.RootLength]), h.InternalCompression)
	e, ok := pmtiles.FindTile(entries, pmtiles.ZxyToID(12, 2106, 1350))
	if !ok || e.RunLength == 0 {
		t.Fatalf("no tile 12/2106/1350 over Utrecht (%d entries)", len(entries))
	}
	start := h.TileDataOffset + e.Offset
	layers, err := mvt.UnmarshalGzipped(data[start : start+uint64(e.Length)])
	if err != nil || len(layers) != 1 || layers[0].Name != "pct_bijstand.marokko" || len(layers[0].Features) == 0 {
		t.Fatalf("tile: %v, layers %v", err, layers)
	}
	matches, err := filepath.Glob(out + ".*")
	if err != nil || len(matches) > 0 {
		t.Errorf("temporary files left: %v %v", matches, err)
	}
}
