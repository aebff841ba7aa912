package app

import (
	"context"

	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/worker"
)

// uploaderAdapter lets the shipping package upload shipping information to
// WeChat without importing the mini-program client.
type uploaderAdapter struct{ c *miniprogram.Client }

func (u uploaderAdapter) UploadShipping(ctx context.Context, up shipping.Upload) error {
	err := u.c.UploadShippingInfo(ctx, miniprogram.ShippingInfo{TransactionID: up.TransactionID,
		PayerOpenID: up.PayerOpenID, ExpressCompany: up.Carrier, TrackingNo: up.TrackingNo, ItemDesc: up.ItemDesc,
		ReceiverContact: up.ReceiverContact, UploadTime: up.At})
	if code, msg, ok := miniprogram.UploadRefused(err); ok {
		return &shipping.UploadRefused{Code: code, Message: msg}
	}
	return err
}

// scheduleUploads enqueues the uploads of shipments just committed; if that
// fails the upload sweep finds them, as their rows say they are due.
func (a *App) scheduleUploads(ctx context.Context, shipmentIDs []int64) {
	if err := a.queue.Enqueue(ctx, worker.UploadShippingJobs(shipmentIDs)...); err != nil {
		a.Log.Error("shipping uploads not enqueued; the upload sweep will start them", "shipments", len(shipmentIDs), "error", err.Error())
	}
}
