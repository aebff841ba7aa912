package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// channelList: GET /console/channels — every channel with its code and
// status, newest first (shops have tens of them: one page).
func (h *handlers) channelList(c *gin.Context) {
	cs, err := h.d.Channels.List(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "channels.html", View{Title: httpx.Printer(c).T("console.channel.title"), Nav: "channels", Data: cs})
}
