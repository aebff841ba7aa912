package mpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/httpx"
)

type authHandlers struct{ svc *auth.Login }

// login: POST /api/v1/auth/login {code} → {token, expires_in, user}. The
// openid and WeChat's session_key never leave the server.
func (h *authHandlers) login(c *gin.Context) {
	var in struct {
		Code string `json:"code"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	res, err := h.svc.Login(c.Request.Context(), in.Code)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, loginJSON{Token: res.Token, ExpiresIn: res.ExpiresIn,
		User: userJSON{ID: res.Shopper.ID, Nickname: res.Shopper.Nickname}})
}

type loginJSON struct {
	Token     string   `json:"token"`
	ExpiresIn int64    `json:"expires_in"`
	User      userJSON `json:"user"`
}

type userJSON struct {
	ID       int64  `json:"id"`
	Nickname string `json:"nickname"`
}
