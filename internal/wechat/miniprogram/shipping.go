package miniprogram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
)

// ShippingInfo is one parcel of a paid order, for uploadShippingInfo.
type ShippingInfo struct {
	TransactionID   string // WeChat Pay's transaction id of the payment
	PayerOpenID     string
	ExpressCompany  string // WeChat's delivery id of the carrier, e.g. "SF"
	TrackingNo      string
	ItemDesc        string // what is in the parcel, at most 120 characters
	ReceiverContact string // the receiver's phone, masked (138****8000)
	UploadTime      time.Time
}

// Values of uploadShippingInfo's enumerations that Kaidian uses.
const (
	orderByTransactionID = 2 // order_number_type: the payment's transaction_id
	logisticsExpress     = 1 // logistics_type: a courier delivers it
	deliveryUnified      = 1 // delivery_mode: the whole order in one parcel
)

// ErrCodeDataFormat is WeChat's errcode 47001: the body is malformed, and
// sending the same one again cannot help. Other errcodes of an upload (-1
// busy, 10060001 payment not found yet, token trouble) are worth retrying.
const ErrCodeDataFormat = 47001

// UploadRefused reports WeChat's errcode and message when err is an upload
// turned down for good (ErrCodeDataFormat); ok is false for anything worth
// trying again.
func UploadRefused(err error) (code int, message string, ok bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.ErrCode == ErrCodeDataFormat {
		return apiErr.ErrCode, apiErr.ErrMsg, true
	}
	return 0, "", false
}

// UploadShippingInfo tells WeChat an order has shipped (POST
// /wxa/sec/order/upload_shipping_info). Mini programs under WeChat's trade
// management have a payment's money held until this arrives. Any errcode
// other than 0 is an *APIError; upload_time must grow with each upload of
// the same order, so it is the time of this attempt.
func (c *Client) UploadShippingInfo(ctx context.Context, in ShippingInfo) error {
	type contact struct {
		ReceiverContact string `json:"receiver_contact"`
	}
	type parcel struct {
		TrackingNo     string  `json:"tracking_no"`
		ExpressCompany string  `json:"express_company"`
		ItemDesc       string  `json:"item_desc"`
		Contact        contact `json:"contact"`
	}
	body, err := json.Marshal(map[string]any{
		"order_key":      map[string]any{"order_number_type": orderByTransactionID, "transaction_id": in.TransactionID},
		"logistics_type": logisticsExpress,
		"delivery_mode":  deliveryUnified,
		"shipping_list": []parcel{{TrackingNo: in.TrackingNo, ExpressCompany: in.ExpressCompany, ItemDesc: in.ItemDesc,
			Contact: contact{ReceiverContact: in.ReceiverContact}}},
		"upload_time": in.UploadTime.In(clock.China).Format("2006-01-02T15:04:05.000Z07:00"),
		"payer":       map[string]string{"openid": in.PayerOpenID},
	})
	if err != nil {
		return err
	}
	return c.withToken(ctx, func(token string) error {
		var out APIError
		if err := c.postJSON(ctx, "/wxa/sec/order/upload_shipping_info", url.Values{"access_token": {token}}, body, &out); err != nil {
			return fmt.Errorf("upload_shipping_info: %w", err)
		}
		if out.ErrCode != 0 {
			return &out
		}
		return nil
	})
}
