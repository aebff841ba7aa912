package wxpay

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/notify"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"
)

// Config is a merchant's WeChat Pay credentials. WeChat Pay signs its
// answers and notifications in one of two modes (WeChat Pay's guide to platform certificates and the public key):
// with PublicKeyID and PublicKey set the client verifies with that public
// key; with neither it is in platform-certificate mode, downloading WeChat
// Pay's certificates from /v3/certificates (decrypted with APIv3Key) and
// refreshing them daily. With both the public key and PlatformCerts it is
// in migration mode, verifying each message with whichever of the two its
// Wechatpay-Serial names (migration.go).
type Config struct {
	AppID, MchID, MchSerial string
	MchKey                  *rsa.PrivateKey
	APIv3Key                string
	PublicKeyID             string
	PublicKey               *rsa.PublicKey // nil with PublicKeyID empty: certificate mode
	// PlatformCerts, with a public key, also downloads the platform
	// certificates: migration mode. Without a public key it changes nothing.
	PlatformCerts bool
	BaseURL       string // empty: WeChat itself; in sandbox mode, the sandbox
}

// Client is Kaidian's WeChat Pay client: the official SDK for calls out and
// for checking notifications coming in.
type Client struct {
	cfg    Config
	sdk    *core.Client // shared by every service of the SDK this package uses
	jsapi  jsapi.JsapiApiService
	notify *notify.Handler
	certs  *platformCerts // nil in public-key mode (without PlatformCerts)
}

// New builds the client. Secrets stay inside it; nothing here logs them.
// It makes no call to WeChat: in certificate mode the certificates are
// downloaded on first use, and refreshed until ctx ends or Stop is called.
func New(ctx context.Context, cfg Config) (*Client, error) {
	hc := &http.Client{Timeout: 10 * time.Second}
	if cfg.BaseURL != "" {
		rt, err := Redirect(cfg.BaseURL, nil)
		if err != nil {
			return nil, err
		}
		hc.Transport = rt
	}
	if (cfg.PublicKeyID == "") != (cfg.PublicKey == nil) {
		return nil, errors.New("wxpay: the public key and its id go together (neither: certificate mode)")
	}
	cl := &Client{cfg: cfg}
	var opts []core.ClientOption
	var verifier auth.Verifier
	switch {
	case cfg.PublicKey != nil && cfg.PlatformCerts:
		certs, err := newPlatformCerts(ctx, cfg, hc)
		if err != nil {
			return nil, fmt.Errorf("wxpay: %w", err)
		}
		v := newEitherVerifier(cfg, certs)
		cl.certs, opts, verifier = certs, migrationOptions(cfg, v), v
	case cfg.PublicKey != nil:
		opts = []core.ClientOption{option.WithWechatPayPublicKeyAuthCipher(cfg.MchID, cfg.MchSerial, cfg.MchKey, cfg.PublicKeyID, cfg.PublicKey)}
		verifier = verifiers.NewSHA256WithRSAPubkeyVerifier(cfg.PublicKeyID, *cfg.PublicKey)
	default:
		certs, err := newPlatformCerts(ctx, cfg, hc)
		if err != nil {
			return nil, fmt.Errorf("wxpay: %w", err)
		}
		cl.certs, opts, verifier = certs, certs.options(cfg), certs
	}
	c, err := core.NewClient(ctx, append(opts, option.WithHTTPClient(hc))...)
	if err != nil {
		cl.Stop()
		return nil, fmt.Errorf("wxpay: %w", err)
	}
	h, err := notify.NewRSANotifyHandler(cfg.APIv3Key, verifier)
	if err != nil {
		cl.Stop()
		return nil, fmt.Errorf("wxpay: notify handler: %w", err)
	}
	cl.sdk, cl.jsapi, cl.notify = c, jsapi.JsapiApiService{Client: c}, h
	return cl, nil
}

// Stop ends the daily certificate refresh (certificate mode) before ctx
// does. It is safe to call twice.
func (c *Client) Stop() {
	if c.certs != nil {
		c.certs.stop()
	}
}

// AppID and MchID are what notifications must name to be ours.
func (c *Client) AppID() string { return c.cfg.AppID }

// MchID is the merchant id.
func (c *Client) MchID() string { return c.cfg.MchID }

// PrepayInput is one JSAPI payment to open.
type PrepayInput struct {
	OutTradeNo, Description, OpenID, NotifyURL string
	Amount                                     int64 // fen
	ExpiresAt                                  time.Time
}

// RequestPayment is exactly what wx.requestPayment needs.
type RequestPayment struct {
	AppID, TimeStamp, NonceStr, Package, SignType, PaySign, PrepayID string
}

