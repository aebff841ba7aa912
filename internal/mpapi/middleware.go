package mpapi

import (
	"net/http"
	"strconv"
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

// limitShopperWrites limits each shopper's state-changing requests (placing
// orders, claiming coupons, editing the cart); reads pass. It runs after
// requireShopper, so the key is the verified shopper id: one shopper behind
// many addresses gets no more, and shoppers sharing an address (a campus,
// a carrier's NAT) do not share a bucket.
func limitShopperWrites(l *httpx.Limiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if !l.Admit(c, strconv.FormatInt(shopperID(c), 10)) {
				return
			}
		}
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

// list is the shape of every list answer: {"items": […], "next_cursor": "…"}
// (an empty next_cursor on the last page).
type list[J any] struct {
	Items      []J    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// listOf converts a page of domain values into the list answer.
func listOf[T, J any](rows []T, next string, conv func(T) J) list[J] {
	out := list[J]{Items: make([]J, len(rows)), NextCursor: next}
	for i, r := range rows {
		out.Items[i] = conv(r)
	}
	return out
}
