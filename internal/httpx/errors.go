// Package httpx holds the small HTTP pieces every face shares: the single
// error shape, strict JSON binding, request ids, access logs and metrics.
package httpx

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
)

var statusOf = map[errs.Kind]int{
	errs.KindInternal:        http.StatusInternalServerError,
	errs.KindInvalid:         http.StatusBadRequest,
	errs.KindUnauthenticated: http.StatusUnauthorized,
	errs.KindForbidden:       http.StatusForbidden,
	errs.KindNotFound:        http.StatusNotFound,
	errs.KindConflict:        http.StatusConflict,
	errs.KindRule:            http.StatusUnprocessableEntity,
	errs.KindRateLimited:     http.StatusTooManyRequests,
	errs.KindUnavailable:     http.StatusServiceUnavailable,
}

// ErrorBody is the one error shape of the API:
// {"error": {"code": "out_of_stock", "message": "…", "details": {…}}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of ErrorBody.
type ErrorDetail struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

// Status is the HTTP status for a domain error.
func Status(err error) int { return statusOf[errs.As(err).Kind] }

// Fail answers with err in the single error shape and aborts the chain.
// Internal errors are logged with the request id; the shopper sees generic text.
func Fail(c *gin.Context, err error) {
	e := errs.As(err)
	status := statusOf[e.Kind]
	if status >= 500 {
		Logger(c).Error("request failed", "error", err.Error(), "status", status)
	}
	if after, ok := e.Details["retry_after"]; ok && e.Kind == errs.KindRateLimited {
		c.Header("Retry-After", fmt.Sprint(after)) // whole seconds, as details.retry_after says
	}
	// The message is in the reader's language, so caches must key on it.
	p := Printer(c)
	c.Header("Vary", "Accept-Language")
	c.Header("Content-Language", string(p.Lang()))
	c.AbortWithStatusJSON(status, ErrorBody{Error: ErrorDetail{Code: e.Code, Message: p.Error(e), Details: e.Details}})
}

// Logger is the request's logger, carrying its request id. It is built on
// demand: most requests never log anything but their access line.
func Logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(loggerKey); ok {
		rl := l.(*requestLog)
		return rl.base.With("request_id", rl.id)
	}
	return slog.Default()
}

// NoRoute answers unknown paths in the error shape.
func NoRoute(c *gin.Context) {
	Fail(c, errs.NotFound("not_found", "httpx.no_route"))
}

// NoMethod answers a known path with the wrong method.
func NoMethod(c *gin.Context) {
	p := Printer(c)
	c.Header("Vary", "Accept-Language")
	c.Header("Content-Language", string(p.Lang()))
	c.AbortWithStatusJSON(http.StatusMethodNotAllowed, ErrorBody{Error: ErrorDetail{
		Code: "method_not_allowed", Message: p.T("error.method_not_allowed", "method", c.Request.Method),
	}})
}
