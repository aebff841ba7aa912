package httpx

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kaidian/kaidian/internal/metrics"
)

const loggerKey = "kaidian.logger"

// RequestIDHeader carries the request id in and out.
const RequestIDHeader = "X-Request-ID"

// Observe gives every request an id (the caller's, if it sent a sane one),
// one JSON access-log line carrying it, and its metrics; Logger(c) gives
// handlers a logger carrying the id.
//
// It runs on every request, so it is kept cheap (see BenchmarkObserve): the
// per-request logger is only built when something logs through Logger(c),
// the access line is one LogAttrs call, and the Prometheus series of each
// method, route and status is looked up once and then reused.
func Observe(log *slog.Logger, m *metrics.Metrics) gin.HandlerFunc {
	series := &routeSeries{m: m}
	return func(c *gin.Context) {
		start := time.Now()
		id := requestID(c.Request.Header[requestIDKey])
		c.Writer.Header()[requestIDKey] = []string{id}
		c.Set(loggerKey, &requestLog{base: log, id: id})

		c.Next()

		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		elapsed := time.Since(start)
		s := series.get(c.Request.Method, route, status)
		s.requests.Inc()
		s.duration.Observe(elapsed.Seconds())
		log.LogAttrs(c.Request.Context(), slog.LevelInfo, "http",
			slog.String("request_id", id),
			slog.String("method", c.Request.Method), slog.String("route", route),
			slog.Int("status", status), slog.Duration("duration", elapsed),
			slog.Int("bytes", c.Writer.Size()))
	}
}

// requestIDKey is RequestIDHeader as net/http stores it, so the header maps
// are read and written without canonicalising the name on every request.
var requestIDKey = http.CanonicalHeaderKey(RequestIDHeader)

// requestID is the caller's id when it sent one of sane length, else a new one.
func requestID(sent []string) string {
	if len(sent) > 0 && len(sent[0]) > 0 && len(sent[0]) <= 64 {
		return sent[0]
	}
	return newRequestID()
}

// requestLog is what Logger(c) builds the request's logger from.
type requestLog struct {
	base *slog.Logger
	id   string
}

// routeSeries remembers each (method, route, status)'s Prometheus series:
// resolving label values costs hashing and a lock on every request otherwise.
// Methods outside the standard set count as "OTHER", so a client inventing
// methods cannot grow the series (or this map) without bound; routes are the
// registered patterns and "unmatched".
type routeSeries struct {
	m     *metrics.Metrics
	known sync.Map // seriesKey → *seriesPair
}

type seriesKey struct {
	method, route string
	status        int
}

type seriesPair struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

func (r *routeSeries) get(method, route string, status int) *seriesPair {
	if !standardMethod(method) {
		method = "OTHER"
	}
	k := seriesKey{method, route, status}
	if s, ok := r.known.Load(k); ok {
		return s.(*seriesPair)
	}
	s := &seriesPair{
		requests: r.m.HTTPRequests.WithLabelValues(method, route, strconv.Itoa(status)),
		duration: r.m.HTTPDuration.WithLabelValues(method, route),
	}
	actual, _ := r.known.LoadOrStore(k, s)
	return actual.(*seriesPair)
}

func standardMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return true
	}
	return false
}

// Recover turns a panic into a logged 500 in the error shape.
func Recover() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, rec any) {
		Logger(c).Error("panic", "panic", rec)
		p := Printer(c)
		c.Header("Vary", "Accept-Language")
		c.Header("Content-Language", string(p.Lang()))
		c.AbortWithStatusJSON(500, ErrorBody{Error: ErrorDetail{Code: "internal", Message: p.T("error.internal")}})
	})
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
