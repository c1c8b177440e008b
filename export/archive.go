package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/paulmach/orb/maptile"
	"github.com/protomaps/go-pmtiles/pmtiles"
	"golang.org/x/sync/errgroup"
)

// Stats says what an export wrote.
type Stats struct {
	// Addressed is the number of tile addresses with a tile; Contents
	// the number of different tiles stored (equal tiles are stored once).
	Addressed, Contents int
	// Empty is the number of tile addresses without any area, left out.
	Empty int
	// Bytes is the size of the archive.
	Bytes int64
}

// Write exports the tiles o selects into a PMTiles archive at path. The
// archive is written next to path and renamed into place when complete,
// so that a failed export leaves no partial file.
func Write(ctx context.Context, path string, o Options) (Stats, error) {
	if err := o.check(); err != nil {
		return Stats{}, err
	}
	meta, err := metadata(ctx, o)
	if err != nil {
		return Stats{}, err
	}
	addrs, err := o.tileAddresses()
	if err != nil {
		return Stats{}, err
	}
	// Tiles in the archive's order: a clustered archive stores them by
	// tile ID (Hilbert order per zoom).
	slices.SortFunc(addrs, func(a, b maptile.Tile) int {
		return cmpUint64(tileID(a), tileID(b))
	})
	data, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tiles-*")
	if err != nil {
		return Stats{}, fmt.Errorf("export: %w", err)
	}
	stats, err := writeArchive(ctx, path, data, o, addrs, meta)
	// The tile data has been copied into the archive or is abandoned;
	// either way the temporary file goes.
	if rerr := os.Remove(data.Name()); rerr != nil && err == nil {
		err = fmt.Errorf("export: %w", rerr)
	}
	return stats, err
}

// writeArchive writes the tiles to data, closes it, and assembles the
// archive at path from it.
func writeArchive(ctx context.Context, path string, data *os.File, o Options, addrs []maptile.Tile, meta map[string]any) (Stats, error) {
	entries, stats, err := writeTiles(ctx, data, o, addrs)
	if cerr := data.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("export: %w", cerr)
	}
	if err != nil {
		return stats, err
	}
	stats.Bytes, err = assemble(path, data.Name(), entries, header(o, stats), meta)
	return stats, err
}

func cmpUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func tileID(t maptile.Tile) uint64 { return pmtiles.ZxyToID(uint8(t.Z), t.X, t.Y) }

// tileWriter appends tiles to the tile data section, storing equal tiles
// once and running consecutive equal tiles together in one entry.
type tileWriter struct {
	w       io.Writer
	offset  uint64
	seen    map[[sha256.Size]byte]pmtiles.EntryV3
	entries []pmtiles.EntryV3
	stats   Stats
}

func (tw *tileWriter) add(id uint64, tile []byte) error {
	tw.stats.Addressed++
	sum := sha256.Sum256(tile)
	if e, ok := tw.seen[sum]; ok {
		if last := &tw.entries[len(tw.entries)-1]; last.Offset == e.Offset && last.TileID+uint64(last.RunLength) == id {
			last.RunLength++
			return nil
		}
		tw.entries = append(tw.entries, pmtiles.EntryV3{TileID: id, Offset: e.Offset, Length: e.Length, RunLength: 1})
		return nil
	}
	if _, err := tw.w.Write(tile); err != nil {
		return fmt.Errorf("export: write tile: %w", err)
	}
	e := pmtiles.EntryV3{TileID: id, Offset: tw.offset, Length: uint32(len(tile)), RunLength: 1}
	tw.seen[sum] = e
	tw.entries = append(tw.entries, e)
	tw.offset += uint64(len(tile))
	tw.stats.Contents++
	return nil
}

