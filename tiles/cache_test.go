package tiles

import (
	"context"
	"errors"
	"testing"
)

func TestCache(t *testing.T) {
	c, err := NewCache[string](2)
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
	var none *Cache[string]
	if b, err := none.Get(ctx, "a", render("direct", false)); err != nil || string(b) != "direct" {
		t.Errorf("a nil cache: %q, %v", b, err)
	}
	none.Purge()
}
