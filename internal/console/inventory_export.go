package console

import (
	"fmt"
	"io"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
)

// inventoryExport: GET /console/inventory/export.csv streams every SKU in
// the import format (UTF-8 with a byte-order mark, so Excel reads the
// Chinese text): edit it in a spreadsheet and import it back. The header is
// in the reader's language; ?headers=en asks for the English column names,
// for a file meant for other systems and scripts.
func (h *handlers) inventoryExport(c *gin.Context) {
	started := false
	err := h.d.CatalogIO.Export(c.Request.Context(), csvHeaders(c), func() io.Writer {
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

// csvHeaders is the language of a CSV file's header: English when the
// request asks for it (?headers=en), the reader's language otherwise.
func csvHeaders(c *gin.Context) i18n.Lang {
	if c.Query("headers") == "en" {
		return i18n.En
	}
	return httpx.Lang(c)
}
