// Package miniprogram is Kaidian's client for WeChat's mini-program server
// API (WeChat's mini-program server API). It is the production client in every mode: in
// sandbox mode only its base URL points at the local sandbox.
package miniprogram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is WeChat's API host.
const DefaultBaseURL = "https://api.weixin.qq.com"

// DefaultTimeout bounds one call when New is given no HTTP client: a login
// waits on it, so a slow WeChat must fail fast rather than hang the shopper.
const DefaultTimeout = 10 * time.Second

// maxBody caps what we read from WeChat; a jscode2session answer is ~200 bytes.
const maxBody = 64 << 10

// Client calls WeChat with the mini program's credentials. Its fields are
// unexported so the AppSecret cannot end up in a log through %+v.
type Client struct {
	baseURL, appID, secret string
	http                   *http.Client
	token                  tokenCache // the access token, shared by every call needing one (token.go)
}

// New builds a client for baseURL (DefaultBaseURL when empty); hc nil means
// a client with DefaultTimeout.
func New(baseURL, appID, secret string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{baseURL: strings.TrimRight(baseURL, "/"), appID: appID, secret: secret, http: hc}
}

// APIError is an errcode answer from WeChat (WeChat documents: any
// errcode other than 0 is a failure).
type APIError struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (e *APIError) Error() string { return fmt.Sprintf("wechat errcode %d: %s", e.ErrCode, e.ErrMsg) }

// Code is the errcode, for callers that match on it through an interface
// instead of importing this package.
func (e *APIError) Code() int { return e.ErrCode }

// Session is what code2Session tells about the person logging in. SessionKey
// must never leave the server (WeChat's code2Session documentation).
type Session struct {
	OpenID     string `json:"openid"`
	UnionID    string `json:"unionid"`
	SessionKey string `json:"session_key"`
}

// Code2Session exchanges a wx.login code (single-use, about 5 minutes) for
// the user's openid. Any errcode other than 0 is an *APIError; transport
// failures are plain errors that never contain the URL, because its query
// carries the AppSecret.
func (c *Client) Code2Session(ctx context.Context, code string) (Session, error) {
	q := url.Values{"appid": {c.appID}, "secret": {c.secret}, "js_code": {code}, "grant_type": {"authorization_code"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/sns/jscode2session?"+q.Encode(), nil)
	if err != nil {
		return Session{}, errors.New("jscode2session: bad base URL")
	}
	res, err := c.http.Do(req)
	if err != nil {
		// *url.Error prints the whole URL, secret included: keep only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Session{}, fmt.Errorf("jscode2session: request to %s failed: %w", req.URL.Host, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return Session{}, fmt.Errorf("jscode2session: HTTP %d from %s", res.StatusCode, req.URL.Host)
	}
	var body struct {
		Session
		APIError
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, maxBody)).Decode(&body); err != nil {
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
