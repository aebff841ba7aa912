package console

import (
	"fmt"
	"io"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/httpx"
)

// inventoryExport: GET /console/inventory/export.csv streams every SKU in
// the import format (UTF-8 with a byte-order mark, so Excel reads the
// Chinese text): edit it in a spreadsheet and import it back.
func (h *handlers) inventoryExport(c *gin.Context) {
	started := false
	err := h.d.CatalogIO.Export(c.Request.Context(), func() io.Writer {
		started = true
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="kaidian-skus-%s.csv"`,
			time.Now().In(clock.China).Format("20060102-1504")))
		return c.Writer
	})
	switch {
	case err != nil && !started:
		h.fail(c, err)
	case err != nil:
		// The file is under way; all that can be done is stop and log it.
		httpx.Logger(c).Error("console: inventory export cut short", "error", err.Error())
	}
}