// writeTiles asks the server for every choropleth's tile at each address,
// merges them into one tile of one layer per choropleth, and writes it
// gzip-compressed to w, in the order of addrs. Addresses without areas are
// left out. Tiles are made o.Workers at a time, in batches written in
// order.
func writeTiles(ctx context.Context, w io.Writer, o Options, addrs []maptile.Tile) ([]pmtiles.EntryV3, Stats, error) {
	tw := &tileWriter{w: w, seen: make(map[[sha256.Size]byte]pmtiles.EntryV3)}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batch := make([][]byte, 4*workers)
	for start := 0; start < len(addrs); start += len(batch) {
		part := addrs[start:min(start+len(batch), len(addrs))]
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(workers)
		for i, t := range part {
			g.Go(func() error {
				var err error
				batch[i], err = mergedTile(gctx, o, t)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, tw.stats, err
		}
		for i, t := range part {
			if len(batch[i]) == 0 {
				tw.stats.Empty++
			} else if err := tw.add(tileID(t), batch[i]); err != nil {
				return nil, tw.stats, err
			}
		}
		if o.Progress != nil {
			o.Progress(start+len(part), len(addrs))
		}
	}
	return tw.entries, tw.stats, nil
}

// mergedTile is the gzip-compressed tile at t with one layer per
// choropleth, or nil when the tile holds no area.
func mergedTile(ctx context.Context, o Options, t maptile.Tile) ([]byte, error) {
	var merged []byte
	for _, c := range o.choropleths() {
		body, err := get(ctx, o.Handler, TilePath(o.Level, t, c.indicator, c.group, o.Year))
		if err != nil {
			return nil, err
		}
		if len(body) == 0 {
			// No area in the tile: the same for every choropleth.
			return nil, nil
		}
		renamed, err := renameLayers(body, LayerName(c.indicator, c.group))
		if err != nil {
			return nil, fmt.Errorf("export: tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
		}
		// Concatenated protobuf messages are one message with the layers
		// of both.
		merged = append(merged, renamed...)
	}
	return gzipBytes(merged)
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if _, err := zw.Write(b); err != nil {
		return nil, fmt.Errorf("export: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("export: gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// header is the archive's header without the section offsets.
func header(o Options, st Stats) pmtiles.HeaderV3 {
	e7 := func(deg float64) int32 { return int32(math.Round(deg * 1e7)) }
	c := o.Bound.Center()
	return pmtiles.HeaderV3{
		SpecVersion:         3,
		AddressedTilesCount: uint64(st.Addressed),
		TileContentsCount:   uint64(st.Contents),
		Clustered:           true,
		InternalCompression: pmtiles.Gzip,
		TileCompression:     pmtiles.Gzip,
		TileType:            pmtiles.Mvt,
		MinZoom:             uint8(o.MinZoom),
		MaxZoom:             uint8(o.MaxZoom),
		MinLonE7:            e7(o.Bound.Min[0]),
		MinLatE7:            e7(o.Bound.Min[1]),
		MaxLonE7:            e7(o.Bound.Max[0]),
		MaxLatE7:            e7(o.Bound.Max[1]),
		CenterZoom:          uint8(o.MinZoom),
		CenterLonE7:         e7(c[0]),
		CenterLatE7:         e7(c[1]),
	}
}

// assemble writes the archive: header, root directory, metadata, leaf
// directories and the tile data copied from dataPath. It returns the
// archive's size.
func assemble(path, dataPath string, entries []pmtiles.EntryV3, h pmtiles.HeaderV3, meta map[string]any) (int64, error) {
	metaBytes, err := pmtiles.SerializeMetadata(meta, pmtiles.Gzip)
	if err != nil {
		return 0, fmt.Errorf("export: metadata: %w", err)
	}
	root, leaves, _ := pmtiles.BuildDirectories(entries, 16384-pmtiles.HeaderV3LenBytes, pmtiles.Gzip)
	info, err := os.Stat(dataPath)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	h.TileEntriesCount = uint64(len(entries))
	h.RootOffset, h.RootLength = pmtiles.HeaderV3LenBytes, uint64(len(root))
	h.MetadataOffset, h.MetadataLength = h.RootOffset+h.RootLength, uint64(len(metaBytes))
	h.LeafDirectoryOffset, h.LeafDirectoryLength = h.MetadataOffset+h.MetadataLength, uint64(len(leaves))
	h.TileDataOffset, h.TileDataLength = h.LeafDirectoryOffset+h.LeafDirectoryLength, uint64(info.Size())
	out, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".part-*")
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	size, err := writeSections(out, dataPath, pmtiles.SerializeHeader(h), root, metaBytes, leaves)
	if cerr := out.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("export: %s: %w", out.Name(), cerr)
	}
	if err == nil {
		err = os.Rename(out.Name(), path)
	}
	if err != nil {
		if rerr := os.Remove(out.Name()); rerr != nil && !os.IsNotExist(rerr) {
			err = fmt.Errorf("%w (and removing it: %w)", err, rerr)
		}
		return 0, fmt.Errorf("export: %s: %w", path, err)
	}
	return size, nil
}

// writeSections writes the sections of an archive in their order, the
// tile data copied from the file at dataPath last.
func writeSections(w io.Writer, dataPath string, sections ...[]byte) (int64, error) {
	var size int64
	for _, s := range sections {
		n, err := w.Write(s)
		size += int64(n)
		if err != nil {
			return size, err
		}
	}
	data, err := os.Open(dataPath)
	if err != nil {
		return size, err
	}
	n, err := io.Copy(w, data)
	// Closing a file that was only read cannot lose data.
	if cerr := data.Close(); err == nil {
		err = cerr
	}
	return size + n, err
}

// metadata is the archive's metadata: TileJSON-like, with the server's
// name, description, attribution and fields of each choropleth's layer.
func metadata(ctx context.Context, o Options) (map[string]any, error) {
	var layers []any
	var attribution string
	for _, c := range o.choropleths() {
		body, err := get(ctx, o.Handler, fmt.Sprintf("/tiles/%s.json?%s", o.Level, c.query(o.Year)))
		if err != nil {
			return nil, err
		}
		var doc struct {
			Name         string `json:"name"`
			Description  string `json:"description"`
			Attribution  string `json:"attribution"`
			VectorLayers []struct {
				Fields map[string]string `json:"fields"`
			} `json:"vector_layers"`
		}
		if err := json.Unmarshal(body, &doc); err != nil || len(doc.VectorLayers) == 0 {
			return nil, fmt.Errorf("export: the server's TileJSON for %s does not read: %w", c.query(o.Year), err)
		}
		attribution = doc.Attribution
		layers = append(layers, map[string]any{
			"id": LayerName(c.indicator, c.group), "description": doc.Name + ". " + doc.Description,
			"minzoom": o.MinZoom, "maxzoom": o.MaxZoom, "fields": doc.VectorLayers[0].Fields,
		})
	}
	return map[string]any{
		"name":          fmt.Sprintf("wijkkaart %s", o.Level),
		"description":   "Choropleths of CBS statistics per " + string(o.Level) + " and herkomstgroep, exported from wijkkaart; one layer per indicator.group.",
		"attribution":   attribution,
		"type":          "overlay",
		"format":        "pbf",
		"version":       "1.0.0",
		"vector_layers": layers,
	}, nil
}
