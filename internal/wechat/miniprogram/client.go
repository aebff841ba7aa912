// Package miniprogram is Kaidian's client for WeChat's mini-program server
// API (shared/wechat.md §1). It is the production client in every mode: in
// sandbox mode only its base URL points at the local sandbox.
package miniprogram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// DefaultBaseURL is WeChat's API host.
const DefaultBaseURL = "https://api.weixin.qq.com"

// Client calls WeChat with the mini program's credentials.
type Client struct {
	baseURL, appID, secret string
	http                   *http.Client
}

// New builds a client; hc nil means a client with a 10 s timeout.
func New(baseURL, appID, secret string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{baseURL: baseURL, appID: appID, secret: secret, http: hc}
}

// APIError is an errcode answer from WeChat.
type APIError struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (e *APIError) Error() string { return fmt.Sprintf("wechat errcode %d: %s", e.ErrCode, e.ErrMsg) }

// Session is what code2Session tells about the person logging in. SessionKey
// must never leave the server.
type Session struct {
	OpenID     string `json:"openid"`
	UnionID    string `json:"unionid"`
	SessionKey string `json:"session_key"`
}

// Code2Session exchanges a wx.login code (single-use, about 5 minutes) for
// the user's openid. Any errcode other than 0 is an *APIError.
func (c *Client) Code2Session(ctx context.Context, code string) (Session, error) {
	q := url.Values{"appid": {c.appID}, "secret": {c.secret}, "js_code": {code}, "grant_type": {"authorization_code"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/sns/jscode2session?"+q.Encode(), nil)
	if err != nil {
		return Session{}, err
	}
	res, err := c.http.Do(req)
	if err != nil {
		// The URL carries the secret: report the host only.
		return Session{}, fmt.Errorf("jscode2session: request to %s failed", req.URL.Host)
	}
	defer res.Body.Close()
	var body struct {
		Session
		APIError
	}
	if res.StatusCode != http.StatusOK {
		return Session{}, fmt.Errorf("jscode2session: HTTP %d", res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		return Session{}, fmt.Errorf("jscode2session: decode: %w", err)
	}
	if body.ErrCode != 0 {
		return Session{}, &body.APIError
	}
	if body.OpenID == "" {
		return Session{}, &APIError{ErrCode: -1, ErrMsg: "no openid in answer"}
	}
	return body.Session, nil
}

// Code is the errcode (for callers that match on it through an interface).
func (e *APIError) Code() int { return e.ErrCode }
