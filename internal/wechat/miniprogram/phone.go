package miniprogram

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
)

// PhoneInfo is what getuserphonenumber says about the person who tapped the
// getPhoneNumber button. It is personal data: never log it.
type PhoneInfo struct {
	PhoneNumber     string `json:"phoneNumber"`     // with the country prefix for numbers outside mainland China
	PurePhoneNumber string `json:"purePhoneNumber"` // without it
	CountryCode     string `json:"countryCode"`
	Watermark       struct {
		AppID     string `json:"appid"`
		Timestamp int64  `json:"timestamp"`
	} `json:"watermark"`
}

// LogValue keeps the number out of logs even if a PhoneInfo is logged whole.
func (PhoneInfo) LogValue() slog.Value { return slog.StringValue("[phone]") }

// PhoneNumber exchanges a getPhoneNumber code (single-use, valid five
// minutes) for the number (phonenumber.getPhoneNumber: POST
// /wxa/business/getuserphonenumber?access_token=…, body {code}). Any
// errcode other than 0 is an *APIError (40029: the code is invalid, used or
// expired); an answer whose watermark names another mini program is refused,
// as WeChat's documentation asks.
func (c *Client) PhoneNumber(ctx context.Context, code string) (PhoneInfo, error) {
	body, err := json.Marshal(map[string]string{"code": code})
	if err != nil {
		return PhoneInfo{}, err
	}
	var info PhoneInfo
	err = c.withToken(ctx, func(token string) error {
		var out struct {
			APIError
			PhoneInfo *PhoneInfo `json:"phone_info"`
		}
		if err := c.postJSON(ctx, "/wxa/business/getuserphonenumber", url.Values{"access_token": {token}}, body, &out); err != nil {
			return fmt.Errorf("getuserphonenumber: %w", err)
		}
		if out.ErrCode != 0 {
			return &out.APIError
		}
		if out.PhoneInfo == nil || out.PhoneInfo.PurePhoneNumber == "" {
			return &APIError{ErrCode: -1, ErrMsg: "getuserphonenumber: no phone_info in answer"}
		}
		if out.PhoneInfo.Watermark.AppID != c.appID {
			return &APIError{ErrCode: -1, ErrMsg: "getuserphonenumber: watermark names another mini program"}
		}
		info = *out.PhoneInfo
		return nil
	})
	return info, err
}
