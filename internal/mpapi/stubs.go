package mpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
)

// Placeholders while the handlers are being written; each helper replaces its block.

func notYet(c *gin.Context) { httpx.Fail(c, errs.New(errs.KindUnavailable, "not_implemented", "not implemented yet")) }

type authHandlers struct{ svc *auth.Login }

func (h *authHandlers) login(c *gin.Context) { notYet(c) }

