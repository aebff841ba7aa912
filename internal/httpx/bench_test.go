package httpx

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/metrics"
)

// benchEngine is the per-request middleware Kaidian runs (Recover, Observe
// with a JSON access log, metrics) in front of the given route. The log
// goes to io.Discard: formatting is measured, the write syscall is not.
func benchEngine(route ...gin.HandlerFunc) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(Recover(), Observe(slog.New(slog.NewJSONHandler(io.Discard, nil)), metrics.New()))
	r.GET("/api/v1/products", route...)
	return r
}

func serveLoop(b *testing.B, r http.Handler, target string) {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkObserve is the cost of the middleware around a trivial route:
// go test -bench Observe -cpuprofile /tmp/observe.prof ./internal/httpx
func BenchmarkObserve(b *testing.B) {
	serveLoop(b, benchEngine(func(c *gin.Context) { c.String(http.StatusOK, "hello world") }), "/api/v1/products")
}

// BenchmarkCacheHit is a cached catalog answer of about 4 KB, middleware included.
func BenchmarkCacheHit(b *testing.B) {
	body := make([]byte, 4096)
	for i := range body {
		body[i] = 'a'
	}
	c := NewCache(time.Hour)
	r := benchEngine(c.Handler(), func(g *gin.Context) { g.Data(http.StatusOK, "application/json; charset=utf-8", body) })
	serveLoop(b, r, "/api/v1/products?limit=20")
}

// BenchmarkBareGin is the same trivial route with no middleware at all.
func BenchmarkBareGin(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/api/v1/products", func(c *gin.Context) { c.String(http.StatusOK, "hello world") })
	serveLoop(b, r, "/api/v1/products")
}

// BenchmarkPerClientLimit is the per-client limiter on a trivial route, one
// client under its limit (the limit is never reached at this rate of keys).
func BenchmarkPerClientLimit(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(NewLimiter(1e9).PerClient())
	r.GET("/api/v1/products", func(c *gin.Context) { c.String(http.StatusOK, "hello world") })
	serveLoop(b, r, "/api/v1/products")
}
