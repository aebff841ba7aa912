package order

import (
	"context"
	"errors"
	"fmt"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Order kinds (orders.kind).
const (
	KindGoods    = "goods"
	KindGiftCard = "gift_card"
)

// ErrGiftCardNotShippable: a gift-card order has nothing to ship; its
// cards are issued when it is paid.
var ErrGiftCardNotShippable = errs.Rule("gift_card_order_not_shippable", "order.gift_card_not_shippable")

// scopeGiftCards is the scope of the Idempotency-Keys of buying gift cards,
// apart from placing goods so a key's replay always finds its own kind.
const scopeGiftCards = "gift_cards.buy"

// GiftCardOrder is an order for gift cards (package giftcard prices it):
// Quantity cards at UnitPrice fen each, Hash the request's fingerprint when
// an Idempotency-Key comes with it.
type GiftCardOrder struct {
	ShopperID int64
	UnitPrice int64
	Quantity  int
	Key, Hash string
}

// PlaceGiftCard places an unpaid order of kind gift_card: no lines, nothing
// to ship, no stock or coupon; it is paid through the same pay call,
// notification and reconciliation as goods. then runs in the order's
// transaction with the order (giftcard records what it buys), so the order
// exists with its purchase or not at all. With a key, a repeated request
// returns the first order (replayed=true). The caller bounds the amount
// (UnitPrice × Quantity) far below overflow.
func (s *Service) PlaceGiftCard(ctx context.Context, in GiftCardOrder, then func(ctx context.Context, o Order) error) (o Order, replayed bool, err error) {
	if err := CheckKey(in.Key); err != nil {
		return Order{}, false, err
	}
	for attempt := 0; ; attempt++ {
		o, err = s.placeGiftCard(ctx, in, then)
		switch {
		case err == nil:
			s.metrics.OrdersCreated.Inc()
			return o, false, nil
		case errors.Is(err, errKeyTaken):
			o, err = s.replayIn(ctx, scopeGiftCards, keyUse{shopperID: in.ShopperID, key: in.Key, hash: in.Hash})
			return o, err == nil, err
		case errors.Is(err, errNumberTaken) && attempt < 3:
			continue
		}
		return Order{}, false, err
	}
}

func (s *Service) placeGiftCard(ctx context.Context, in GiftCardOrder, then func(ctx context.Context, o Order) error) (Order, error) {
	var placed newOrder
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		var claim *idempotencyKey
		if in.Key != "" {
			rows := []idempotencyKey{keyUse{shopperID: in.ShopperID, key: in.Key, hash: in.Hash}.row(scopeGiftCards, 0, "", now)}
			if err := s.rememberKeys(ctx, rows); err != nil {
				return err
			}
			claim = &rows[0]
		}
		shop, err := s.settings.Get(ctx)
		if err != nil {
			return err
		}
		amount := in.UnitPrice * int64(in.Quantity)
		p := Priced{ItemCount: in.Quantity, GoodsAmount: amount, TotalAmount: amount, PayAmount: amount}
		o := pending(in.ShopperID, p, Address{}, "", now, now.Add(shop.OrderTimeout()))
		batch := []newOrder{{order: o, reason: i18n.M("record.order.placed")}}
		if err := s.insertOrders(ctx, batch); err != nil {
			return err
		}
		placed = batch[0]
		placed.order.Kind = KindGiftCard
		// The shared insert leaves every order a goods order (the column's
		// default): the kind is set here, in the same transaction.
		if err := s.db.Conn(ctx).Exec("UPDATE orders SET kind = ? WHERE id = ?", KindGiftCard, placed.order.ID).Error; err != nil {
			return fmt.Errorf("mark gift-card order: %w", err)
		}
		if claim != nil {
			if err := s.bindKey(ctx, claim, placed.order.ID); err != nil {
				return err
			}
		}
		return then(ctx, placed.order)
	})
	if err != nil {
		return Order{}, err
	}
	return placed.order, nil
}

// replayIn answers a repeated request with the order its key (in scope) placed.
func (s *Service) replayIn(ctx context.Context, scope string, u keyUse) (Order, error) {
	k, err := s.recallKeys(ctx, scope, []keyUse{u})
	switch {
	case err != nil:
		return Order{}, err
	case k[0] == nil:
		return Order{}, errors.New("read idempotency key: gone since it was taken")
	}
	if err := u.answers(k[0]); err != nil {
		return Order{}, err
	}
	return s.byID(ctx, u.shopperID, k[0].ResourceID)
}
