package giftcard

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/payment"
)

// StatusRefunded: the card's price went back to WeChat Pay; it can be
// neither sent nor claimed.
const StatusRefunded = "refunded"

// Errors of refunding a card.
var (
	ErrRefundSending = errs.Conflict("gift_card_sending", "giftcard.refund_sending")
	ErrRefunded      = errs.Conflict("gift_card_refunded", "giftcard.refunded")
)

// Refunds opens a card's refund (*payment.Service).
type Refunds interface {
	RefundGiftCard(ctx context.Context, orderNo string, amount int64, actor string) (payment.Refund, error)
	SubmitRefund(ctx context.Context, log *slog.Logger, id int64)
}

// UseRefunds wires the payment side in after both services exist (payment
// is built with this service, to issue paid orders' cards).
func (s *Service) UseRefunds(r Refunds) { s.refunds = r }

// Refund gives a card its buyer has not sent back to WeChat Pay: its price,
// as a refund of its order. The card becomes refunded in the transaction
// that opens the refund, under its row lock, so a card is claimed or
// refunded, never both; a card on its way to a friend must be taken back
// first, and a claimed one is never refunded. WeChat Pay is asked once
// that transaction commits.
func (s *Service) Refund(ctx context.Context, shopperID, cardID int64) (Card, error) {
	var c Card
	var refundID int64
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.own(ctx, shopperID, cardID); err != nil {
			return err
		}
		switch c.Status {
		case StatusClaimed:
			return ErrClaimed
		case StatusSending:
			return ErrRefundSending
		case StatusRefunded:
			return ErrRefunded
		}
		if err := s.db.Conn(ctx).Exec("UPDATE gift_cards SET status = ? WHERE id = ? AND status = ?", StatusRefunded, c.ID, StatusUnsent).Error; err != nil {
			return err
		}
		c.Status = StatusRefunded
		o, err := s.orders.ByID(ctx, c.OrderID)
		if err != nil {
			return err
		}
		r, err := s.refunds.RefundGiftCard(ctx, o.OrderNo, c.Price, "shopper:"+strconv.FormatInt(shopperID, 10))
		refundID = r.ID
		return err
	})
	if err != nil {
		return Card{}, err
	}
	s.refunds.SubmitRefund(ctx, s.log, refundID)
	return s.withDesign(ctx, c)
}
