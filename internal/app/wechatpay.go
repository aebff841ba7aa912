package app

import (
	"context"
	"fmt"

	"github.com/wechatpay-apiv3/wechatpay-go/utils"

	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// payClient builds the WeChat Pay client: the merchant's credentials, or in
// sandbox mode the sandbox's keys and this process's /sandbox as WeChat.
// Without a public key the client is in platform-certificate mode; the
// sandbox signs accordingly (KAIDIAN_SANDBOX_PAY_MODE). With a public key and
// KAIDIAN_WECHATPAY_PLATFORM_CERTS=auto it is in migration mode, verifying
// under either, in sandbox mode too.
func (a *App) payClient(ctx context.Context, selfURL string) (*wxpay.Client, error) {
	cfg := a.Config
	if cfg.Sandbox() {
		keys, err := sandbox.LoadOrCreatePayKeys(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		wc := wxpay.Config{AppID: sandbox.AppID, MchID: keys.MchID, MchSerial: keys.MerchantSerial,
			MchKey: keys.MerchantKey, APIv3Key: keys.APIv3Key, BaseURL: selfURL + "/sandbox"}
		if sandbox.PayMode(cfg.SandboxPayMode) != sandbox.CertificateMode {
			wc.PublicKeyID, wc.PublicKey = keys.PublicKeyID, &keys.PlatformKey.PublicKey
			wc.PlatformCerts = cfg.PayPlatformCerts == config.PlatformCertsAuto
		}
		return wxpay.New(ctx, wc)
	}
	key, err := utils.LoadPrivateKeyWithPath(cfg.PayMchKeyFile)
	if err != nil {
		return nil, fmt.Errorf("KAIDIAN_WECHATPAY_MCH_KEY_FILE: %w", err)
	}
	wc := wxpay.Config{AppID: cfg.WechatAppID, MchID: cfg.PayMchID, MchSerial: cfg.PayMchSerial,
		MchKey: key, APIv3Key: cfg.PayAPIv3Key}
	if cfg.PayPublicKeyFile != "" {
		if wc.PublicKey, err = utils.LoadPublicKeyWithPath(cfg.PayPublicKeyFile); err != nil {
			return nil, fmt.Errorf("KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE: %w", err)
		}
		wc.PublicKeyID = cfg.PayPublicKeyID
		wc.PlatformCerts = cfg.PayPlatformCerts == config.PlatformCertsAuto
	}
	return wxpay.New(ctx, wc)
}
