// Package payment takes shoppers' money through WeChat Pay: it opens JSAPI
// payments for orders and applies what WeChat reports back.
package payment

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
)

// PrepayInput is one JSAPI payment to open at WeChat Pay.
type PrepayInput struct {
	OutTradeNo, Description, OpenID, NotifyURL string
	Amount                                     int64
	ExpiresAt                                  time.Time
}

// RequestPayment holds the parameters wx.requestPayment needs.
type RequestPayment struct {
	AppID, TimeStamp, NonceStr, Package, SignType, PaySign string
}

// Gateway is WeChat Pay as this package needs it; the app adapts the SDK
// client to it. It talks over the network, so it is never called inside a
// transaction.
type Gateway interface {
	Prepay(ctx context.Context, in PrepayInput) (RequestPayment, error)
}

// Merchant names whose notifications are ours.
type Merchant struct {
	AppID, MchID, NotifyURL string
}

// Service is the payment use cases.
type Service struct {
	db         *database.DB
	orders     *order.Service
	customers  *customer.Service
	gateway    Gateway
	reconciler Reconciler
	merchant   Merchant
	now        func() time.Time
}

// New builds the service.
func New(db *database.DB, orders *order.Service, customers *customer.Service, gw Gateway, rec Reconciler, m Merchant) *Service {
	return &Service{db: db, orders: orders, customers: customers, gateway: gw, reconciler: rec, merchant: m,
		now: func() time.Time { return time.Now().UTC() }}
}

// Errors of paying.
var (
	ErrNotPayable  = errs.Conflict("order_not_payable", "the order is not waiting for payment")
	ErrExpired     = errs.Conflict("order_expired", "the order's payment time is over")
	ErrUnavailable = errs.New(errs.KindUnavailable, "wechatpay_unavailable", "WeChat Pay could not be reached; try again")
)

// Pay opens the WeChat Pay order for one of the shopper's unpaid orders, its
// deadline the order's own, and returns wx.requestPayment's parameters.
// Calling it again reopens the same WeChat order (same out_trade_no and
// parameters), as WeChat allows until it expires.
func (s *Service) Pay(ctx context.Context, shopperID int64, orderNo string) (RequestPayment, error) {
	o, err := s.orders.Get(ctx, shopperID, orderNo)
	if err != nil {
		return RequestPayment{}, err
	}
	if o.Status != order.StatusPendingPayment {
		return RequestPayment{}, ErrNotPayable.With("status", string(o.Status))
	}
	if !s.now().Before(o.ExpiresAt) {
		return RequestPayment{}, ErrExpired
	}
	sh, err := s.customers.Get(ctx, shopperID)
	if err != nil {
		return RequestPayment{}, err
	}
	desc := "订单 " + o.OrderNo
	if len(o.Items) > 0 {
		desc = o.Items[0].Title
		if r := []rune(desc); len(r) > 100 {
			desc = string(r[:100])
		}
	}
	rp, err := s.gateway.Prepay(ctx, PrepayInput{OutTradeNo: o.OrderNo, Description: desc, OpenID: sh.OpenID,
		NotifyURL: s.merchant.NotifyURL, Amount: o.PayAmount, ExpiresAt: o.ExpiresAt})
	if err != nil {
		if _, ok := err.(*errs.Error); ok {
			return RequestPayment{}, err
		}
		return RequestPayment{}, &errs.Error{Kind: errs.KindUnavailable, Code: ErrUnavailable.Code, Message: ErrUnavailable.Message, Err: err}
	}
	return rp, nil
}
