package console

import "github.com/gin-gonic/gin"

// mountCoupons registers the pages for coupons: create, edit, issue, statistics.
func (h *handlers) mountCoupons(r *gin.RouterGroup) {}
