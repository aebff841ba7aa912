// Package sandbox is a local stand-in for WeChat's servers, so Kaidian runs
// and is tested end to end on a machine with no internet. It answers with
// WeChat's own shapes and error codes (as WeChat's API documentation gives them), and keeps its state
// in Kaidian's database so that every replica shares it.
package sandbox

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/httpx"
)

// AppID and AppSecret are the mini program's credentials in sandbox mode:
// app wiring hands them to the production client, and jscode2session refuses
// any others with WeChat's 40013 / 40125.
const (
	AppID     = "wx0000000000sandbox"
	AppSecret = "sandbox-app-secret-not-for-production"
)

// CodeLifetime is how long a wx.login code can be exchanged (about 5 minutes on WeChat).
const CodeLifetime = 5 * time.Minute

// Server is the sandbox's state and routes. Its state lives in the database,
// so a code minted through one replica can be exchanged through another.
type Server struct {
	db    *database.DB
	log   *slog.Logger
	clock atomic.Pointer[func() time.Time]
	pay   *pay // nil until EnablePay
	sec   secCheck
	codes codes // mini-program codes: the pages they may open (wxacode.go)

	limiter *httpx.Limiter // per client address; nil: no limit
}

// New builds the sandbox on the wall clock.
func New(db *database.DB, log *slog.Logger) *Server {
	s := &Server{db: db, log: log}
	s.SetClock(time.Now)
	s.SetBlockedWords(DefaultBlockedWords)
	return s
}

// SetClock replaces the sandbox's clock, so tests can expire codes without
// sleeping. It is safe to call while the sandbox is serving.
func (s *Server) SetClock(now func() time.Time) { s.clock.Store(&now) }

func (s *Server) now() time.Time { return (*s.clock.Load())().UTC() }

// EnablePay adds WeChat Pay v3 (under <mount>/v3) signed and verified with keys.
func (s *Server) EnablePay(keys *PayKeys) {
	s.pay = &pay{db: s.db, log: s.log, keys: keys, now: s.now, retryScale: 1, refundDelay: DefaultRefundDelay,
		senders: DefaultNotifySenders, wake: make(chan struct{}, 1), client: notifyClient()}
}

// Mount registers the sandbox routes under r (normally /sandbox).
func (s *Server) Mount(r *gin.RouterGroup) {
	if s.limiter != nil {
		r.Use(s.limit)
	}
	if s.pay != nil {
		s.pay.mount(r)
		r.POST("/wxpay/pay", s.pay.simulatePayment)
		r.GET("/wxpay/notifications", s.pay.notifications)
		r.POST("/wxpay/notifications/:id/redeliver", s.pay.redeliver)
		r.POST("/wxpay/notifications/deliver", s.pay.deliverNow)
		r.POST("/wxpay/mode", s.pay.setPayMode)
	}
	r.POST("/wx/login", s.wxLogin)
	r.GET("/sns/jscode2session", s.jscode2session)
	s.mountTokens(r)
	s.mountShipping(r)
	s.mountExpress(r)
	s.mountPhone(r)
	s.mountSecCheck(r)
	s.mountSubscribe(r)
	s.mountCodes(r)
}

// MountPayRoot serves WeChat Pay v3 at /v3 of r as well, where
// api.mch.weixin.qq.com serves it: `kaidian sandbox` does, so that any
// WeChat Pay client, in any language, is pointed at the sandbox by its base
// URL alone. It does nothing unless EnablePay was called.
func (s *Server) MountPayRoot(r *gin.RouterGroup) {
	if s.pay == nil {
		return
	}
	if s.limiter != nil {
		r.Use(s.limit)
	}
	s.pay.mount(r)
}

// loginCode is one wx.login code the sandbox handed out, exchanged once
// within CodeLifetime for the session.
type loginCode struct {
	SingleUse
	OpenID     string `gorm:"column:openid"`
	UnionID    string `gorm:"column:unionid"`
	SessionKey string `gorm:"column:session_key"`
}

func (loginCode) TableName() string { return "sandbox_login_codes" }

// wxLogin is what wx.login() does on the phone: POST {user, unionid?} → {code}.
// The same user always gets the same openid; "unionid": true plays a mini
// program bound to an Open Platform account, which also yields a unionid.
func (s *Server) wxLogin(c *gin.Context) {
	var in struct {
		User    string `json:"user"`
		UnionID bool   `json:"unionid"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || strings.TrimSpace(in.User) == "" || len(in.User) > 64 {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field", "message": "send {\"user\": \"<1 to 64 characters>\"}"}})
		return
	}
	// A real session_key is 16 random bytes in standard base64.
	lc := loginCode{SingleUse: s.newCode(16), OpenID: derive("openid", in.User, 27),
		SessionKey: base64.StdEncoding.EncodeToString(randomBytes(16))}
	if in.UnionID {
		lc.UnionID = derive("unionid", in.User, 27)
	}
	s.issueCode(c, &lc, "login")
}

// jscode2session answers like WeChat (WeChat's code2Session documentation): HTTP 200
// always, {errcode, errmsg} on failure, errmsg ending in a request id.
func (s *Server) jscode2session(c *gin.Context) {
	sess, code, msg := s.exchange(c.Request.Context(), c.Query("appid"), c.Query("secret"), c.Query("js_code"), c.Query("grant_type"))
	if code != 0 {
		c.JSON(http.StatusOK, gin.H{"errcode": code, "errmsg": msg + ", rid: " + randomToken(6)})
		return
	}
	out := gin.H{"openid": sess.OpenID, "session_key": sess.SessionKey}
	if sess.UnionID != "" {
		out["unionid"] = sess.UnionID
	}
	c.JSON(http.StatusOK, out)
}

// exchange checks the credentials and spends the code (spendCode). Credentials
// are checked first, so a refused call does not burn the shopper's code.
func (s *Server) exchange(ctx context.Context, appID, secret, code, grant string) (loginCode, int, string) {
	switch {
	case appID != AppID:
		return loginCode{}, 40013, "invalid appid"
	case secret != AppSecret:
		return loginCode{}, 40125, "invalid appsecret"
	case grant != "authorization_code":
		return loginCode{}, 40002, "invalid grant_type"
	case code == "":
		return loginCode{}, 41008, "missing code"
	}
	var lc loginCode
	errcode, msg := s.spendCode(ctx, &lc, code, "login", 40163, "code been used")
	return lc, errcode, msg
}

// PruneLoginCodes deletes the login codes past their five minutes, used or
// not, and says how many; Run calls it every minute. A code spent but not
// yet expired is kept, so exchanging it again still answers 40163 (code been
// used) as WeChat does; once expired it answers 40029 either way.
func (s *Server) PruneLoginCodes(ctx context.Context) (int64, error) {
	return s.pruneCodes(ctx, &loginCode{})
}

// derive makes a stable WeChat-looking id for a sandbox user.
func derive(kind, user string, n int) string {
	sum := sha256.Sum256([]byte(kind + "|" + AppID + "|" + user))
	return "o" + base64.RawURLEncoding.EncodeToString(sum[:])[:n]
}

// randomToken is n random bytes in hex: codes and request ids.
func randomToken(n int) string { return hex.EncodeToString(randomBytes(n)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return b
}
