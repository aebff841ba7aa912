package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"

	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/webhook"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// payClient builds the WeChat Pay client: the merchant's credentials, or in
// sandbox mode the sandbox's keys and this process's /sandbox as WeChat.
func (a *App) payClient(ctx context.Context, selfURL string) (*wxpay.Client, error) {
	cfg := a.Config
	if cfg.Sandbox() {
		keys, err := sandbox.LoadOrCreatePayKeys(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		return wxpay.New(ctx, wxpay.Config{AppID: sandbox.AppID, MchID: keys.MchID, MchSerial: keys.MerchantSerial,
			MchKey: keys.MerchantKey, APIv3Key: keys.APIv3Key, PublicKeyID: keys.PublicKeyID,
			PublicKey: &keys.PlatformKey.PublicKey, BaseURL: selfURL + "/sandbox"})
	}
	key, err := utils.LoadPrivateKeyWithPath(cfg.PayMchKeyFile)
	if err != nil {
		return nil, fmt.Errorf("KAIDIAN_WECHATPAY_MCH_KEY_FILE: %w", err)
	}
	pub, err := utils.LoadPublicKeyWithPath(cfg.PayPublicKeyFile)
	if err != nil {
		return nil, fmt.Errorf("KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE: %w", err)
	}
	return wxpay.New(ctx, wxpay.Config{AppID: cfg.WechatAppID, MchID: cfg.PayMchID, MchSerial: cfg.PayMchSerial,
		MchKey: key, APIv3Key: cfg.PayAPIv3Key, PublicKeyID: cfg.PayPublicKeyID, PublicKey: pub})
}

// notifyURL is where WeChat Pay sends payment notifications.
func (a *App) notifyURL(selfURL string) string {
	base := a.Config.PublicURL
	if base == "" {
		base = selfURL
	}
	return base + "/wechatpay/notify/transactions"
}

// gatewayAdapter lets the payment package open WeChat Pay orders without
// importing the SDK.
type gatewayAdapter struct{ c *wxpay.Client }

func (g gatewayAdapter) Prepay(ctx context.Context, in payment.PrepayInput) (payment.RequestPayment, error) {
	rp, err := g.c.Prepay(ctx, wxpay.PrepayInput{OutTradeNo: in.OutTradeNo, Description: in.Description,
		OpenID: in.OpenID, NotifyURL: in.NotifyURL, Amount: in.Amount, ExpiresAt: in.ExpiresAt})
	var apiErr *core.APIError
	switch {
	case err == nil:
	case errors.As(err, &apiErr) && (apiErr.Code == "ORDERPAID" || apiErr.Code == "ORDER_CLOSED"):
		return payment.RequestPayment{}, payment.ErrNotPayable.With("wechatpay", apiErr.Code)
	default:
		return payment.RequestPayment{}, err
	}
	return payment.RequestPayment{AppID: rp.AppID, TimeStamp: rp.TimeStamp, NonceStr: rp.NonceStr,
		Package: rp.Package, SignType: rp.SignType, PaySign: rp.PaySign}, nil
}

// reconcilerAdapter lets the payment package query and close WeChat Pay orders.
type reconcilerAdapter struct{ c *wxpay.Client }

func (r reconcilerAdapter) Query(ctx context.Context, outTradeNo string) (payment.Transaction, error) {
	t, err := r.c.Query(ctx, outTradeNo)
	if errors.Is(err, wxpay.ErrNotFound) {
		return payment.Transaction{}, payment.ErrNeverOpened
	}
	if err != nil {
		return payment.Transaction{}, err
	}
	return webhook.FromSDK(t), nil
}

func (r reconcilerAdapter) Close(ctx context.Context, outTradeNo string) error {
	err := r.c.Close(ctx, outTradeNo)
	switch {
	case errors.Is(err, wxpay.ErrAlreadyPaid):
		return payment.ErrAlreadyPaid
	case errors.Is(err, wxpay.ErrNotFound):
		return payment.ErrNeverOpened
	}
	return err
}
