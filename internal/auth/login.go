package auth

import (
	"context"
	"errors"
	"strconv"

	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/errs"
)

// SessionExchanger turns a wx.login code into the WeChat identity behind it
// (jscode2session). Declared here so auth does not depend on the WeChat client.
type SessionExchanger interface {
	Code2Session(ctx context.Context, code string) (customer.Identity, error)
}

// WeChatError is how an exchanger reports a WeChat errcode.
type WeChatError interface {
	error
	Code() int
}

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

// Result is a successful login.
type Result struct {
	Token     string
	ExpiresIn int64
	Shopper   customer.Shopper
}

// Login finds or creates the shopper behind the code and issues a token.
func (l *Login) Login(ctx context.Context, code string) (Result, error) {
	if code == "" || len(code) > 128 {
		return Result{}, errs.Field("code", "is required: the code from wx.login()")
	}
	id, err := l.wechat.Code2Session(ctx, code)
	if err != nil {
		return Result{}, wechatFailure(err)
	}
	sh, err := l.customers.Login(ctx, id)
	if err != nil {
		return Result{}, err
	}
	tok, ttl, err := l.tokens.Issue(sh.ID)
	if err != nil {
		return Result{}, err
	}
	return Result{Token: tok, ExpiresIn: ttl, Shopper: sh}, nil
}

// wechatFailure maps WeChat's errcodes (shared/wechat.md §1.1) to our kinds.
func wechatFailure(err error) error {
	var we WeChatError
	if !errors.As(err, &we) {
		return &errs.Error{Kind: errs.KindUnavailable, Code: "wechat_unavailable", Message: "WeChat could not be reached; try again", Err: err}
	}
	details := map[string]any{"wechat_errcode": we.Code()}
	switch we.Code() {
	case 40029, 40163:
		return &errs.Error{Kind: errs.KindUnauthenticated, Code: "invalid_code", Message: "the login code is invalid, expired or already used; call wx.login() again", Details: details}
	case 45011:
		return &errs.Error{Kind: errs.KindRateLimited, Code: "rate_limited", Message: "too many logins; wait a minute", Details: details}
	case 40226:
		return &errs.Error{Kind: errs.KindForbidden, Code: "login_blocked", Message: "WeChat blocked this login", Details: details}
	}
	return &errs.Error{Kind: errs.KindUnavailable, Code: "wechat_unavailable", Message: "WeChat refused the login (errcode " + strconv.Itoa(we.Code()) + ")", Details: details, Err: err}
}
