package console

import "github.com/gin-gonic/gin"

// mountCustomers registers the pages for shoppers and their orders.
func (h *handlers) mountCustomers(r *gin.RouterGroup) {}
