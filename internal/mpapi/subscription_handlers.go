package mpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// subscriptionHandlers serve subscribe messages: which templates to ask
// the shopper about, and what the shopper answered.
type subscriptionHandlers struct{ svc *subscribe.Service }

type offerTemplateJSON struct {
	Scene      subscribe.Scene `json:"scene"`
	TemplateID string          `json:"template_id"`
}

type templatesJSON struct {
	Items []offerTemplateJSON `json:"items"`
}

// templates: GET /api/v1/subscriptions/templates
func (h *subscriptionHandlers) templates(c *gin.Context) {
	offers, err := h.svc.Offers(c.Request.Context())
	out := templatesJSON{Items: make([]offerTemplateJSON, len(offers))}
	for i, o := range offers {
		out.Items[i] = offerTemplateJSON{Scene: o.Scene, TemplateID: o.TemplateID}
	}
	reply(c, http.StatusOK, out, err)
}

type creditsJSON struct {
	Credits map[string]int `json:"credits"`
}

// record: POST /api/v1/subscriptions {results: {template_id: accept|reject|ban|filter}}
func (h *subscriptionHandlers) record(c *gin.Context) {
	var in struct {
		Results map[string]string `json:"results"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	credits, err := h.svc.RecordResults(c.Request.Context(), shopperID(c), in.Results)
	reply(c, http.StatusOK, creditsJSON{Credits: credits}, err)
}
