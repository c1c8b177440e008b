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

// Cache keeps recently made values — encoded tiles, or the shapes tiles
// are made of — in memory up to a number of bytes, least recently used out
// first. Only successfully made values are kept, so an error or a
// cancelled request is never served from the cache, and identical renders
// that overlap in time run once: the later requests wait for the first (as
// go-pmtiles' cache does). Keys should hold the data version, so that a
// new publication misses everything older.
type Cache[K comparable, V any] struct {
	mu       sync.Mutex
	lru      *simplelru.LRU[K, V]
	size     func(V) int64
	bytes    int64
	maxBytes int64
	inFlight map[K]*render[V]
	stats    CacheStats
}

// render is one render in flight, which other requests for the same key
// wait for.
type render[V any] struct {
	done  chan struct{}
	value V
	err   error
}

// CacheStats counts what a cache did.
type CacheStats struct {
	Hits, Misses, Evictions int64
	// Bytes and Entries are what the cache holds now.
	Bytes   int64
	Entries int
}

// maxEntries bounds the number of entries of the underlying LRU; the byte
// bound is what limits a cache in practice.
const maxEntries = 1 << 20

// NewCache returns a cache holding values of at most maxBytes bytes in
// all, as size counts them.
func NewCache[K comparable, V any](maxBytes int64, size func(V) int64) (*Cache[K, V], error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("tiles: cache size must be positive, got %d bytes", maxBytes)
	}
	c := &Cache[K, V]{size: size, maxBytes: maxBytes, inFlight: make(map[K]*render[V])}
	lru, err := simplelru.NewLRU[K, V](maxEntries, func(_ K, v V) { c.bytes -= size(v) })
	if err != nil {
		return nil, fmt.Errorf("tiles: cache: %w", err)
	}
	c.lru = lru
	return c, nil
}

// Get returns the cached value for key, or makes, stores and returns it.
// The returned value is shared: callers must not modify it. A nil cache
// makes it every time. An error of fn that wraps ErrNotCacheable is no
// error: its value is returned and not kept.
func (c *Cache[K, V]) Get(ctx context.Context, key K, fn func(context.Context) (V, error)) (V, error) {
	if c == nil {
		return orValue(fn(ctx))
	}
	c.mu.Lock()
	if v, ok := c.lru.Get(key); ok {
		c.stats.Hits++
		c.mu.Unlock()
		return v, nil
	}
	c.stats.Misses++
	r, waiting := c.inFlight[key]
	if !waiting {
		r = &render[V]{done: make(chan struct{})}
		c.inFlight[key] = r
	}
	c.mu.Unlock()
	if !waiting {
		// Made for every waiting request, so not cancelled by one.
		go c.run(context.WithoutCancel(ctx), key, r, fn)
	}
	select {
	case <-r.done:
		return r.value, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// run makes the value of key and keeps it when it may.
func (c *Cache[K, V]) run(ctx context.Context, key K, r *render[V], fn func(context.Context) (V, error)) {
	v, err := fn(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.inFlight, key)
	r.value, r.err = orValue(v, err)
	if size := c.size(v); err == nil && size <= c.maxBytes {
		c.lru.Add(key, v)
		c.bytes += size
		for c.bytes > c.maxBytes {
			c.lru.RemoveOldest()
			c.stats.Evictions++
		}
	}
	close(r.done)
}

// orValue turns a value that is not cacheable into a plain value.
func orValue[V any](v V, err error) (V, error) {
	if errors.Is(err, ErrNotCacheable) {
		return v, nil
	}
	return v, err
}

// Purge empties the cache, for when the data behind it changes.
func (c *Cache[K, V]) Purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Purge()
}

// Stats returns what the cache did so far and holds now.
func (c *Cache[K, V]) Stats() CacheStats {
	if c == nil {
		return CacheStats{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Bytes, s.Entries = c.bytes, c.lru.Len()
	return s
}
