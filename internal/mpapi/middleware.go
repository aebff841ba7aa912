package mpapi

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/httpx"
)

const shopperKey = "kaidian.shopper_id"

// requireShopper admits requests bearing a valid shopper token
// (`Authorization: Bearer …`) and answers 401 otherwise.
func requireShopper(tokens *auth.Tokens) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			httpx.Fail(c, auth.ErrUnauthenticated)
			return
		}
		id, err := tokens.Verify(token)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		c.Set(shopperKey, id)
		c.Next()
	}
}

// shopperID is the authenticated shopper; only routes behind requireShopper call it.
func shopperID(c *gin.Context) int64 { return c.GetInt64(shopperKey) }

// reply answers with the body, or with err in the single error shape.
func reply(c *gin.Context, status int, body any, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.JSON(status, body)
}
