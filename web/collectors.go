package web

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wijkkaart/wijkkaart/tiles"
)

// cacheDescs are the descriptions of one cache's metrics.
type cacheDescs struct {
	hits, misses, evictions, bytes, entries *prometheus.Desc
}

// Descriptions of the tile cache's and the shape cache's metrics.
var (
	tileCacheDescs = cacheDescs{
		hits: prometheus.NewDesc("wijkkaart_tile_cache_hits_total",
			"Tile requests answered from the cache.", nil, nil),
		misses: prometheus.NewDesc("wijkkaart_tile_cache_misses_total",
			"Tile requests not in the cache (rendered, or waiting for an identical render).", nil, nil),
		evictions: prometheus.NewDesc("wijkkaart_tile_cache_evictions_total",
			"Tiles dropped from the cache to stay within its size.", nil, nil),
		bytes: prometheus.NewDesc("wijkkaart_tile_cache_bytes",
			"Bytes of gzip-compressed tiles the cache holds.", nil, nil),
		entries: prometheus.NewDesc("wijkkaart_tile_cache_tiles",
			"Tiles the cache holds.", nil, nil),
	}
	shapeCacheDescs = cacheDescs{
		hits: prometheus.NewDesc("wijkkaart_shape_cache_hits_total",
			"Rendered tiles whose areas' shapes came from the shape cache, so that no geometry was read.", nil, nil),
		misses: prometheus.NewDesc("wijkkaart_shape_cache_misses_total",
			"Rendered tiles whose shapes were not in the shape cache (read and clipped, or waiting for that).", nil, nil),
		evictions: prometheus.NewDesc("wijkkaart_shape_cache_evictions_total",
			"Shapes of tiles dropped from the shape cache to stay within its size.", nil, nil),
		bytes: prometheus.NewDesc("wijkkaart_shape_cache_bytes",
			"Bytes the shape cache holds, as estimated from its points.", nil, nil),
		entries: prometheus.NewDesc("wijkkaart_shape_cache_tiles",
			"Tiles (of one level and boundary year) whose shapes the shape cache holds.", nil, nil),
	}
)

// cacheCollector reads a cache's statistics at each scrape.
type cacheCollector struct {
	descs cacheDescs
	stats func() tiles.CacheStats
}

// Describe implements prometheus.Collector.
func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	d := c.descs
	for _, desc := range []*prometheus.Desc{d.hits, d.misses, d.evictions, d.bytes, d.entries} {
		ch <- desc
	}
}

// Collect implements prometheus.Collector.
func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	st, d := c.stats(), c.descs
	ch <- prometheus.MustNewConstMetric(d.hits, prometheus.CounterValue, float64(st.Hits))
	ch <- prometheus.MustNewConstMetric(d.misses, prometheus.CounterValue, float64(st.Misses))
	ch <- prometheus.MustNewConstMetric(d.evictions, prometheus.CounterValue, float64(st.Evictions))
	ch <- prometheus.MustNewConstMetric(d.bytes, prometheus.GaugeValue, float64(st.Bytes))
	ch <- prometheus.MustNewConstMetric(d.entries, prometheus.GaugeValue, float64(st.Entries))
}

// Descriptions of the database pool's metrics.
var (
	poolAcquiredDesc = prometheus.NewDesc("wijkkaart_db_pool_acquired_connections",
		"Database connections in use.", nil, nil)
	poolIdleDesc = prometheus.NewDesc("wijkkaart_db_pool_idle_connections",
		"Idle database connections.", nil, nil)
	poolTotalDesc = prometheus.NewDesc("wijkkaart_db_pool_total_connections",
		"Database connections open (in use, idle or being opened).", nil, nil)
	poolMaxDesc = prometheus.NewDesc("wijkkaart_db_pool_max_connections",
		"Most database connections the pool opens.", nil, nil)
	poolAcquiresDesc = prometheus.NewDesc("wijkkaart_db_pool_acquires_total",
		"Connections taken from the pool.", nil, nil)
	poolEmptyAcquiresDesc = prometheus.NewDesc("wijkkaart_db_pool_empty_acquires_total",
		"Connections asked for when none was idle, so that the request waited.", nil, nil)
	poolCanceledAcquiresDesc = prometheus.NewDesc("wijkkaart_db_pool_canceled_acquires_total",
		"Waits for a connection that ended with the request's context.", nil, nil)
	poolAcquireSecondsDesc = prometheus.NewDesc("wijkkaart_db_pool_acquire_seconds_total",
		"Time spent waiting for connections.", nil, nil)
)

// poolCollector reads a store's pool statistics at each scrape.
type poolCollector struct{ pool PoolStatser }

// Describe implements prometheus.Collector.
func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquiredDesc, poolIdleDesc, poolTotalDesc, poolMaxDesc,
		poolAcquiresDesc, poolEmptyAcquiresDesc, poolCanceledAcquiresDesc, poolAcquireSecondsDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.pool.PoolStats()
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquiredDesc, float64(st.AcquiredConns()))
	gauge(poolIdleDesc, float64(st.IdleConns()))
	gauge(poolTotalDesc, float64(st.TotalConns()))
	gauge(poolMaxDesc, float64(st.MaxConns()))
	counter(poolAcquiresDesc, float64(st.AcquireCount()))
	counter(poolEmptyAcquiresDesc, float64(st.EmptyAcquireCount()))
	counter(poolCanceledAcquiresDesc, float64(st.CanceledAcquireCount()))
	counter(poolAcquireSecondsDesc, st.AcquireDuration().Seconds())
}
