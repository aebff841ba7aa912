package auth

import (
	"context"
	"errors"

	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/errs"
)

// SessionExchanger turns a wx.login code into the WeChat identity behind it
// (jscode2session). Declared here so auth does not depend on the WeChat client.
type SessionExchanger interface {
	Code2Session(ctx context.Context, code string) (customer.Identity, error)
}

// WeChatError is how an exchanger reports a WeChat errcode; any other error
// from it counts as WeChat being unreachable.
type WeChatError interface {
	error
	Code() int
}

// maxCodeLen is the longest code we pass on (api/openapi.yaml says 128).
const maxCodeLen = 128

// Login exchanges wx.login codes for shopper tokens.
type Login struct {
	wechat    SessionExchanger
	customers *customer.Service
	tokens    *Tokens
}

// NewLogin builds the login use case.
func NewLogin(ex SessionExchanger, customers *customer.Service, tokens *Tokens) *Login {
	return &Login{wechat: ex, customers: customers, tokens: tokens}
}

// LoginResult is a successful login: our own token (never WeChat's
// session_key or the openid, WeChat's code2Session documentation) and the shopper.
type LoginResult struct {
	Token     string
	ExpiresIn int64
	Shopper   customer.Shopper
}

// Login exchanges the wx.login code through jscode2session, finds or creates
// the shopper behind it and issues a token. A code is single-use, so a failed
// exchange is never retried here: the mini program calls wx.login() again.
func (l *Login) Login(ctx context.Context, code string) (LoginResult, error) {
	// Real codes are 32 characters; the cap keeps junk away from WeChat.
	if code == "" || len(code) > maxCodeLen {
		return LoginResult{}, errs.Field("code", "auth.code_format")
	}
	id, err := l.wechat.Code2Session(ctx, code)
	if err != nil {
		return LoginResult{}, wechatFailure(err)
	}
	sh, err := l.customers.Login(ctx, id)
	if err != nil {
		return LoginResult{}, err
	}
	tok, ttl, err := l.tokens.Issue(sh.ID)
	if err != nil {
		return LoginResult{}, err
	}
	return LoginResult{Token: tok, ExpiresIn: ttl, Shopper: sh}, nil
}

// wechatFailure maps WeChat's errcodes (WeChat's code2Session documentation) to our kinds.
func wechatFailure(err error) error {
	var we WeChatError
	if !errors.As(err, &we) {
		return errs.Wrap(errs.New(errs.KindUnavailable, "wechat_unavailable", "auth.wechat_unavailable"), err)
	}
	details := map[string]any{"wechat_errcode": we.Code()}
	switch we.Code() {
	case 40029, 40163:
		return &errs.Error{Kind: errs.KindUnauthenticated, Code: "invalid_code", ID: "auth.invalid_code", Details: details}
	case 45011:
		return &errs.Error{Kind: errs.KindRateLimited, Code: "rate_limited", ID: "auth.rate_limited", Details: details}
	case 40226:
		return &errs.Error{Kind: errs.KindForbidden, Code: "login_blocked", ID: "auth.login_blocked", Details: details}
	}
	return errs.Wrap(&errs.Error{Kind: errs.KindUnavailable, Code: "wechat_unavailable",
		ID: "auth.wechat_refused", Details: details}, err)
}
