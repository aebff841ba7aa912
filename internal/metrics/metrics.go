// Package metrics holds Kaidian's Prometheus collectors. One Metrics value is
// built per process and handed to whoever records; nothing is global, so tests
// can run several Kaidians in one process.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics is the set of collectors and the registry that serves them.
type Metrics struct {
	Registry *prometheus.Registry

	HTTPRequests       *prometheus.CounterVec   // by method, route, status
	HTTPDuration       *prometheus.HistogramVec // by method, route
	OrdersCreated      prometheus.Counter
	StockReserveFailed prometheus.Counter
	OrdersClosed       *prometheus.CounterVec // by reason
	JobsCompleted      *prometheus.CounterVec // by kind, outcome
	FlashBatch         prometheus.Histogram   // requests served per flash-sale transaction
	FlashSoldOut       prometheus.Counter     // flash attempts answered sold out from memory
}

// New registers every collector on a fresh registry.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kaidian_http_requests_total", Help: "HTTP requests answered, by route and status.",
		}, []string{"method", "route", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kaidian_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		OrdersCreated: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kaidian_orders_created_total", Help: "Orders placed.",
		}),
		StockReserveFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kaidian_stock_reservations_failed_total", Help: "Order placements refused because a SKU lacked stock.",
		}),
		OrdersClosed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kaidian_orders_closed_total", Help: "Unpaid orders closed, by reason.",
		}, []string{"reason"}),
		JobsCompleted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kaidian_jobs_total", Help: "Background jobs run, by kind and outcome.",
		}, []string{"kind", "outcome"}),
		FlashBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "kaidian_flash_batch_requests", Help: "Flash-sale requests served by one transaction.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024},
		}),
		FlashSoldOut: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kaidian_flash_sold_out_answers_total", Help: "Flash-sale attempts answered sold out without touching the database.",
		}),
	}
	reg.MustRegister(m.HTTPRequests, m.HTTPDuration, m.OrdersCreated, m.StockReserveFailed, m.OrdersClosed, m.JobsCompleted,
		m.FlashBatch, m.FlashSoldOut,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
