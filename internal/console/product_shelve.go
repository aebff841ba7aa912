package console

import (
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
)

// productShelf: POST /console/products/shelf — ids=…&shelf=on|off puts the
// ticked products on or off shelf together, then returns to the same list.
func (h *handlers) productShelf(c *gin.Context) {
	var ids []int64
	for _, v := range c.Request.PostForm["ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.fail(c, errs.Field("ids", "console.not_products"))
			return
		}
		ids = append(ids, id)
	}
	on := c.PostForm("shelf") == "on"
	if !on && c.PostForm("shelf") != "off" {
		h.fail(c, errs.Field("shelf", "console.shelf"))
		return
	}
	n, err := h.d.Catalog.SetShelf(c.Request.Context(), ids, on, me(c).Actor())
	if err != nil {
		h.fail(c, err)
		return
	}
	// The list's filters come back as a query string; re-encoding them keeps
	// the redirect on this page whatever was posted.
	back, _ := url.ParseQuery(c.PostForm("back"))
	back.Del("cursor")
	to := "/console/products"
	if len(back) > 0 {
		to += "?" + back.Encode()
	}
	id := "console.products.shelved_off"
	if on {
		id = "console.products.shelved_on"
	}
	redirect(c, to, httpx.Printer(c).T(id, "n", n, "total", len(ids)))
}
