package app

import (
	"context"
	"errors"

	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/worker"
)

// uploaderAdapter lets the shipping package upload shipping information to
// WeChat without importing the mini-program client.
type uploaderAdapter struct{ c *miniprogram.Client }

// errDataFormat is WeChat's 47001: the body is malformed, and sending the
// same one again cannot help. Other errcodes (-1 busy, 10060001 payment not
// found yet, token trouble) are worth retrying.
const errDataFormat = 47001

func (u uploaderAdapter) UploadShipping(ctx context.Context, up shipping.Upload) error {
	err := u.c.UploadShippingInfo(ctx, miniprogram.ShippingInfo{TransactionID: up.TransactionID,
		PayerOpenID: up.PayerOpenID, ExpressCompany: up.Carrier, TrackingNo: up.TrackingNo, ItemDesc: up.ItemDesc,
		ReceiverContact: up.ReceiverContact, UploadTime: up.At})
	var apiErr *miniprogram.APIError
	if errors.As(err, &apiErr) && apiErr.ErrCode == errDataFormat {
		return &shipping.UploadRefused{Code: apiErr.ErrCode, Message: apiErr.ErrMsg}
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
