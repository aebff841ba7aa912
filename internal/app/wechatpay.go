package app

import (
	"context"
	"fmt"

	"github.com/wechatpay-apiv3/wechatpay-go/utils"

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
