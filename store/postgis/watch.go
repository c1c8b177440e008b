package postgis

import (
	"context"
	"fmt"
	"time"
)

// Watch calls changed after every import that commits, until ctx ends, so
// that a server can drop what it cached from the old data. It listens on
// its own connection and reconnects after an outage, calling changed once
// it is back since it cannot know what it missed. It returns ctx's error.
func (s *Store) Watch(ctx context.Context, changed func(), failed func(error)) error {
	backoff := time.Second
	for {
		err := s.listen(ctx, changed)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		failed(err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Minute)
		changed()
	}
}

// listen waits for notifications on one connection until it fails.
func (s *Store) listen(ctx context.Context, changed func()) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgis: watch: %w", err)
	}
	// A connection that LISTENed is taken out of the pool for good.
	listener := conn.Hijack()
	defer listener.Close(context.WithoutCancel(ctx)) //nolint:errcheck // closing a connection we are done with
	if _, err := listener.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return fmt.Errorf("postgis: watch: %w", err)
	}
	for {
		if _, err := listener.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("postgis: watch: %w", err)
		}
		changed()
	}
}
