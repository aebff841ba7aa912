package console

import "github.com/gin-gonic/gin"

// mountInventory registers the pages for stock, the ledger, adjustments, CSV import and export.
func (h *handlers) mountInventory(r *gin.RouterGroup) {}
