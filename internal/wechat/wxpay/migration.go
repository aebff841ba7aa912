package wxpay

import (
	"context"
	"fmt"
	"strings"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/cipher/decryptors"
	"github.com/wechatpay-apiv3/wechatpay-go/core/cipher/encryptors"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
)

// eitherVerifier is migration mode, for a merchant WeChat is moving from
// platform certificates to the WeChat Pay public key. While the switch runs,
// WeChat signs a growing share of notifications (and, until the merchant
// switches fully, answers) with the public key and the rest with a platform
// certificate, and Wechatpay-Serial names which (WeChat Pay's guide to
// switching from platform certificates to the public key). So the serial
// chooses the verifier: the public key's id the public key, anything else
// the downloaded certificates. Either way the signature must verify with a
// key WeChat gave this merchant; the header only picks which one.
type eitherVerifier struct {
	keyID  string
	pubKey auth.Verifier
	certs  *platformCerts // downloaded on the first certificate-signed message
}

// Verify implements auth.Verifier.
func (v eitherVerifier) Verify(ctx context.Context, serial, message, signature string) error {
	switch {
	case serial == v.keyID:
		return v.pubKey.Verify(ctx, serial, message, signature)
	case strings.HasPrefix(serial, "PUB_KEY_ID_"):
		// Another public key is never a certificate: refuse it without
		// asking WeChat for certificates.
		return fmt.Errorf("wxpay: signed under public key %s, not this merchant's %s", serial, v.keyID)
	}
	return v.certs.Verify(ctx, serial, message, signature)
}

// GetSerial implements auth.Verifier: the public key's id, which the SDK
// sends as Wechatpay-Serial on every call, asking WeChat to answer under the
// public key as soon as it does so for this merchant.
func (v eitherVerifier) GetSerial(context.Context) (string, error) { return v.keyID, nil }

// migrationOptions are the SDK client's signer, validator and cipher in
// migration mode; sensitive fields are encrypted for the public key.
func migrationOptions(cfg Config, v eitherVerifier) []core.ClientOption {
	return []core.ClientOption{
		option.WithMerchantCredential(cfg.MchID, cfg.MchSerial, cfg.MchKey),
		option.WithVerifier(v),
		option.WithWechatPayCipher(encryptors.NewWechatPayPubKeyEncryptor(cfg.PublicKeyID, *cfg.PublicKey),
			decryptors.NewWechatPayDecryptor(cfg.MchKey)),
	}
}

func newEitherVerifier(cfg Config, certs *platformCerts) eitherVerifier {
	return eitherVerifier{keyID: cfg.PublicKeyID, pubKey: verifiers.NewSHA256WithRSAPubkeyVerifier(cfg.PublicKeyID, *cfg.PublicKey), certs: certs}
}
