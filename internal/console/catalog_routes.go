package console

import "github.com/gin-gonic/gin"

// mountCatalog registers the pages for products, SKUs, categories and images.
func (h *handlers) mountCatalog(r *gin.RouterGroup) {
	r.GET("/products", h.productList)
	r.POST("/products/shelf", h.productShelf)
	r.GET("/products/new", h.productNew)
	r.POST("/products/new", h.productCreate)
	r.GET("/products/:id", h.productEdit)
	r.POST("/products/:id", h.productUpdate)
	r.GET("/categories", h.categoryList)
	r.POST("/categories", h.categoryCreate)
	r.POST("/categories/:id", h.categoryUpdate)
	r.POST("/categories/:id/delete", h.categoryDelete)
}
