package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wijkkaart/wijkkaart/store"
)

// PoolStatser is a store backed by a connection pool whose statistics the
// server exports at /metrics (postgis.Store).
type PoolStatser interface {
	PoolStats() *pgxpool.Stat
}

// metrics is what the server counts, on its own registry: one server's
// numbers never mix with another's, and nothing is global.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// latencyBuckets span a cached tile (a fraction of a millisecond) to a
// request at its time budget.
func latencyBuckets() []float64 {
	return []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
}

// newMetrics registers the server's metrics: requests by route template,
// method and status class; the tile cache; the store's pool when it has
// one; and the Go runtime and process.
func (s *Server) newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wijkkaart_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status class.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wijkkaart_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route template.",
			Buckets: latencyBuckets(),
		}, []string{"route"}),
	}
	m.registry.MustRegister(m.requests, m.duration,
		cacheCollector{descs: tileCacheDescs, stats: s.cache.Stats}, cacheCollector{descs: shapeCacheDescs, stats: s.shapes.Stats},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pool := poolOf(s.cfg.Store); pool != nil {
		m.registry.MustRegister(poolCollector{pool: pool})
	}
	return m
}

// poolOf returns st, or the store it wraps, as a PoolStatser; nil when
// it has no pool.
func poolOf(st store.Store) PoolStatser {
	for st != nil {
		if p, ok := st.(PoolStatser); ok {
			return p
		}
		w, ok := st.(interface{ Unwrap() store.Store })
		if !ok {
			return nil
		}
		st = w.Unwrap()
	}
	return nil
}

// handler serves GET /metrics in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// countRequests counts every request and its latency under the template
// of the route it matched ("/tiles/{level}/{z}/{x}/{y}.mvt"), never its
// raw path, so that the number of series stays bounded whatever clients
// ask. The router names the route (nameRoute); a request no route
// matched, or one refused before routing, counts as route "none".
func (s *Server) countRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		route := &routeName{template: "none"}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeNameKey{}, route)))
		s.metrics.requests.WithLabelValues(route.template, methodLabel(r.Method), statusClass(rec.status, r)).Inc()
		s.metrics.duration.WithLabelValues(route.template).Observe(time.Since(start).Seconds())
	})
}

// routeNameKey is the context key of a request's *routeName.
type routeNameKey struct{}

// routeName is where the router writes the template of the route a
// request matched, for countRequests to read when the request is done.
type routeName struct{ template string }

// nameRoute is router middleware (it runs once a route matched): it
// records the route's path template for countRequests.
func nameRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name, ok := r.Context().Value(routeNameKey{}).(*routeName); ok {
			if route := mux.CurrentRoute(r); route != nil {
				if tmpl, err := route.GetPathTemplate(); err == nil {
					name.template = tmpl
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// methodLabel bounds the method label to the methods the server answers.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return method
	}
	return "other"
}

// statusClass is "2xx" … "5xx"; a request abandoned before its answer
// counts as 4xx (nginx's 499).
func statusClass(status int, r *http.Request) string {
	if status == 0 {
		status = http.StatusOK
		if r.Context().Err() != nil {
			status = statusClientClosed
		}
	}
	return strconv.Itoa(status/100) + "xx"
}
