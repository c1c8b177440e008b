package web

import (
	"context"
	"time"

	"github.com/wijkkaart/wijkkaart/store"
)

// deadlineStore gives every call to a store its own deadline
// (Config.QueryTimeout), so that a frozen database cannot hold a request,
// a goroutine and a pool connection for longer than that. The request's
// own budget still applies; the earlier deadline wins.
type deadlineStore struct {
	store.Store
	timeout time.Duration
}

// withQueryTimeout wraps st so that each call has timeout; st itself when
// timeout is not positive.
func withQueryTimeout(st store.Store, timeout time.Duration) store.Store {
	if timeout <= 0 {
		return st
	}
	return deadlineStore{Store: st, timeout: timeout}
}

// Unwrap returns the store the deadlines are given to, for what is not
// part of store.Store (pool statistics).
func (d deadlineStore) Unwrap() store.Store { return d.Store }

// Years implements store.Store.
func (d deadlineStore) Years(ctx context.Context) ([]int, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.Store.Years(ctx)
}

// Areas implements store.Store.
func (d deadlineStore) Areas(ctx context.Context, q store.AreaQuery) ([]store.Area, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.Store.Areas(ctx, q)
}

// Values implements store.Store.
func (d deadlineStore) Values(ctx context.Context, q store.ValueQuery) ([]store.Published, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.Store.Values(ctx, q)
}

// Version implements store.Store.
func (d deadlineStore) Version(ctx context.Context) (store.Version, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.Store.Version(ctx)
}

// Publications implements store.Store.
func (d deadlineStore) Publications(ctx context.Context) ([]store.Publication, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.Store.Publications(ctx)
}

// Choropleth implements store.Store.
func (d deadlineStore) Choropleth(ctx context.Context, q store.TileQuery) (store.Choropleth, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.Store.Choropleth(ctx, q)
}

// TileValues implements store.Store.
func (d deadlineStore) TileValues(ctx context.Context, q store.ValueQuery) (store.Choropleth, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.Store.TileValues(ctx, q)
}

// Ping implements store.Store.
func (d deadlineStore) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return d.Store.Ping(ctx)
}
