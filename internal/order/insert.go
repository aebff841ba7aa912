package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/i18n"
)

// One insert path for every kind of order. Each kind (checkout, the flash
// sale desk, and whatever comes next: group-buy, presale, gift cards) has
// its own rules for what may be bought and at what price, and ends the same
// way: it builds newOrders with pending and hands them to insertOrders,
// which writes them all with one statement per table whatever their number.
// A new kind adds rules, not a second way to write order rows.

// errNumberTaken: the order number drawn is another order's (a 46-bit
// random collision); the caller draws again.
var errNumberTaken = errors.New("order number taken")

// newOrder is one order to write: its header with its lines, the reason of
// its first history entry, and the Idempotency-Key it answers when the key
// is to be remembered with it (nil when the caller claimed the key itself).
type newOrder struct {
	order  Order
	reason i18n.Msg
	key    *keyUse
}

// pending is an unpaid order of the shopper for the priced lines, shipped
// to addr and payable until expires; its kind adds what else it carries
// (a flash order its sale).
func pending(shopperID int64, p Priced, addr Address, remark string, now, expires time.Time) Order {
	return Order{
		OrderNo: newOrderNo(now), ShopperID: shopperID, Status: StatusPendingPayment,
		ItemCount: p.ItemCount, GoodsAmount: p.GoodsAmount, ShippingFee: p.ShippingFee,
		DiscountAmount: p.DiscountAmount, TotalAmount: p.TotalAmount, PayAmount: p.PayAmount, CouponID: p.CouponID,
		Remark: remark, ReceiverName: addr.Name, ReceiverPhone: addr.Phone, Province: addr.Province,
		City: addr.City, District: addr.District, AddressDetail: addr.Detail,
		ExpiresAt: expires, CreatedAt: now, UpdatedAt: now, Items: p.Lines,
	}
}

// insertOrders writes the orders, their lines, their first history entry
// and the keys they answer inside the caller's transaction, with one
// statement per table (a flash batch is hundreds of orders), and fills in
// the ids. An order number drawn twice fails as errNumberTaken, a key a
// concurrent request stored first as errKeyTaken; both still satisfy
// database.IsDuplicate.
func (s *Service) insertOrders(ctx context.Context, batch []newOrder) error {
	orders := make([]Order, len(batch))
	for i := range batch {
		orders[i] = batch[i].order
	}
	if err := s.db.Conn(ctx).Create(&orders).Error; err != nil {
		return duplicateAs(errNumberTaken, fmt.Errorf("insert orders: %w", err))
	}
	var (
		items   []Item
		history = make([]Transition, len(batch))
		keys    []idempotencyKey
	)
	for i := range batch {
		o := &orders[i]
		for _, it := range o.Items {
			it.OrderID = o.ID
			items = append(items, it)
		}
		history[i] = Transition{OrderID: o.ID, To: StatusPendingPayment, Actor: shopperActor(o.ShopperID),
			Reason: batch[i].reason, CreatedAt: o.CreatedAt}
		if k := batch[i].key; k != nil {
			keys = append(keys, k.row(scopePlace, o.ID, "", o.CreatedAt))
		}
	}
	if len(items) > 0 {
		if err := s.db.Conn(ctx).Create(&items).Error; err != nil {
			return fmt.Errorf("insert order items: %w", err)
		}
	}
	if err := s.db.Conn(ctx).Create(&history).Error; err != nil {
		return fmt.Errorf("log placed orders: %w", err)
	}
	if err := s.rememberKeys(ctx, keys); err != nil {
		return err
	}
	for i := range batch {
		n := len(orders[i].Items)
		orders[i].Items, items = items[:n:n], items[n:]
		batch[i].order = orders[i]
	}
	return nil
}
