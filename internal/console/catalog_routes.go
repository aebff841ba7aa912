package console

import "github.com/gin-gonic/gin"

// mountCatalog registers the pages for products, SKUs, categories and images.
func (h *handlers) mountCatalog(r *gin.RouterGroup) {}
