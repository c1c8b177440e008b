package web

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// etag returns the strong entity tag of a tile, without quotes: a hash of
// the data version and the canonical request. Two requests for the same
// tile of the same data share it, whatever their parameter order or
// defaults, and a new publication changes every tag.
func (k tileKey) etag() string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%d\x00%s\x00%s\x00%d/%d/%d%s",
		k.version, k.level, k.year, k.indicator, k.group, k.tile.Z, k.tile.X, k.tile.Y, k.compareSuffix()))
	return hex.EncodeToString(sum[:16])
}

// compareSuffix is what a change map adds to a tile's tag: nothing for a
// map of values, so that their tags stay what they were.
func (k tileKey) compareSuffix() string {
	if k.compare == 0 {
		return ""
	}
	return fmt.Sprintf("\x00compare=%d", k.compare)
}

// gzipSuffix marks the entity tag of the gzip-compressed representation:
// a strong tag names one sequence of bytes, so the compressed and the
// plain tile must not share one (as Apache's mod_deflate does).
const gzipSuffix = "-gzip"

// representationTag is the quoted ETag of a tile's plain or compressed
// representation.
func representationTag(tag string, gzipped bool) string {
	if gzipped {
		tag += gzipSuffix
	}
	return strconv.Quote(tag)
}

// noneMatch reports whether an If-None-Match header names one of tags
// (quoted entity tags) or is "*": the client holds the answer already.
// Entity tags are compared weakly, as RFC 9110 §13.1.2 asks.
func noneMatch(header string, tags ...string) bool {
	if header == "" {
		return false
	}
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || slices.Contains(tags, t) {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip: it
// names gzip (or x-gzip, or *) without q=0.
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		q := qValue(params)
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = max(gzipQ, q)
		case "*":
			starQ = max(starQ, q)
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// qValue reads the q parameter of an Accept-Encoding element; 1 when
// absent, 0 when unreadable.
func qValue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		name, value, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.ToLower(strings.TrimSpace(name)) != "q" {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || q < 0 {
			return 0
		}
		return min(q, 1)
	}
	return 1
}

// gzipTile compresses an encoded tile, once, for the cache, with a writer
// from pool.
func gzipTile(pool *sync.Pool, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(body)/2 + 64)
	zw, _ := pool.Get().(*gzip.Writer)
	if zw == nil {
		zw = gzip.NewWriter(&buf)
	} else {
		zw.Reset(&buf)
	}
	defer pool.Put(zw)
	if _, err := zw.Write(body); err != nil {
		return nil, fmt.Errorf("gzip tile: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip tile: %w", err)
	}
	return buf.Bytes(), nil
}

// gunzipTile returns the plain tile of a compressed one, for a client that
// does not accept gzip. Its readers are reused from pool, since a new one
// costs more than inflating a tile.
func gunzipTile(pool *sync.Pool, gz []byte) ([]byte, error) {
	zr, _ := pool.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(bytes.NewReader(gz))
	} else {
		err = zr.Reset(bytes.NewReader(gz))
	}
	if err != nil {
		return nil, fmt.Errorf("gunzip tile: %w", err)
	}
	defer pool.Put(zr)
	// The gzip trailer ends with the plain size (mod 2³²; tiles are far
	// smaller), so the tile is read into one allocation.
	size := 0
	if len(gz) >= 4 {
		size = int(binary.LittleEndian.Uint32(gz[len(gz)-4:]))
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("gunzip tile: %w", err)
	}
	return buf.Bytes(), nil
}

// writeNotModified answers a conditional request whose client holds the
// current representation: 304, no body.
func writeNotModified(w http.ResponseWriter) {
	h := w.Header()
	h.Del("Content-Type")
	h.Del("Content-Length")
	w.WriteHeader(http.StatusNotModified)
}

// withETag gives a handler's successful answers a strong ETag, a hash of
// the body, and answers 304 to a request whose If-None-Match names it:
// for small JSON documents (TileJSON, styles) that are cheap to make but
// worth not sending again.
func withETag(h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		buf := &bufferedAnswer{header: w.Header()}
		if err := h(buf, r); err != nil {
			return err
		}
		status := cmp.Or(buf.status, http.StatusOK)
		if status == http.StatusOK {
			sum := sha256.Sum256(buf.body.Bytes())
			tag := strconv.Quote(hex.EncodeToString(sum[:16]))
			w.Header().Set("ETag", tag)
			if noneMatch(r.Header.Get("If-None-Match"), tag) {
				writeNotModified(w)
				return nil
			}
		}
		w.Header().Set("Content-Length", strconv.Itoa(buf.body.Len()))
		w.WriteHeader(status)
		if r.Method == http.MethodHead {
			return nil
		}
		_, err := w.Write(buf.body.Bytes())
		return err
	}
}

// bufferedAnswer keeps an answer in memory until it is complete.
type bufferedAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// Header implements http.ResponseWriter.
func (b *bufferedAnswer) Header() http.Header { return b.header }

// WriteHeader implements http.ResponseWriter.
func (b *bufferedAnswer) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// Write implements http.ResponseWriter.
func (b *bufferedAnswer) Write(p []byte) (int, error) { return b.body.Write(p) }
