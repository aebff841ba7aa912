package miniprogram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// SubscribeMessage is one message for subscribeMessage.send.
type SubscribeMessage struct {
	ToUser     string            // the shopper's openid
	TemplateID string            // the template the shopper accepted
	Page       string            // the mini-program page it opens; "" opens none
	Data       map[string]string // keyword → value ("thing1" → "纯棉T恤")
	// State is miniprogram_state: "developer", "trial" or "formal"
	// ("" means WeChat's default, formal).
	State string
}

// SendSubscribeMessage sends a subscribe message (POST
// /cgi-bin/message/subscribe/send). Each send uses one of the shopper's
// one-time consents to the template; without one WeChat answers 43101.
// Any errcode other than 0 is an *APIError.
func (c *Client) SendSubscribeMessage(ctx context.Context, m SubscribeMessage) error {
	data := make(map[string]map[string]string, len(m.Data))
	for k, v := range m.Data {
		data[k] = map[string]string{"value": v}
	}
	body := map[string]any{"touser": m.ToUser, "template_id": m.TemplateID, "data": data, "lang": "zh_CN"}
	if m.Page != "" {
		body["page"] = m.Page
	}
	if m.State != "" {
		body["miniprogram_state"] = m.State
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return c.withToken(ctx, func(token string) error {
		var out APIError
		if err := c.postJSON(ctx, "/cgi-bin/message/subscribe/send", url.Values{"access_token": {token}}, raw, &out); err != nil {
			return fmt.Errorf("subscribeMessage.send: %w", err)
		}
		if out.ErrCode != 0 {
			return &out
		}
		return nil
	})
}

// Refusal reports WeChat's errcode and message when err is an errcode
// answer (not a transport failure, and not a token problem withToken could
// not cure); ok is false otherwise.
func Refusal(err error) (code int, message string, ok bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrCode, apiErr.ErrMsg, true
	}
	return 0, "", false
}
