package miniprogram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// Scenes of msgSecCheck v2 (WeChat's security.msgSecCheck documentation:
// 1 profile, 2 comment, 3 forum, 4 social log).
const (
	SceneProfile = 1
	SceneComment = 2
	SceneForum   = 3
	SceneSocial  = 4
)

// Errcodes of msgSecCheck that mean this text of this user cannot be
// checked at all, however often it is sent: the openid is not the mini
// program's (40003, 43104) or the user has not opened the mini program in
// the last two hours (61010).
const (
	ErrCodeInvalidOpenID  = 40003
	ErrCodeOpenIDMismatch = 43104
	ErrCodeUserNotVisited = 61010
)

// TextCheck is msgSecCheck's overall result: suggest is "pass", "review"
// or "risky"; label 100 is normal, others name the kind of risk (20001
// politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar,
// 20013 copyright, 21000 other).
type TextCheck struct {
	Suggest string `json:"suggest"`
	Label   int    `json:"label"`
	TraceID string `json:"-"`
}

// MsgSecCheck asks WeChat whether a user's text may be published (POST
// /wxa/msg_sec_check, version 2). The openid must be of a user who opened the
// mini program in the last two hours. Any errcode other than 0 is an
// *APIError; the verdict is in the answer's result, not its errcode.
func (c *Client) MsgSecCheck(ctx context.Context, openID, content string, scene int) (TextCheck, error) {
	body, err := json.Marshal(map[string]any{"content": content, "version": 2, "scene": scene, "openid": openID})
	if err != nil {
		return TextCheck{}, err
	}
	var out struct {
		APIError
		TraceID string    `json:"trace_id"`
		Result  TextCheck `json:"result"`
	}
	err = c.withToken(ctx, func(token string) error {
		if err := c.postJSON(ctx, "/wxa/msg_sec_check", url.Values{"access_token": {token}}, body, &out); err != nil {
			return fmt.Errorf("msg_sec_check: %w", err)
		}
		if out.ErrCode != 0 {
			return &out.APIError
		}
		return nil
	})
	if err != nil {
		return TextCheck{}, err
	}
	switch out.Result.Suggest {
	case "pass", "review", "risky":
	default:
		return TextCheck{}, &APIError{ErrCode: -1, ErrMsg: "msg_sec_check: no suggest in answer"}
	}
	out.Result.TraceID = out.TraceID
	return out.Result, nil
}
