package mpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/address"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

// addressHandlers serve the shopper's address book: /addresses and /addresses/{id}.
type addressHandlers struct{ svc *address.Service }

// list: GET /api/v1/addresses
func (h *addressHandlers) list(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, next, err := h.svc.List(c.Request.Context(), shopperID(c), pg)
	reply(c, http.StatusOK, listOf(rows, next, toAddress), err)
}

// create: POST /api/v1/addresses
func (h *addressHandlers) create(c *gin.Context) {
	var in address.Input
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	a, err := h.svc.Create(c.Request.Context(), shopperID(c), in)
	reply(c, http.StatusCreated, toAddress(a), err)
}

// update: PUT /api/v1/addresses/{id}
func (h *addressHandlers) update(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var in address.Input
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	a, err := h.svc.Update(c.Request.Context(), shopperID(c), id, in)
	reply(c, http.StatusOK, toAddress(a), err)
}

// remove: DELETE /api/v1/addresses/{id}
func (h *addressHandlers) remove(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = h.svc.Delete(c.Request.Context(), shopperID(c), id)
	}
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type addressJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Province  string `json:"province"`
	City      string `json:"city"`
	District  string `json:"district"`
	Detail    string `json:"detail"`
	IsDefault bool   `json:"is_default"`
}

func toAddress(a address.Address) addressJSON {
	return addressJSON{ID: a.ID, Name: a.Name, Phone: a.Phone, Province: a.Province, City: a.City,
		District: a.District, Detail: a.Detail, IsDefault: a.IsDefault}
}
