package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/promoter"
)

// storeList: GET /console/stores — the brand's physical stores, each with
// its edit form, and the form that adds one.
func (h *handlers) storeList(c *gin.Context) {
	h.storePage(c, http.StatusOK, NewForm(c, url.Values{"active": {"on"}}))
}

func (h *handlers) storePage(c *gin.Context, status int, form *Form) {
	ss, err := h.d.Promoters.Stores(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "stores.html", View{Title: httpx.Printer(c).T("console.stores.title"), Nav: "stores", Form: form, Data: ss})
}

func readStore(f *Form) promoter.StoreInput {
	return promoter.StoreInput{Name: f.Get("name"), City: f.Get("city"), Address: f.Get("address"), Active: f.Get("active") == "on"}
}

// storeCreate: POST /console/stores {name, city, address, active}
func (h *handlers) storeCreate(c *gin.Context) {
	form := postedForm(c)
	if _, err := h.d.Promoters.CreateStore(c.Request.Context(), me(c).Actor(), readStore(form)); err != nil {
		h.storePage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/stores", httpx.Printer(c).T("console.stores.created"))
}

// storeUpdate: POST /console/stores/{id} {name, city, address, active} —
// clearing active deactivates the store; its associates stay.
func (h *handlers) storeUpdate(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	if err == nil {
		_, err = h.d.Promoters.UpdateStore(c.Request.Context(), me(c).Actor(), id, readStore(form))
	}
	if err != nil {
		form.Values.Set("store_id", c.Param("id"))
		h.storePage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/stores", httpx.Printer(c).T("console.stores.saved"))
}
