package sandbox

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// SetRateLimit limits each client address to perSec requests a second on
// every sandbox route (bursts of twice that); 0 or less turns the limit off.
// The sandbox is a public HTTP surface wherever Kaidian runs in sandbox mode,
// and each request writes to the database. Call it before Mount.
func (s *Server) SetRateLimit(perSec float64) { s.limiter = httpx.NewLimiter(perSec) }

// limit refuses a client over its rate in the shape the route's real
// counterpart uses: WeChat Pay's 429 FREQUENCY_LIMITED (unsigned: nothing
// has been verified yet), the mini-program API's errcode 45011 on HTTP 200,
// and Kaidian's 429 rate_limited for the sandbox's own controls.
func (s *Server) limit(c *gin.Context) {
	ok, wait := s.limiter.Allow(httpx.ClientKey(c.ClientIP()))
	if ok {
		c.Next()
		return
	}
	c.Abort()
	path := c.Request.URL.Path
	switch {
	case strings.Contains(path, "/v3/") && s.pay != nil:
		s.pay.refuse(c.Writer, http.StatusTooManyRequests, "FREQUENCY_LIMITED", "频率超限")
	case strings.Contains(path, "/wx/login") || strings.Contains(path, "/wxpay/"):
		httpx.RateLimited(c, wait)
	default:
		c.JSON(http.StatusOK, gin.H{"errcode": 45011, "errmsg": "api minute-quota reach limit mustslower retry next minute, rid: " + randomToken(6)})
	}
}
