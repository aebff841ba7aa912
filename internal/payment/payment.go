// Package payment takes shoppers' money through WeChat Pay: it opens JSAPI
// payments for orders and applies what WeChat reports back.
package payment

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/subscribe"
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
	// Query returns the order as WeChat Pay sees it, or ErrNeverOpened.
	Query(ctx context.Context, outTradeNo string) (Transaction, error)
	// Close closes it at WeChat Pay; ErrAlreadyPaid if the money came in.
	Close(ctx context.Context, outTradeNo string) error
	// CreateRefund asks for a refund (the same OutRefundNo refunds at most
	// once); a *RefundRefused error is WeChat saying no for good.
	CreateRefund(ctx context.Context, in RefundCall) (RefundState, error)
	// QueryRefund returns a refund as WeChat Pay sees it.
	QueryRefund(ctx context.Context, outRefundNo string) (RefundState, error)
}

// Merchant names whose notifications are ours and where they are sent.
type Merchant struct {
	AppID, MchID, NotifyURL, RefundNotifyURL string
}

// Deps are what the service needs.
type Deps struct {
	DB        *database.DB
	Orders    *order.Service
	Customers *customer.Service
	Gateway   Gateway
	Merchant  Merchant
	// Audit records every refund the console starts or decides; Settings
	// holds the amount above which only an owner may refund (refund_staff.go).
	Audit    *audit.Log
	Settings *setting.Service
	// PollAfter is how long after a payment is opened, or a refund is
	// started, WeChat is first asked about it when no notification came;
	// later checks back off, doubling up to an hour.
	PollAfter time.Duration
	// ScheduleReconcile schedules the durable check of a payment just
	// opened (the app hands it the job queue, which logs its own failures).
	// Without one, or if scheduling fails, an unpaid order's expiry still
	// queries WeChat before closing; a closed order whose WeChat order a
	// racing pay call reopened then has only the pay call's own close.
	ScheduleReconcile func(ctx context.Context, orderNo string, after time.Duration)
	Clock             *clock.Clock
	// Photos checks an after-sale request's photos (aftersale.go); nil
	// accepts none, so requests with photos are refused.
	Photos PhotoChecker

	// Messages records refund_result in the transaction that settles a
	// refund; nil sends none.
	Messages subscribe.Emitter
	// Commissions credits promoters when a payment is applied and reverses
	// their share when a refund succeeds (commission.go); nil: none.
	Commissions Commissions
	// Packs gives the buyer of a paid order their lucky coupon packs
	// (packs.go); nil gives none.
	Packs PackGiver
	// GiftCards issues a paid gift-card order's cards (giftcard.go); nil: none.
	GiftCards GiftCards
}

// Service is the payment use cases.
type Service struct {
	db        *database.DB
	orders    *order.Service
	customers *customer.Service
	gateway   Gateway
	merchant  Merchant
	audit     *audit.Log
	settings  *setting.Service
	pollAfter time.Duration
	schedule  func(ctx context.Context, orderNo string, after time.Duration)
	clock     *clock.Clock
	photos    PhotoChecker

	messages    subscribe.Emitter
	commissions Commissions
	packs       PackGiver // lucky coupon packs for paid orders (packs.go); nil gives none
	giftCards   GiftCards
}

// New builds the service.
func New(d Deps) *Service {
	if d.PollAfter <= 0 {
		d.PollAfter = 10 * time.Second
	}
	if d.Commissions == nil {
		d.Commissions = noCommissions{}
	}
	if d.GiftCards == nil {
		d.GiftCards = noGiftCards{}
	}
	if d.ScheduleReconcile == nil {
		d.ScheduleReconcile = func(context.Context, string, time.Duration) {}
	}
	s := &Service{db: d.DB, orders: d.Orders, customers: d.Customers, gateway: d.Gateway, merchant: d.Merchant,
		audit: d.Audit, settings: d.Settings, pollAfter: d.PollAfter, schedule: d.ScheduleReconcile,
		clock: d.Clock, photos: d.Photos, messages: d.Messages, commissions: d.Commissions, packs: d.Packs, giftCards: d.GiftCards}
	if d.Orders != nil {
		d.Orders.OnPaid(s.orderPaid)
	}
	return s
}

