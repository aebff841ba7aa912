package mpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/httpx"
)

// visitHandlers serve POST /visits.
type visitHandlers struct{ rec *attribution.Recorder }

// record: POST /api/v1/visits {scene?, ref?, path, entry}, with or without
// a shopper's token. 202 once the visit is buffered (saved within a
// second); its source is resolved then, so a scene or ref that names
// nothing is recorded as an unknown source, never refused.
func (h *visitHandlers) record(c *gin.Context) {
	var in struct {
		Scene string `json:"scene"`
		Ref   string `json:"ref"`
		Path  string `json:"path"`
		Entry int    `json:"entry"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	err := h.rec.Record(shopperID(c), attribution.Visit{Scene: in.Scene, Ref: in.Ref, Path: in.Path, Entry: in.Entry})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}
