package miniprogram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// ExpressQuery names a waybill for logistics path/get: the order it
// belongs to, the shopper's openid, WeChat's delivery id of the carrier and
// the tracking number (waybill_id).
type ExpressQuery struct {
	OrderID, OpenID, DeliveryID, WaybillID string
}

// ExpressPoint is one node of a waybill's path.
type ExpressPoint struct {
	ActionTime time.Time
	ActionType int    // 100001 picked up … 300003 signed for, 400001 cancelled, 400002 held
	ActionMsg  string // the courier's words
}

// ErrCodeWaybillNotFound is path/get's 40199 "waybill_id not found": WeChat
// has no path for the waybill (yet).
const ErrCodeWaybillNotFound = 40199

// ExpressPath reads a waybill's path (POST
// /cgi-bin/express/business/path/get, WeChat's logistics.getPath). Any
// errcode other than 0 is an *APIError.
func (c *Client) ExpressPath(ctx context.Context, q ExpressQuery) ([]ExpressPoint, error) {
	body, err := json.Marshal(map[string]string{"order_id": q.OrderID, "openid": q.OpenID,
		"delivery_id": q.DeliveryID, "waybill_id": q.WaybillID})
	if err != nil {
		return nil, err
	}
	var points []ExpressPoint
	err = c.withToken(ctx, func(token string) error {
		var out struct {
			APIError
			PathItemList []struct {
				ActionTime int64  `json:"action_time"`
				ActionType int    `json:"action_type"`
				ActionMsg  string `json:"action_msg"`
			} `json:"path_item_list"`
		}
		if err := c.postJSON(ctx, "/cgi-bin/express/business/path/get", url.Values{"access_token": {token}}, body, &out); err != nil {
			return fmt.Errorf("express path/get: %w", err)
		}
		if out.ErrCode != 0 {
			return &out.APIError
		}
		points = make([]ExpressPoint, len(out.PathItemList))
		for i, p := range out.PathItemList {
			points[i] = ExpressPoint{ActionTime: time.Unix(p.ActionTime, 0).UTC(), ActionType: p.ActionType, ActionMsg: p.ActionMsg}
		}
		return nil
	})
	return points, err
}
