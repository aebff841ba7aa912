package app

import (
	"context"

	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
)

// trackerAdapter lets the shipping package read parcels' paths from
// WeChat's logistics tracking without importing the mini-program client.
type trackerAdapter struct{ c *miniprogram.Client }

func (t trackerAdapter) Track(ctx context.Context, q shipping.TrackQuery) ([]shipping.TrackPoint, error) {
	path, err := t.c.ExpressPath(ctx, miniprogram.ExpressQuery{OrderID: q.OrderNo, OpenID: q.OpenID,
		DeliveryID: q.Carrier, WaybillID: q.TrackingNo})
	if err != nil {
		return nil, err
	}
	points := make([]shipping.TrackPoint, len(path))
	for i, p := range path {
		points[i] = shipping.TrackPoint{At: p.ActionTime, Kind: p.ActionType, Text: p.ActionMsg}
	}
	return points, nil
}
