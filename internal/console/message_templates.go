package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// keywordRows is how many keyword rows the scene form offers; WeChat's
// templates have at most five keywords.
const keywordRows = 6

type sceneRow struct {
	Scene    subscribe.Scene
	Template subscribe.Template
	Set      bool
}

// messageTemplates: GET /console/messages/templates — every scene with the
// template it is mapped to.
func (h *handlers) messageTemplates(c *gin.Context) {
	ts, err := h.d.Messages.Templates(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	var rows []sceneRow
	for _, d := range subscribe.Scenes {
		t, ok := ts[d.Scene]
		rows = append(rows, sceneRow{Scene: d.Scene, Template: t, Set: ok})
	}
	h.render(c, http.StatusOK, "message_templates.html", View{Title: httpx.Printer(c).T("console.messages.templates_title"),
		Nav: "messages", Data: rows})
}

type sceneFormData struct {
	Scene   subscribe.Scene
	Sources []choice
	Rows    []int
}

// sceneOf reads the :scene of the path; a name outside the closed set is not found.
func sceneOf(c *gin.Context) (subscribe.SceneDef, error) {
	d, ok := subscribe.Def(subscribe.Scene(c.Param("scene")))
	if !ok {
		return d, subscribe.ErrUnknownScene
	}
	return d, nil
}

// messageTemplateEdit: GET /console/messages/templates/:scene (owners)
func (h *handlers) messageTemplateEdit(c *gin.Context) {
	d, err := sceneOf(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	ts, err := h.d.Messages.Templates(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	v := url.Values{"enabled": {"on"}}
	if t, ok := ts[d.Scene]; ok {
		v = url.Values{"template_id": {t.TemplateID}, "page": {t.Page}}
		if t.Enabled {
			v.Set("enabled", "on")
		}
		for i, kw := range t.Keywords() {
			v.Set("keyword"+strconv.Itoa(i+1), kw)
			v.Set("source"+strconv.Itoa(i+1), t.Fields.V[kw])
		}
	}
	h.renderSceneForm(c, http.StatusOK, d, NewForm(c, v))
}

// messageTemplateSave: POST /console/messages/templates/:scene (owners, audited)
func (h *handlers) messageTemplateSave(c *gin.Context) {
	d, err := sceneOf(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c)
	t := subscribe.Template{Scene: d.Scene, TemplateID: form.Get("template_id"), Page: form.Get("page"),
		Enabled: form.Get("enabled") == "on", Fields: database.JSON[map[string]string]{V: map[string]string{}}}
	for i := 1; i <= keywordRows; i++ {
		kw, src := strings.TrimSpace(form.Get("keyword"+strconv.Itoa(i))), form.Get("source"+strconv.Itoa(i))
		switch {
		case kw == "" && src == "":
			continue
		case kw == "" || src == "":
			err = errs.Field("fields", "console.messages.row_incomplete", "n", i)
		case t.Fields.V[kw] != "":
			err = errs.Field("fields", "console.messages.keyword_twice", "keyword", kw)
		}
		if err != nil {
			break
		}
		t.Fields.V[kw] = src
	}
	if err == nil {
		_, err = h.d.Messages.SaveTemplate(c.Request.Context(), me(c).Actor(), t)
	}
	if err != nil {
		h.renderSceneForm(c, httpx.Status(err), d, form.Fail(err))
		return
	}
	redirect(c, "/console/messages/templates", httpx.Printer(c).T("console.messages.saved"))
}

func (h *handlers) renderSceneForm(c *gin.Context, status int, d subscribe.SceneDef, form *Form) {
	p := httpx.Printer(c)
	data := sceneFormData{Scene: d.Scene}
	for _, s := range d.Sources {
		data.Sources = append(data.Sources, choice{s.Key, p.Enum("subscribe.source", s.Key)})
	}
	for i := 1; i <= keywordRows; i++ {
		data.Rows = append(data.Rows, i)
	}
	h.render(c, status, "message_template.html", View{Title: p.Enum("subscribe.scene", d.Scene), Nav: "messages",
		Form: form, Data: data})
}
