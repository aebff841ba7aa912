package wxpay

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/cipher/decryptors"
	"github.com/wechatpay-apiv3/wechatpay-go/core/cipher/encryptors"
	"github.com/wechatpay-apiv3/wechatpay-go/core/downloader"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
)

// platformCerts is platform-certificate mode: WeChat Pay's certificates are
// downloaded from /v3/certificates and refreshed daily by the SDK's
// downloader manager, and answers and notifications are verified with them.
//
// It does what option.WithWechatPayAutoAuthCipher does, with two changes.
// The manager is this client's own, not downloader.MgrInstance(): the
// global one keeps a single downloader per mchid, so two clients with the
// same merchant id but different keys (tests, the sandbox) would verify
// with each other's certificates. And the first download waits for the
// first use instead of happening in New: in sandbox mode "WeChat" is this
// very process, which does not answer until after it is built.
type platformCerts struct {
	mchID, apiV3Key string
	// download signs with the merchant key and checks no signature: the
	// first download cannot be verified, but its certificates are sealed
	// with the APIv3 key, which only WeChat and the merchant know. The
	// SDK's downloader verifies later refreshes with what it got.
	download *core.Client
	mgr      *downloader.CertificateDownloaderMgr
	verifier auth.Verifier // over mgr's certificates for mchID
	stop     func()
	mu       sync.Mutex // one first download at a time
}

// newPlatformCerts prepares certificate mode; nothing is downloaded yet.
// The manager's refresh runs until ctx ends or stop is called.
func newPlatformCerts(ctx context.Context, cfg Config, hc *http.Client) (*platformCerts, error) {
	// The download goes through hc too, so sandbox mode's Redirect applies.
	dl, err := core.NewClient(ctx, option.WithMerchantCredential(cfg.MchID, cfg.MchSerial, cfg.MchKey),
		option.WithoutValidator(), option.WithHTTPClient(hc))
	if err != nil {
		return nil, err
	}
	mgr := downloader.NewCertificateDownloaderMgr(ctx)
	p := &platformCerts{mchID: cfg.MchID, apiV3Key: cfg.APIv3Key, download: dl, mgr: mgr,
		verifier: verifiers.NewSHA256WithRSAVerifier(mgr.GetCertificateVisitor(cfg.MchID)), stop: sync.OnceFunc(mgr.Stop)}
	context.AfterFunc(ctx, p.stop)
	return p, nil
}

// options are the SDK client's signer, validator and cipher in this mode.
func (p *platformCerts) options(cfg Config) []core.ClientOption {
	return []core.ClientOption{
		option.WithMerchantCredential(cfg.MchID, cfg.MchSerial, cfg.MchKey),
		option.WithVerifier(p),
		option.WithWechatPayCipher(encryptors.NewWechatPayEncryptor(p.mgr.GetCertificateVisitor(cfg.MchID)),
			decryptors.NewWechatPayDecryptor(cfg.MchKey)),
	}
}

// Verify implements auth.Verifier, fetching the certificates first if they
// never were, so a failed download is reported as such.
func (p *platformCerts) Verify(ctx context.Context, serial, message, signature string) error {
	if err := p.load(ctx); err != nil {
		return err
	}
	return p.verifier.Verify(ctx, serial, message, signature)
}

// GetSerial implements auth.Verifier: the newest certificate's serial,
// which the SDK sends as Wechatpay-Serial to say what it can verify.
func (p *platformCerts) GetSerial(ctx context.Context) (string, error) {
	if err := p.load(ctx); err != nil {
		return "", err
	}
	return p.verifier.GetSerial(ctx)
}

// load downloads the certificates once; after a failure the next use tries again.
func (p *platformCerts) load(ctx context.Context) error {
	if p.mgr.HasDownloader(ctx, p.mchID) {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mgr.HasDownloader(ctx, p.mchID) {
		return nil
	}
	if err := p.mgr.RegisterDownloaderWithClient(ctx, p.download, p.mchID, p.apiV3Key); err != nil {
		return fmt.Errorf("wxpay: download platform certificates: %w", err)
	}
	return nil
}
