package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// homeBannerDelete: POST /console/home/banners/{id}/delete
func (h *handlers) homeBannerDelete(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err == nil {
		_, err = h.d.Home.DeleteBanner(c.Request.Context(), me(c).Actor(), id)
	}
	h.homeArranged(c, err, "console.home.banner_deleted")
}

// homeSectionDelete: POST /console/home/sections/{id}/delete
func (h *handlers) homeSectionDelete(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err == nil {
		_, err = h.d.Home.DeleteSection(c.Request.Context(), me(c).Actor(), id)
	}
	h.homeArranged(c, err, "console.home.section_deleted")
}

// homeBannerMove: POST /console/home/banners/{id}/move (direction=up|down)
func (h *handlers) homeBannerMove(c *gin.Context) { h.homeMove(c, "banner") }

// homeSectionMove: POST /console/home/sections/{id}/move (direction=up|down)
func (h *handlers) homeSectionMove(c *gin.Context) { h.homeMove(c, "section") }

func (h *handlers) homeMove(c *gin.Context, what string) {
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = h.d.Home.Move(c.Request.Context(), me(c).Actor(), what, id, postedForm(c).Get("direction") == "up")
	}
	h.homeArranged(c, err, "console.home.moved")
}

// homeArranged goes back to the editor with a notice, or shows the error.
func (h *handlers) homeArranged(c *gin.Context, err error, notice string) {
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, "/console/home", httpx.Printer(c).T(notice))
}
