package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/subscribe"
)

type messageLogData struct {
	Events           []subscribe.Record
	Statuses, Scenes []choice
	Next             string
	Query            url.Values
	Filtered         bool
}

// messageList: GET /console/messages?status=&scene=&ref=&cursor= — the
// subscribe messages log: sent, skipped for lack of consent, failed with
// WeChat's error.
func (h *handlers) messageList(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), "50")
	if err != nil {
		h.fail(c, err)
		return
	}
	q := subscribe.Query{Status: c.Query("status"), Scene: subscribe.Scene(c.Query("scene")),
		Ref: strings.TrimSpace(c.Query("ref")), Page: pg}
	rs, next, err := h.d.Messages.Log(c.Request.Context(), q)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := httpx.Printer(c)
	d := messageLogData{Events: rs, Next: next, Query: c.Request.URL.Query(),
		Filtered: q.Status != "" || q.Scene != "" || q.Ref != ""}
	for _, s := range subscribe.Statuses {
		d.Statuses = append(d.Statuses, choice{s, p.Enum("subscribe.status", s)})
	}
	for _, s := range subscribe.Scenes {
		d.Scenes = append(d.Scenes, choice{string(s.Scene), p.Enum("subscribe.scene", s.Scene)})
	}
	h.render(c, http.StatusOK, "messages.html", View{Title: p.T("console.messages.title"), Nav: "messages", Data: d})
}
