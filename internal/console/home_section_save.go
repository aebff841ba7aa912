package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/httpx"
)

// homeSectionCreate: POST /console/home/sections
func (h *handlers) homeSectionCreate(c *gin.Context) { h.homeSectionSave(c, 0, nil) }

// homeSectionUpdate: POST /console/home/sections/{id}
func (h *handlers) homeSectionUpdate(c *gin.Context) {
	s, ok := pathRecord(h, c, h.d.Home.Section)
	if !ok {
		return
	}
	h.homeSectionSave(c, s.ID, &s)
}

func (h *handlers) homeSectionSave(c *gin.Context, id int64, before *home.Section) {
	form := postedForm(c)
	d, err := readSection(form)
	if err == nil {
		_, err = h.d.Home.SaveSection(c.Request.Context(), me(c).Actor(), id, d)
	}
	if err != nil {
		h.sectionForm(c, httpx.Status(err), form.Fail(err), before)
		return
	}
	redirect(c, "/console/home", httpx.Printer(c).T("console.home.section_saved"))
}
