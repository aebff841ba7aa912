package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/httpx"
)

// sectionFormData is what the section form needs besides the values.
type sectionFormData struct {
	Section    *home.Section // nil when creating
	Kinds      []home.Kind
	Rules      []catalog.PickRule
	Categories []categoryOption
}

// homeSectionNew: GET /console/home/sections/new
func (h *handlers) homeSectionNew(c *gin.Context) {
	h.sectionForm(c, http.StatusOK, NewForm(c, newSectionValues()), nil)
}

// homeSectionEdit: GET /console/home/sections/{id}
func (h *handlers) homeSectionEdit(c *gin.Context) {
	s, ok := pathRecord(h, c, h.d.Home.Section)
	if !ok {
		return
	}
	h.sectionForm(c, http.StatusOK, NewForm(c, sectionValues(s)), &s)
}

func (h *handlers) sectionForm(c *gin.Context, status int, f *Form, s *home.Section) {
	cats, err := h.categoryOptions(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	p := httpx.Printer(c)
	title := p.T("console.home_section.new_title")
	if s != nil {
		title = p.T("console.home_section.edit_title")
	}
	h.render(c, status, "home_section_form.html", View{Title: title, Nav: "home", Form: f,
		Data: sectionFormData{Section: s, Kinds: home.Kinds, Rules: home.Rules, Categories: cats}})
}
