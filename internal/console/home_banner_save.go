package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/httpx"
)

// homeBannerCreate: POST /console/home/banners (multipart: the image comes
// through the console's image upload, as a product's do).
func (h *handlers) homeBannerCreate(c *gin.Context) { h.homeBannerSave(c, 0, nil) }

// homeBannerUpdate: POST /console/home/banners/{id}
func (h *handlers) homeBannerUpdate(c *gin.Context) {
	b, ok := pathRecord(h, c, h.d.Home.Banner)
	if !ok {
		return
	}
	h.homeBannerSave(c, b.ID, &b)
}

func (h *handlers) homeBannerSave(c *gin.Context, id int64, before *home.Banner) {
	form := postedForm(c)
	uploaded, err := h.storeUploads(c)
	var d home.BannerDraft
	if err == nil {
		d, err = readBanner(form, uploaded)
	}
	if err == nil {
		_, err = h.d.Home.SaveBanner(c.Request.Context(), me(c).Actor(), id, d)
	}
	if err != nil {
		h.bannerForm(c, httpx.Status(err), failBanner(form, err), before)
		return
	}
	redirect(c, "/console/home", httpx.Printer(c).T("console.home.banner_saved"))
}
