package tiles

import (
	"context"
	"fmt"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache keeps recently served tiles in memory, least recently used out
// first. Only successfully rendered tiles are kept, so an error or a
// cancelled request is never served from the cache.
type Cache[K comparable] struct {
	lru *lru.Cache[K, []byte]
}

// NewCache returns a cache holding at most entries tiles.
func NewCache[K comparable](entries int) (*Cache[K], error) {
	c, err := lru.New[K, []byte](entries)
	if err != nil {
		return nil, fmt.Errorf("tiles: cache: %w", err)
	}
	return &Cache[K]{lru: c}, nil
}

// Get returns the cached tile for key, or renders, stores and returns it.
// The returned bytes are shared: callers must not modify them. A nil cache
// renders every time.
func (c *Cache[K]) Get(ctx context.Context, key K, render func(context.Context) ([]byte, error)) ([]byte, error) {
	if c == nil {
		return render(ctx)
	}
	if b, ok := c.lru.Get(key); ok {
		return b, nil
	}
	b, err := render(ctx)
	if err != nil {
		return nil, err
	}
	c.lru.Add(key, b)
	return b, nil
}

// Purge empties the cache, for when the data behind it changes.
func (c *Cache[K]) Purge() {
	if c != nil {
		c.lru.Purge()
	}
}
