package console

import "github.com/gin-gonic/gin"

// mountOrders registers the pages for orders, shipping, refunds.
func (h *handlers) mountOrders(r *gin.RouterGroup) {}