// orderPaid is the payment side of an order becoming paid, however it was
// paid (a WeChat Pay payment, or the gift-card balance covering it at
// placement), in the transaction that marks it paid (order.PaidHook): its
// promoter's commission is credited (Commissions), its buyer gets their
// lucky coupon packs (packs.go), and a gift-card order's cards are issued.
func (s *Service) orderPaid(ctx context.Context, o order.Order) error {
	if err := s.commissions.OrderPaid(ctx, o); err != nil {
		return err
	}
	if err := s.givePacks(ctx, o); err != nil {
		return err
	}
	return s.giftCards.OrderPaid(ctx, o)
}

// Errors of paying.
var (
	ErrNotPayable  = errs.Conflict("order_not_payable", "payment.not_payable")
	ErrExpired     = errs.Conflict("order_expired", "payment.expired")
	ErrUnavailable = errs.New(errs.KindUnavailable, "wechatpay_unavailable", "payment.wechatpay_unavailable")
)

// Pay opens the WeChat Pay order for one of the shopper's unpaid orders, its
// deadline the order's own, and returns wx.requestPayment's parameters.
// Calling it again reopens the same WeChat order (same out_trade_no), as
// WeChat allows until it expires. With an Idempotency-Key, a repeat returns
// the very parameters the first call gave (replayed=true). Once opened, a
// durable check is scheduled in case the shopper pays and the notification
// never comes.
func (s *Service) Pay(ctx context.Context, shopperID int64, orderNo, key string) (rp RequestPayment, replayed bool, err error) {
	if err := order.CheckKey(key); err != nil {
		return RequestPayment{}, false, err
	}
	if key != "" {
		// The order number is the request: the same key paying another order is refused.
		answer, found, err := s.orders.RecallKey(ctx, shopperID, scopePay, key, orderNo)
		switch {
		case err != nil:
			return RequestPayment{}, false, err
		case found && json.Unmarshal([]byte(answer), &rp) == nil:
			return rp, true, nil
		}
	}
	o, err := s.orders.GetLines(ctx, shopperID, orderNo)
	if err != nil {
		return RequestPayment{}, false, err
	}
	if o.Status != order.StatusPendingPayment {
		return RequestPayment{}, false, ErrNotPayable.With("status", string(o.Status))
	}
	if !s.clock.Now().Before(o.ExpiresAt) {
		return RequestPayment{}, false, ErrExpired
	}
	if o.PayAmount < 1 { // placed before such orders were refused: WeChat would answer PARAM_ERROR
		return RequestPayment{}, false, order.ErrAmountTooSmall
	}
	sh, err := s.customers.Get(ctx, shopperID)
	if err != nil {
		return RequestPayment{}, false, err
	}
	desc := "订单 " + o.OrderNo
	if len(o.Items) > 0 {
		desc = o.Items[0].Title
		if r := []rune(desc); len(r) > 100 {
			desc = string(r[:100])
		}
	}
	rp, err = s.gateway.Prepay(ctx, PrepayInput{OutTradeNo: o.OrderNo, Description: desc, OpenID: sh.OpenID,
		NotifyURL: s.merchant.NotifyURL, Amount: o.PayAmount, ExpiresAt: o.ExpiresAt})
	if errors.Is(err, ErrTradeExists) {
		return RequestPayment{}, false, s.settleExisting(ctx, o.OrderNo, err)
	}
	if err != nil {
		if _, ok := err.(*errs.Error); ok {
			return RequestPayment{}, false, err
		}
		return RequestPayment{}, false, errs.Wrap(ErrUnavailable, err)
	}
	s.schedule(ctx, o.OrderNo, s.pollAfter)
	// A cancel or expiry racing this call may have closed the order after
	// finding nothing to close at WeChat, before this prepay got there. Then
	// WeChat's order is closed now instead of handing out a payment for a
	// closed order (should that fail, the check just scheduled closes it).
	// Only the status is read again.
	status, err := s.orders.StatusOf(ctx, o.OrderNo)
	if err != nil {
		return RequestPayment{}, false, err
	}
	if status != order.StatusPendingPayment {
		if status == order.StatusClosed {
			s.CloseAgain(ctx, o)
		}
		return RequestPayment{}, false, ErrNotPayable.With("status", string(status))
	}
	if key != "" {
		b, _ := json.Marshal(rp)
		if err := s.orders.RememberKey(ctx, shopperID, scopePay, key, orderNo, string(b)); err != nil {
			return RequestPayment{}, false, err
		}
	}
	return rp, false, nil
}

const scopePay = "orders.pay"
