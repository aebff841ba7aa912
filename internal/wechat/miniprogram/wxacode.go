package miniprogram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/url"
)

// Limits of getwxacodeunlimit (WeChat's getUnlimitedQRCode documentation):
// a scene of at most 32 visible characters, a width from 280 to 1280 px
// (430 when none is given).
const (
	MaxSceneLength = 32
	MinCodeWidth   = 280
	MaxCodeWidth   = 1280
	DefaultWidth   = 430
)

// Errcodes of getwxacodeunlimit: the page is not a page of the released
// mini program (41030), the scene has characters WeChat does not allow
// (40129), the scene is empty or too long, or the body is not JSON (40169),
// another argument is wrong (40097).
const (
	ErrCodeInvalidPage   = 41030
	ErrCodeInvalidScene  = 40129
	ErrCodeSceneLength   = 40169
	ErrCodeInvalidArgs   = 40097
	ErrCodeCodeRateLimit = 45009
)

// maxCodeImage caps what we read of a code's image: a 1280 px code is a few
// hundred kilobytes at most.
const maxCodeImage = 4 << 20

// CodeRequest is one unlimited mini-program code.
type CodeRequest struct {
	Scene string // what the page receives as query.scene: at most 32 of [0-9A-Za-z!#$&'()*+,/:;=?@\-._~]
	Page  string // "pages/product/index": no leading slash, no query; "" is the home page
	Width int    // px, 280–1280; 0 is WeChat's default, 430
	// SkipPageCheck sends check_path=false, letting WeChat draw a code for a
	// page not (yet) released; by default WeChat refuses such a page (41030).
	SkipPageCheck bool
	// EnvVersion is "release" (the default when empty), "trial" or "develop".
	EnvVersion string
}

// UnlimitedCode asks WeChat for a mini-program code (POST
// /wxa/getwxacodeunlimit), answered as image bytes; any errcode is an
// *APIError. WeChat answers an image on success and JSON on failure, told
// apart by the Content-Type, or by the body when a proxy dropped it.
func (c *Client) UnlimitedCode(ctx context.Context, r CodeRequest) ([]byte, error) {
	in := map[string]any{"scene": r.Scene, "check_path": !r.SkipPageCheck}
	if r.Page != "" {
		in["page"] = r.Page
	}
	if r.Width != 0 {
		in["width"] = r.Width
	}
	if r.EnvVersion != "" {
		in["env_version"] = r.EnvVersion
	}
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var img []byte
	err = c.withToken(ctx, func(token string) error {
		res, err := c.post(ctx, "/wxa/getwxacodeunlimit", url.Values{"access_token": {token}}, body)
		if err != nil {
			return fmt.Errorf("getwxacodeunlimit: %w", err)
		}
		defer res.Body.Close()
		data, err := io.ReadAll(io.LimitReader(res.Body, maxCodeImage))
		if err != nil {
			return fmt.Errorf("getwxacodeunlimit: read answer: %w", err)
		}
		ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
		if ct == "application/json" || ct == "text/plain" || bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
			var out APIError
			if err := json.Unmarshal(data, &out); err != nil {
				return fmt.Errorf("getwxacodeunlimit: decode answer: %w", err)
			}
			if out.ErrCode == 0 {
				return &APIError{ErrCode: -1, ErrMsg: "getwxacodeunlimit: JSON answer without an image"}
			}
			return &out
		}
		if len(data) == 0 {
			return &APIError{ErrCode: -1, ErrMsg: "getwxacodeunlimit: empty answer"}
		}
		img = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	return img, nil
}
