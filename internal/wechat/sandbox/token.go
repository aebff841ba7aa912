package sandbox

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
)

// TokenLifetime is how long an access token lives (expires_in 7200 on WeChat).
const TokenLifetime = 2 * time.Hour

// tokenOverlap is how long an old token keeps working once a new one is
// issued: WeChat keeps both valid for five minutes (WeChat's getAccessToken documentation).
const tokenOverlap = 5 * time.Minute

type accessToken struct {
	Token     string    `gorm:"column:token;primaryKey"`
	AppID     string    `gorm:"column:appid"`
	Stable    bool      `gorm:"column:stable"`
	ExpiresAt time.Time `gorm:"column:expires_at"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (accessToken) TableName() string { return "sandbox_access_tokens" }

func (s *Server) mountTokens(r *gin.RouterGroup) {
	r.GET("/cgi-bin/token", s.token)
	r.POST("/cgi-bin/stable_token", s.stableToken)
}

// token is GET /cgi-bin/token: every call issues a new token, and earlier
// ones stop working five minutes later, as on WeChat.
func (s *Server) token(c *gin.Context) {
	if code, msg := credentials(c.Query("appid"), c.Query("secret"), c.Query("grant_type")); code != 0 {
		wxFail(c, code, msg)
		return
	}
	ctx, now := c.Request.Context(), s.now()
	if err := s.db.Conn(ctx).Model(&accessToken{}).Where("appid = ? AND stable = ? AND expires_at > ?", AppID, false, now.Add(tokenOverlap)).
		Update("expires_at", now.Add(tokenOverlap)).Error; err != nil {
		s.systemError(c, "expire tokens", err)
		return
	}
	s.issue(c, false)
}

// stableToken is POST /cgi-bin/stable_token: the same token while it has
// more than five minutes left, a new one after (the old one works until it
// expires); force_refresh revokes the old one at once and issues a new one.
func (s *Server) stableToken(c *gin.Context) {
	var in struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		wxFail(c, 47001, "data format error")
		return
	}
	if code, msg := credentials(in.AppID, in.Secret, in.GrantType); code != 0 {
		wxFail(c, code, msg)
		return
	}
	ctx, now := c.Request.Context(), s.now()
	if in.ForceRefresh {
		if err := s.db.Conn(ctx).Where("appid = ? AND stable = ?", AppID, true).Delete(&accessToken{}).Error; err != nil {
			s.systemError(c, "revoke tokens", err)
			return
		}
		s.issue(c, true)
		return
	}
	var t accessToken
	err := s.db.Conn(ctx).Where("appid = ? AND stable = ? AND expires_at > ?", AppID, true, now.Add(tokenOverlap)).
		Order("expires_at DESC").Take(&t).Error
	switch {
	case database.IsNotFound(err):
		s.issue(c, true)
	case err != nil:
		s.systemError(c, "read token", err)
	default:
		c.JSON(http.StatusOK, gin.H{"access_token": t.Token, "expires_in": int(t.ExpiresAt.Sub(now).Seconds())})
	}
}

// issue mints and stores a token and answers with it.
func (s *Server) issue(c *gin.Context, stable bool) {
	now := s.now()
	t := accessToken{Token: randomToken(48), AppID: AppID, Stable: stable, ExpiresAt: now.Add(TokenLifetime), CreatedAt: now}
	if err := s.db.Conn(c.Request.Context()).Create(&t).Error; err != nil {
		s.systemError(c, "store token", err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"access_token": t.Token, "expires_in": int(TokenLifetime.Seconds())})
}

// checkToken is what every access_token API checks first: 40001 for a
// token WeChat never issued, 42001 for one that expired.
func (s *Server) checkToken(ctx context.Context, token string) (int, string) {
	var t accessToken
	err := s.db.Conn(ctx).Where("token = ?", token).Take(&t).Error
	switch {
	case token == "":
		return 41001, "access_token missing"
	case database.IsNotFound(err):
		return 40001, "invalid credential, access_token is invalid or not latest"
	case err != nil:
		s.log.Error("sandbox: read token", "error", err)
		return -1, "system error"
	case !s.now().Before(t.ExpiresAt):
		return 42001, "access_token expired"
	}
	return 0, ""
}

// credentials checks the AppID, AppSecret and grant type of a token request.
func credentials(appID, secret, grant string) (int, string) {
	switch {
	case appID != AppID:
		return 40013, "invalid appid"
	case secret != AppSecret:
		return 40125, "invalid appsecret"
	case grant != "client_credential":
		return 40002, "invalid grant_type"
	}
	return 0, ""
}

// wxFail answers as WeChat's platform APIs do: HTTP 200, errcode and an
// errmsg ending in a request id.
func wxFail(c *gin.Context, code int, msg string) {
	c.JSON(http.StatusOK, gin.H{"errcode": code, "errmsg": msg + ", rid: " + randomToken(6)})
}

func (s *Server) systemError(c *gin.Context, what string, err error) {
	s.log.Error("sandbox: "+what, "error", err)
	wxFail(c, -1, "system error")
}
