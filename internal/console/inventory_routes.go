package console

import "github.com/gin-gonic/gin"

// mountInventory registers the pages for stock, the ledger, adjustments, CSV import and export.
func (h *handlers) mountInventory(r *gin.RouterGroup) {
	r.GET("/inventory", h.inventoryList)
	r.GET("/inventory/export.csv", h.inventoryExport)
	r.GET("/inventory/import", h.importPage)
	r.POST("/inventory/import", h.importUpload)
	r.GET("/inventory/import/template.csv", h.importTemplate)
	r.GET("/inventory/import/:id", h.importShow)
	r.GET("/inventory/:id", h.inventorySKU)
	r.POST("/inventory/:id/adjust", h.inventoryAdjust)
}
