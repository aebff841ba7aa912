package miniprogram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// tokenCache holds the mini program's access token. One mutex makes it a
// single flight: while one call fetches a token the others wait for it
// rather than each asking WeChat (WeChat's getAccessToken documentation).
type tokenCache struct {
	mu      sync.Mutex
	token   string
	renewAt time.Time // five minutes before it expires: WeChat rotates it then
}

// tokenMargin is how long before expiry a token is renewed.
const tokenMargin = 5 * time.Minute

// Errcodes WeChat answers for an access token that is wrong or expired.
const (
	errInvalidToken = 40001
	errExpiredToken = 42001
	errBadToken     = 40014
)

// AccessToken returns the mini program's access token from stable_token,
// cached until five minutes before it expires. Normal mode only: a forced
// refresh would cut off every other holder of the token, so it is left to
// people who know the token leaked.
func (c *Client) AccessToken(ctx context.Context) (string, error) {
	c.token.mu.Lock()
	defer c.token.mu.Unlock()
	if c.token.token != "" && time.Now().Before(c.token.renewAt) {
		return c.token.token, nil
	}
	body, _ := json.Marshal(map[string]any{"grant_type": "client_credential", "appid": c.appID,
		"secret": c.secret, "force_refresh": false})
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		APIError
	}
	if err := c.postJSON(ctx, "/cgi-bin/stable_token", nil, body, &out); err != nil {
		return "", fmt.Errorf("stable_token: %w", err)
	}
	if out.ErrCode != 0 {
		return "", &out.APIError
	}
	if out.AccessToken == "" || out.ExpiresIn <= 0 {
		return "", &APIError{ErrCode: -1, ErrMsg: "stable_token: no token in answer"}
	}
	c.token.token = out.AccessToken
	c.token.renewAt = time.Now().Add(time.Duration(out.ExpiresIn)*time.Second - tokenMargin)
	return out.AccessToken, nil
}

// forget drops the cached token if it is still the one WeChat refused, so
// the next call fetches a fresh one (another call may have already).
func (c *Client) forget(token string) {
	c.token.mu.Lock()
	defer c.token.mu.Unlock()
	if c.token.token == token {
		c.token.token = ""
	}
}

// withToken calls fn with the access token; when WeChat says the token is
// invalid or expired, the token is fetched again and fn retried once.
func (c *Client) withToken(ctx context.Context, fn func(token string) error) error {
	for attempt := 0; ; attempt++ {
		token, err := c.AccessToken(ctx)
		if err != nil {
			return err
		}
		err = fn(token)
		var apiErr *APIError
		if attempt > 0 || !errors.As(err, &apiErr) ||
			(apiErr.ErrCode != errInvalidToken && apiErr.ErrCode != errExpiredToken && apiErr.ErrCode != errBadToken) {
			return err
		}
		c.forget(token)
	}
}

// postJSON posts body to path (query added) and decodes the JSON answer into
// out. WeChat's errcode is left in out for the caller to check.
func (c *Client) postJSON(ctx context.Context, path string, query url.Values, body []byte, out any) error {
	res, err := c.post(ctx, path, query, body)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if err := json.NewDecoder(io.LimitReader(res.Body, maxBody)).Decode(out); err != nil {
		return fmt.Errorf("decode answer from %s: %w", res.Request.URL.Host, err)
	}
	return nil
}

// post posts body to path (query added) and returns a 200 answer for the
// caller to read and close. Transport errors never carry the URL, whose
// query may hold the access token.
func (c *Client) post(ctx context.Context, path string, query url.Values, body []byte) (*http.Response, error) {
	u := c.baseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("bad base URL")
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("request to %s failed: %w", req.URL.Host, err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, fmt.Errorf("HTTP %d from %s", res.StatusCode, req.URL.Host)
	}
	return res, nil
}
