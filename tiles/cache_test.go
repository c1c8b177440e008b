package tiles

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// byteSize counts a cached value by its length.
func byteSize(b []byte) int64 { return int64(len(b)) }

func TestCache(t *testing.T) {
	c, err := NewCache[string](1<<10, byteSize)
	if err != nil {
		t.Fatal(err)
	}
	renders := 0
	render := func(b string, fail bool) func(context.Context) ([]byte, error) {
		return func(context.Context) ([]byte, error) {
			renders++
			if fail {
				return nil, errors.New("database down")
			}
			return []byte(b), nil
		}
	}
	ctx := context.Background()
	if _, err := c.Get(ctx, "a", render("", true)); err == nil {
		t.Fatal("a failed render was not reported")
	}
	for range 3 {
		if b, err := c.Get(ctx, "a", render("tile a", false)); err != nil || string(b) != "tile a" {
			t.Fatalf("got %q, %v", b, err)
		}
	}
	if renders != 2 {
		t.Errorf("rendered %d times, want 2: the failure is not cached, the success is", renders)
	}
	c.Purge()
	if _, err := c.Get(ctx, "a", render("tile a2", false)); err != nil || renders != 3 {
		t.Errorf("after Purge the tile was not rendered again (%d renders, %v)", renders, err)
	}
	if s := c.Stats(); s.Hits != 2 || s.Misses != 3 || s.Entries != 1 || s.Bytes != 7 {
		t.Errorf("stats %+v", s)
	}
	var none *Cache[string, []byte]
	if b, err := none.Get(ctx, "a", render("direct", false)); err != nil || string(b) != "direct" {
		t.Errorf("a nil cache: %q, %v", b, err)
	}
	none.Purge()
}

func TestCacheBoundedInBytes(t *testing.T) {
	c, err := NewCache[int](100, byteSize)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 10 {
		if _, err := c.Get(ctx, i, func(context.Context) ([]byte, error) { return make([]byte, 30), nil }); err != nil {
			t.Fatal(err)
		}
	}
	if s := c.Stats(); s.Bytes > 100 || s.Entries != 3 || s.Evictions != 7 {
		t.Errorf("stats %+v: want the 3 newest tiles of 30 bytes under the bound of 100", s)
	}
	if _, err := c.Get(ctx, 99, func(context.Context) ([]byte, error) { return make([]byte, 101), nil }); err != nil {
		t.Fatal(err)
	}
	if s := c.Stats(); s.Entries != 3 {
		t.Errorf("a tile larger than the whole cache was kept: %+v", s)
	}
	if _, err := NewCache[int](0, byteSize); err == nil {
		t.Error("a cache of 0 bytes was made")
	}
}

func TestCacheNotCacheable(t *testing.T) {
	c, err := NewCache[string](1<<10, byteSize)
	if err != nil {
		t.Fatal(err)
	}
	renders := 0
	stale := func(context.Context) ([]byte, error) {
		renders++
		return []byte("from newer data"), fmt.Errorf("read another version: %w", ErrNotCacheable)
	}
	for range 2 {
		b, err := c.Get(context.Background(), "a", stale)
		if err != nil || string(b) != "from newer data" {
			t.Fatalf("got %q, %v: a not cacheable tile is still served", b, err)
		}
	}
	if renders != 2 {
		t.Errorf("rendered %d times, want 2: a not cacheable tile is not kept", renders)
	}
}

// TestCacheRendersOnce starts many identical requests at once and checks
// that the tile is rendered once, and that a request that gives up does
// not cancel the render the others wait for.
func TestCacheRendersOnce(t *testing.T) {
	c, err := NewCache[string](1<<10, byteSize)
	if err != nil {
		t.Fatal(err)
	}
	var renders atomic.Int32
	release := make(chan struct{})
	slow := func(ctx context.Context) ([]byte, error) {
		renders.Add(1)
		<-release
		return []byte("tile"), ctx.Err()
	}
	impatient, giveUp := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		ctx := context.Background()
		if i == 0 {
			ctx = impatient
		}
		wg.Go(func() {
			b, err := c.Get(ctx, "a", slow)
			if err == nil && string(b) != "tile" {
				err = fmt.Errorf("got %q", b)
			}
			if i > 0 {
				errs <- err
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	giveUp()
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := renders.Load(); n != 1 {
		t.Errorf("rendered %d times, want once", n)
	}
}
