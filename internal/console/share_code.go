package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/share"
)

// shareCode: GET /console/share/code.png?page=&target=&ref=&width=&download=
// — the mini-program code of a page and target for a channel or a promoter
// (ref "channel:<code>", "promoter:<code>", or none), for every console
// page that offers codes to print. download=1 saves it as a file named
// after the reference, the target and the width.
func (h *handlers) shareCode(c *gin.Context) {
	width := 0
	if s := c.Query("width"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			h.fail(c, share.ErrBadWidth)
			return
		}
		width = n
	}
	code, err := h.d.Share.Code(c.Request.Context(), c.Query("page"), c.Query("target"), c.Query("ref"), width)
	if err != nil {
		h.fail(c, err)
		return
	}
	if c.Query("download") == "1" {
		name := strings.NewReplacer(":", "-").Replace(strings.Join(nonEmpty(c.Query("ref"), orHome(c.Query("target")),
			strconv.Itoa(code.Width)), "-"))
		c.Header("Content-Disposition", `attachment; filename="`+name+`.png"`)
	}
	c.Header("Cache-Control", "private, max-age=86400")
	c.Data(http.StatusOK, "image/png", code.PNG)
}

func orHome(target string) string {
	if target == "" {
		return share.KindHome
	}
	return target
}

func nonEmpty(ss ...string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
