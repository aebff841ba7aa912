package httpx

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/metrics"
)

const loggerKey = "kaidian.logger"

// RequestIDHeader carries the request id in and out.
const RequestIDHeader = "X-Request-ID"

// Observe gives every request an id (the caller's, if it sent a sane one),
// a logger carrying it, one JSON access-log line, and its metrics.
func Observe(log *slog.Logger, m *metrics.Metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		id := c.GetHeader(RequestIDHeader)
		if len(id) == 0 || len(id) > 64 {
			id = newRequestID()
		}
		c.Header(RequestIDHeader, id)
		reqLog := log.With("request_id", id)
		c.Set(loggerKey, reqLog)

		c.Next()

		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		elapsed := time.Since(start)
		m.HTTPRequests.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Inc()
		m.HTTPDuration.WithLabelValues(c.Request.Method, route).Observe(elapsed.Seconds())
		reqLog.LogAttrs(c.Request.Context(), slog.LevelInfo, "http",
			slog.String("method", c.Request.Method), slog.String("route", route),
			slog.Int("status", status), slog.Duration("duration", elapsed),
			slog.Int("bytes", c.Writer.Size()))
	}
}

// Recover turns a panic into a logged 500 in the error shape.
func Recover() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, rec any) {
		Logger(c).Error("panic", "panic", rec)
		c.AbortWithStatusJSON(500, ErrorBody{Error: ErrorDetail{Code: "internal", Message: "something went wrong on our side"}})
	})
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