// Prepay opens (or, with identical parameters before it expires, reopens)
// the WeChat Pay order and signs wx.requestPayment's parameters with the
// merchant key, as the SDK does.
func (c *Client) Prepay(ctx context.Context, in PrepayInput) (RequestPayment, error) {
	resp, _, err := c.jsapi.PrepayWithRequestPayment(ctx, jsapi.PrepayRequest{
		Appid: core.String(c.cfg.AppID), Mchid: core.String(c.cfg.MchID), Description: core.String(in.Description),
		OutTradeNo: core.String(in.OutTradeNo), TimeExpire: core.Time(in.ExpiresAt),
		NotifyUrl: core.String(in.NotifyURL), Amount: &jsapi.Amount{Total: core.Int64(in.Amount), Currency: core.String("CNY")},
		Payer: &jsapi.Payer{Openid: core.String(in.OpenID)},
	})
	if err != nil {
		return RequestPayment{}, prepayError(err)
	}
	return RequestPayment{AppID: *resp.Appid, TimeStamp: *resp.TimeStamp, NonceStr: *resp.NonceStr,
		Package: *resp.Package, SignType: *resp.SignType, PaySign: *resp.PaySign, PrepayID: *resp.PrepayId}, nil
}

// Errors of Prepay for an order number WeChat Pay already holds and will
// not reopen. What became of that order only a query tells.
var (
	// ErrOrderClosed is ORDER_CLOSED: the order was closed (or expired).
	ErrOrderClosed = errors.New("wxpay: order closed")
	// ErrOutTradeNoUsed is WeChat Pay holding the number with other details
	// (or, as the live API answers, closed): OUT_TRADE_NO_USED as documented,
	// or 400 INVALID_REQUEST "201 商户订单号重复" as the live API answers.
	ErrOutTradeNoUsed = errors.New("wxpay: out_trade_no already used")
)

// prepayError names WeChat's refusals of an order number it already holds,
// keeping WeChat's own error for the log (ORDERPAID is ErrAlreadyPaid).
func prepayError(err error) error {
	var apiErr *core.APIError
	if !errors.As(err, &apiErr) {
		return err
	}
	switch {
	case apiErr.Code == "ORDERPAID":
		return fmt.Errorf("%w: %w", ErrAlreadyPaid, err)
	case apiErr.Code == "ORDER_CLOSED":
		return fmt.Errorf("%w: %w", ErrOrderClosed, err)
	case apiErr.Code == "OUT_TRADE_NO_USED",
		apiErr.Code == "INVALID_REQUEST" && strings.Contains(apiErr.Message, "商户订单号重复"):
		return fmt.Errorf("%w: %w", ErrOutTradeNoUsed, err)
	}
	return err
}

// Notification is a verified, decrypted payment notification.
type Notification struct {
	ID, EventType string
	Transaction   payments.Transaction
}

// ParseTransaction verifies a payment notification's signature and
// timestamp and decrypts it. The SDK panics on some malformed but validly
// signed input (a GCM nonce of the wrong length), so that becomes an error.
func (c *Client) ParseTransaction(r *http.Request) (n Notification, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("wxpay: malformed notification: %v", p)
		}
	}()
	req, err := c.notify.ParseNotifyRequest(r.Context(), r, &n.Transaction)
	if err != nil {
		return n, err
	}
	n.ID, n.EventType = req.ID, req.EventType
	return n, nil
}

// ErrNotFound is WeChat Pay not knowing the order (ORDER_NOT_EXIST): it was never prepaid.
var ErrNotFound = errors.New("wxpay: order not found")

// ErrAlreadyPaid is WeChat Pay refusing to close a paid order (ORDERPAID).
var ErrAlreadyPaid = errors.New("wxpay: order already paid")

// Query asks WeChat Pay for an order's state by our order number.
func (c *Client) Query(ctx context.Context, outTradeNo string) (payments.Transaction, error) {
	tx, _, err := c.jsapi.QueryOrderByOutTradeNo(ctx, jsapi.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String(outTradeNo), Mchid: core.String(c.cfg.MchID)})
	if core.IsAPIError(err, "ORDER_NOT_EXIST") || core.IsAPIError(err, "ORDERNOTEXIST") {
		return payments.Transaction{}, ErrNotFound
	}
	if err != nil {
		return payments.Transaction{}, err
	}
	return *tx, nil
}

// Close closes an unpaid WeChat Pay order so it can no longer be paid.
func (c *Client) Close(ctx context.Context, outTradeNo string) error {
	_, err := c.jsapi.CloseOrder(ctx, jsapi.CloseOrderRequest{OutTradeNo: core.String(outTradeNo), Mchid: core.String(c.cfg.MchID)})
	switch {
	case core.IsAPIError(err, "ORDERPAID"):
		return ErrAlreadyPaid
	case core.IsAPIError(err, "ORDER_NOT_EXIST"), core.IsAPIError(err, "ORDERNOTEXIST"):
		return ErrNotFound
	}
	return err
}
