package mpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/address"
	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/cart"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/order"
)

// Placeholders while the handlers are being written; each helper replaces its block.

func notYet(c *gin.Context) { httpx.Fail(c, errs.New(errs.KindUnavailable, "not_implemented", "not implemented yet")) }

type authHandlers struct{ svc *auth.Login }

func (h *authHandlers) login(c *gin.Context) { notYet(c) }

type catalogHandlers struct{ svc *catalog.Service }

func (h *catalogHandlers) categories(c *gin.Context) { notYet(c) }
func (h *catalogHandlers) products(c *gin.Context)   { notYet(c) }
func (h *catalogHandlers) product(c *gin.Context)    { notYet(c) }

type cartHandlers struct{ svc *cart.Service }

func (h *cartHandlers) list(c *gin.Context)   { notYet(c) }
func (h *cartHandlers) add(c *gin.Context)    { notYet(c) }
func (h *cartHandlers) update(c *gin.Context) { notYet(c) }
func (h *cartHandlers) remove(c *gin.Context) { notYet(c) }

type addressHandlers struct{ svc *address.Service }

func (h *addressHandlers) list(c *gin.Context)   { notYet(c) }
func (h *addressHandlers) create(c *gin.Context) { notYet(c) }
func (h *addressHandlers) update(c *gin.Context) { notYet(c) }
func (h *addressHandlers) remove(c *gin.Context) { notYet(c) }

type orderHandlers struct{ svc *order.Service }

func (h *orderHandlers) preview(c *gin.Context)        { notYet(c) }
func (h *orderHandlers) place(c *gin.Context)          { notYet(c) }
func (h *orderHandlers) list(c *gin.Context)           { notYet(c) }
func (h *orderHandlers) get(c *gin.Context)            { notYet(c) }
func (h *orderHandlers) cancel(c *gin.Context)         { notYet(c) }
func (h *orderHandlers) confirmReceipt(c *gin.Context) { notYet(c) }
