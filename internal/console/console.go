// Package console is the merchant's web console under /console: pages
// rendered on the server with html/template from web/templates/console,
// plain forms, no third-party JavaScript. Every page but sign-in needs a
// console session; every form that changes something carries the session's
// CSRF token; owner-only pages refuse staff.
package console

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/report"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/web"
)

// Deps are the services the console calls.
type Deps struct {
	Staff     *staff.Service
	Audit     *audit.Log
	Settings  *setting.Service
	Reports   *report.Service
	Catalog   *catalog.Service
	CatalogIO *catalogio.Service
	Inventory *inventory.Service
	Orders    *order.Service
	Payments  *payment.Service
	Shipping  *shipping.Service
	Customers *customer.Service
	Coupons   *coupon.Service
	Flash     *flashsale.Service
	DataDir   string // uploads are stored under DataDir/uploads
	Log       *slog.Logger
	Sandbox   bool // shows the sandbox banner on every page
}

type handlers struct {
	d       Deps
	pages   templates
	sandbox bool
}

// Mount registers every console route on r (normally /console).
func Mount(r *gin.RouterGroup, d Deps) error {
	pages, err := parseTemplates(web.ConsoleTemplates())
	if err != nil {
		return err
	}
	h := &handlers{d: d, pages: pages, sandbox: d.Sandbox}
	r.Use(securityHeaders, h.loadSession)

	r.GET("/login", h.loginPage)
	r.POST("/login", h.login)

	in := r.Group("", h.requireSession, h.checkCSRF, h.forcePasswordChange)
	in.POST("/logout", h.logout)
	in.GET("/password", h.passwordPage)
	in.POST("/password", h.passwordSave)
	in.GET("", h.dashboard)
	in.GET("/", h.dashboard)
	h.mountCatalog(in)
	h.mountInventory(in)
	h.mountCoupons(in)
	h.mountFlashSales(in)
	h.mountOrders(in)
	h.mountCustomers(in)

	owner := in.Group("", h.requireOwner)
	owner.GET("/staff", h.staffList)
	owner.GET("/staff/new", h.staffNew)
	owner.POST("/staff", h.staffCreate)
	owner.GET("/staff/:id", h.staffEdit)
	owner.POST("/staff/:id", h.staffUpdate)
	owner.GET("/audit", h.auditList)
	owner.GET("/settings", h.settingsPage)
	owner.POST("/settings", h.settingsSave)
	return nil
}
