package tiles

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// ErrNotCacheable is returned, wrapped, by a render function whose tile
// is good to serve but must not be kept: it was read from other data than
// the key names (a publication came in while it rendered).
var ErrNotCacheable = errors.New("tile is not cacheable")

// Cache keeps recently served tiles in memory up to a number of bytes,
// least recently used out first. Only successfully rendered tiles are
// kept, so an error or a cancelled request is never served from the cache,
// and identical renders that overlap in time run once: the later requests
// wait for the first (as go-pmtiles' cache does). Keys should hold the
// data version, so that a new publication misses every older tile.
type Cache[K comparable] struct {
	mu       sync.Mutex
	lru      *simplelru.LRU[K, []byte]
	bytes    int64
	maxBytes int64
	inFlight map[K]*render
	stats    CacheStats
}

// render is one render in flight, which other requests for the same key
// wait for.
type render struct {
	done chan struct{}
	body []byte
	err  error
}

// CacheStats counts what a cache did.
type CacheStats struct {
	Hits, Misses, Evictions int64
	// Bytes and Tiles are what the cache holds now.
	Bytes int64
	Tiles int
}

// maxTiles bounds the number of entries of the underlying LRU; the byte
// bound is what limits a cache in practice.
const maxTiles = 1 << 20

// NewCache returns a cache holding at most maxBytes bytes of tiles.
func NewCache[K comparable](maxBytes int64) (*Cache[K], error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("tiles: cache size must be positive, got %d bytes", maxBytes)
	}
	c := &Cache[K]{maxBytes: maxBytes, inFlight: make(map[K]*render)}
	lru, err := simplelru.NewLRU[K, []byte](maxTiles, func(_ K, b []byte) { c.bytes -= int64(len(b)) })
	if err != nil {
		return nil, fmt.Errorf("tiles: cache: %w", err)
	}
	c.lru = lru
	return c, nil
}

// Get returns the cached tile for key, or renders, stores and returns it.
// The returned bytes are shared: callers must not modify them. A nil cache
// renders every time. A render error that wraps ErrNotCacheable is no
// error: its tile is returned and not kept.
func (c *Cache[K]) Get(ctx context.Context, key K, fn func(context.Context) ([]byte, error)) ([]byte, error) {
	if c == nil {
		return orTile(fn(ctx))
	}
	c.mu.Lock()
	if b, ok := c.lru.Get(key); ok {
		c.stats.Hits++
		c.mu.Unlock()
		return b, nil
	}
	c.stats.Misses++
	r, waiting := c.inFlight[key]
	if !waiting {
		r = &render{done: make(chan struct{})}
		c.inFlight[key] = r
	}
	c.mu.Unlock()
	if !waiting {
		// Rendered for every waiting request, so not cancelled by one.
		go c.run(context.WithoutCancel(ctx), key, r, fn)
	}
	select {
	case <-r.done:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run renders the tile of key and keeps it when it may.
func (c *Cache[K]) run(ctx context.Context, key K, r *render, fn func(context.Context) ([]byte, error)) {
	body, err := fn(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.inFlight, key)
	r.body, r.err = orTile(body, err)
	if err == nil && int64(len(body)) <= c.maxBytes {
		c.lru.Add(key, body)
		c.bytes += int64(len(body))
		for c.bytes > c.maxBytes {
			c.lru.RemoveOldest()
			c.stats.Evictions++
		}
	}
	close(r.done)
}

// orTile turns a not-cacheable render into its tile.
func orTile(body []byte, err error) ([]byte, error) {
	if errors.Is(err, ErrNotCacheable) {
		return body, nil
	}
	return body, err
}

// Purge empties the cache, for when the data behind it changes.
func (c *Cache[K]) Purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Purge()
}

// Stats returns what the cache did so far and holds now.
func (c *Cache[K]) Stats() CacheStats {
	if c == nil {
		return CacheStats{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Bytes, s.Tiles = c.bytes, c.lru.Len()
	return s
}
