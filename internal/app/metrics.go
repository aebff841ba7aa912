package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
)

// /metrics tells order volumes and traffic, so it is never public. It is
// served two ways:
//   - on KAIDIAN_METRICS_ADDR (default 127.0.0.1:9090), a listener of its
//     own without a token: only what can reach that address scrapes it;
//   - on the main listener only when KAIDIAN_METRICS_TOKEN is set, and then
//     only to requests carrying it as "Authorization: Bearer <token>".

// ListenMetrics opens the metrics listener on KAIDIAN_METRICS_ADDR, or
// returns nil when it is off.
func ListenMetrics(addr string) (net.Listener, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, errors.New("KAIDIAN_METRICS_ADDR: " + err.Error())
	}
	return ln, nil
}

func (a *App) metricsHandler() http.Handler {
	return promhttp.HandlerFor(a.Metrics.Registry, promhttp.HandlerOpts{})
}

var errMetricsToken = errs.New(errs.KindUnauthenticated, "metrics_token_required", "app.metrics_token_required")

// requireMetricsToken lets through only requests bearing the token. Both
// sides are hashed first so the comparison takes the same time whatever
// the length or content of a guess.
func requireMetricsToken(token string) gin.HandlerFunc {
	want := sha256.Sum256([]byte(token))
	return func(c *gin.Context) {
		got, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(got))
		if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !ok {
			c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
			httpx.Fail(c, errMetricsToken)
			return
		}
		c.Next()
	}
}

// The Go profiler, /debug/pprof/ (CPU, heap, goroutines, …), is served
// beside /metrics under the same protection: on the metrics listener, and
// on the main listener only with the metrics token. It tells even more
// than /metrics (stacks, command line), so it is never public either.
//
//	go tool pprof http://127.0.0.1:9090/debug/pprof/profile?seconds=20
//	go tool pprof http://127.0.0.1:9090/debug/pprof/heap
func profiler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

// metricsServer serves /metrics and the profiler, for the KAIDIAN_METRICS_ADDR listener.
func (a *App) metricsServer() *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metricsHandler())
	mux.Handle("GET /debug/pprof/", profiler())
	// A CPU profile or trace takes as long as asked (?seconds=30), so the
	// write timeout is longer than the longest sensible one.
	return &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 120 * time.Second}
}

// serveMetrics runs the metrics listener, if any, until the returned stop
// function shuts it down (gracefully, within ctx).
func (a *App) serveMetrics(ln net.Listener) (stop func(ctx context.Context)) {
	if ln == nil {
		return func(context.Context) {}
	}
	srv := a.metricsServer()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	a.Log.Info("metrics listening", "addr", ln.Addr().String())
	return func(ctx context.Context) {
		if err := srv.Shutdown(ctx); err != nil {
			a.Log.Error("metrics shutdown", "error", err)
		}
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Log.Error("metrics listener", "error", err)
		}
	}
}
