package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/httpx"
)

// bannerFormData is what the banner form needs besides the values: the
// targets to choose from.
type bannerFormData struct {
	Banner     *home.Banner // nil when creating
	LinkTypes  []home.LinkType
	Categories []categoryOption
	FlashSales []flashsale.View
}

// homeBannerNew: GET /console/home/banners/new
func (h *handlers) homeBannerNew(c *gin.Context) {
	h.bannerForm(c, http.StatusOK, NewForm(c, url.Values{"link_type": {string(home.LinkNone)}, "enabled": {"on"}}), nil)
}

// homeBannerEdit: GET /console/home/banners/{id}
func (h *handlers) homeBannerEdit(c *gin.Context) {
	b, ok := pathRecord(h, c, h.d.Home.Banner)
	if !ok {
		return
	}
	h.bannerForm(c, http.StatusOK, NewForm(c, bannerValues(b)), &b)
}

// bannerForm renders the banner form with its choices.
func (h *handlers) bannerForm(c *gin.Context, status int, f *Form, b *home.Banner) {
	ctx := c.Request.Context()
	cats, err := h.categoryOptions(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	sales, err := h.d.Flash.Current(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := httpx.Printer(c)
	title := p.T("console.home_banner.new_title")
	if b != nil {
		title = p.T("console.home_banner.edit_title")
	}
	h.render(c, status, "home_banner_form.html", View{Title: title, Nav: "home", Form: f,
		Data: bannerFormData{Banner: b, LinkTypes: home.LinkTypes, Categories: cats, FlashSales: sales}})
}
