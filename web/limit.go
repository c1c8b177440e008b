package web

import (
	"context"
	"net/http"
	"time"

	"github.com/paulmach/orb/maptile"
)

// limiter bounds how much expensive work — uncached low-zoom tiles, value
// downloads, area searches and listings — runs at once, so that one client
// hammering it cannot starve the cheap requests (cached tiles, the
// catalogue) of CPU, memory and database connections.
//
// Up to `slots` calls run at once; up to `queue` more wait for a slot, for
// at most `wait`. A call that finds the queue full, or waits too long, gets
// a 503 with Retry-After instead of piling up. Use it as
//
//	release, err := s.expensive.acquire(ctx)
//	if err != nil {
//		return err
//	}
//	defer release()
//
// A nil *limiter admits everything.
type limiter struct {
	slots chan struct{}
	queue chan struct{}
	wait  time.Duration
}

// newLimiter returns a limiter running slots calls at once with queue more
// waiting at most wait. It returns nil, which admits everything, when
// slots < 1.
func newLimiter(slots, queue int, wait time.Duration) *limiter {
	if slots < 1 {
		return nil
	}
	return &limiter{slots: make(chan struct{}, slots), queue: make(chan struct{}, max(queue, 0)), wait: wait}
}

// acquire waits for a slot. It returns the function that gives the slot
// back, or a 503 *apiError when the server is busy, or ctx's error.
func (l *limiter) acquire(ctx context.Context) (func(), error) {
	if l == nil {
		return func() {}, nil
	}
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	default:
	}
	select {
	case l.queue <- struct{}{}:
	default:
		return nil, errBusy()
	}
	defer func() { <-l.queue }()
	timer := time.NewTimer(l.wait)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	case <-timer.C:
		return nil, errBusy()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *limiter) release() { <-l.slots }

func errBusy() error {
	return errUnavailable("the server is busy with other expensive requests; try again shortly")
}

// limited wraps a handler in the server's limiter for expensive work, for
// the requests that expensive says are.
func (s *Server) limited(expensive func(*http.Request) bool, h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !expensive(r) {
			return h(w, r)
		}
		release, err := s.expensive.acquire(r.Context())
		if err != nil {
			return err
		}
		defer release()
		return h(w, r)
	}
}

// largeValues reports whether a /api/values request is a download of a
// whole level of the country rather than of one gemeente.
func largeValues(r *http.Request) bool { return r.URL.Query().Get("gemeente") == "" }

// largeAreas reports whether a /api/areas request lists areas rather than
// searching a few by name.
func largeAreas(r *http.Request) bool {
	q := r.URL.Query()
	return q.Get("q") == "" || q.Has("limit")
}

// maxExpensiveZoom is the highest zoom whose uncached tiles count as
// expensive: below z8 a tile covers many gemeenten and takes far longer
// to render than a cached tile takes to send.
const maxExpensiveZoom = 7

// renderLimited renders a tile as renderTile does, holding a slot of the
// limiter for expensive work while it renders a low-zoom tile. It is
// called only on a cache miss, so cached tiles never wait.
func (s *Server) renderLimited(ctx context.Context, sel selection, t maptile.Tile) ([]byte, error) {
	if t.Z <= maxExpensiveZoom {
		release, err := s.expensive.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	return s.renderTile(ctx, sel, t)
}
