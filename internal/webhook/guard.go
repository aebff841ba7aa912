package webhook

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// MaxNotificationBytes caps a notification's body. WeChat Pay's notifications
// are a few KB (one encrypted transaction or refund); anything much larger is
// not from WeChat, and reading, hashing and parsing it would only cost us.
const MaxNotificationBytes = 64 << 10

// guard runs before any verification: a token bucket per client address
// (429 with Retry-After, WeChat retries later), then the body read whole up to
// MaxNotificationBytes (413 beyond), so the verifier and the decrypter only
// ever see a small buffer. Nothing is applied for a request it stops.
func (h *Handlers) guard(c *gin.Context) {
	if ok, wait := h.Limit.Allow(httpx.ClientKey(c.ClientIP())); !ok {
		// Not logged: the access log counts 429s, and a flood must not become a log flood.
		c.Header("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
		c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"code": "FAIL", "message": "too many requests, retry later"})
		return
	}
	if c.Request.ContentLength > MaxNotificationBytes {
		tooLarge(c)
		return
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, MaxNotificationBytes+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || len(body) > MaxNotificationBytes:
		tooLarge(c)
		return
	case err != nil:
		refuse(c, "body unreadable", http.StatusBadRequest)
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	c.Next()
}

func tooLarge(c *gin.Context) {
	refuse(c, "body too large", http.StatusRequestEntityTooLarge)
}

// refuse answers a notification that is not applied, logging only a short
// fixed reason (with the request id the logger carries). Never the error of
// the SDK: it embeds the whole request, every header (Authorization, Cookie)
// and the body, so one forged request could write whatever it liked, at any
// length, into the log.
func refuse(c *gin.Context, reason string, status int) {
	httpx.Logger(c).Warn("wechat pay notification refused", "reason", reason)
	msg := reason
	if status == http.StatusUnauthorized {
		msg = "signature or content invalid" // which check failed is for our log, not the sender
	}
	c.AbortWithStatusJSON(status, gin.H{"code": "FAIL", "message": msg})
}

// refusalReason names why verification failed, from the start of the SDK's
// error message only: what follows may quote the request, which the sender
// chose.
func refusalReason(err error) string {
	msg := err.Error()
	for _, r := range refusalReasons {
		if strings.HasPrefix(msg, r.prefix) {
			return r.reason
		}
	}
	return "signature or content invalid"
}

// refusalReasons map the prefixes of wechatpay-go's notify errors (in the
// order it checks) to the reasons logged; the first match wins.
var refusalReasons = []struct{ prefix, reason string }{
	{"unsupported Wechatpay-Signature-Type", "signature type unsupported"},
	{"invalid notification, err: key `", "signature headers missing"},
	{"invalid notification, err: invalid `", "signature headers malformed"},
	{"invalid notification, err: timestamp=", "timestamp stale"},
	{"invalid notification", "signature invalid"},
	{"parse request body error", "malformed"},
	{"possible invalid notification", "malformed"},
	{"AEAD_AES_256_GCM decrypt error", "decrypt failed"},
	{"unmarshal plaintext", "malformed"},
	{"wxpay: malformed", "malformed"},
}
