package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/share"
)

// channelNew: GET /console/channels/new
func (h *handlers) channelNew(c *gin.Context) {
	h.render(c, http.StatusOK, "channel_form.html", View{Title: httpx.Printer(c).T("console.channel.add"), Nav: "channels",
		Form: NewForm(c, url.Values{"active": {"on"}})})
}

// channelData is a channel's page: the edit form and its codes for
// download, for the home page and, when one is asked, a product.
type channelData struct {
	Channel    channel.Channel
	Home       codeLinks
	Product    *codeLinks // nil until a product is asked for
	ProductID  string     // as typed
	ProductErr string     // why the product's codes cannot be made
}

// codeLinks are one target's code in every print width.
type codeLinks struct {
	Preview string
	Sizes   []codeSize
}

type codeSize struct {
	Width int
	URL   string
}

// channelEdit: GET /console/channels/{id}?product= — the edit form and the
// channel's codes.
func (h *handlers) channelEdit(c *gin.Context) {
	ch, ok := pathRecord(h, c, h.d.Channels.Get)
	if !ok {
		return
	}
	v := url.Values{"name": {ch.Name}, "note": {ch.Note}}
	if ch.Active {
		v.Set("active", "on")
	}
	h.render(c, http.StatusOK, "channel.html", View{Title: ch.Name, Nav: "channels", Form: NewForm(c, v), Data: h.channelData(c, ch)})
}

func (h *handlers) channelData(c *gin.Context, ch channel.Channel) channelData {
	d := channelData{Channel: ch, Home: links(share.KindHome, ch.Ref()), ProductID: strings.TrimSpace(c.Query("product"))}
	if d.ProductID == "" {
		return d
	}
	id, err := strconv.ParseInt(d.ProductID, 10, 64)
	target := share.KindProduct + ":" + strconv.FormatInt(id, 10)
	if err != nil || id <= 0 {
		err = share.ErrBadTarget
	} else {
		_, err = h.d.Share.CheckTarget(c.Request.Context(), target)
	}
	if err != nil {
		d.ProductErr = httpx.Printer(c).Error(err)
		return d
	}
	l := links(target, ch.Ref())
	d.Product = &l
	return d
}

// links are the console's code URLs of target for ref, in every print width.
func links(target, ref string) codeLinks {
	l := codeLinks{Preview: codeURL(target, ref, share.MinWidth, false)}
	for _, w := range share.PrintWidths {
		l.Sizes = append(l.Sizes, codeSize{Width: w, URL: codeURL(target, ref, w, true)})
	}
	return l
}

// codeURL is GET /console/share/code.png for target and ref at width; the
// page is the target's own.
func codeURL(target, ref string, width int, download bool) string {
	q := url.Values{"target": {target}, "ref": {ref}, "width": {strconv.Itoa(width)}}
	if download {
		q.Set("download", "1")
	}
	return "/console/share/code.png?" + q.Encode()
}
