package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/database"
)

// An order with its lines (and history) without gorm. The shopper's order
// page, which the mini program reads again and again while WeChat's
// notification is on its way, cost three statements through gorm (the
// order, its lines, its history), each a round trip and a scan by
// reflection; the pay call read the first two. Here the lines are joined to
// the order and every column is named and scanned into its field by hand,
// and the history is a second statement that database.Read sends in the
// same pipelined batch on PostgreSQL: the page is one round trip, the pay
// call's read one statement, and no reflection is left on either. The join
// is LEFT, so an order without lines is still found (its lines come back
// empty); the line columns are COALESCEd for that case.

// orderColumns are Order's columns, in the order scanOrderRow reads them.
const orderColumns = `o.id, o.order_no, o.shopper_id, o.status, o.item_count, o.goods_amount, o.shipping_fee,
	o.discount_amount, o.total_amount, o.pay_amount, o.coupon_id, o.flash_sale_id, o.remark, o.receiver_name,
	o.receiver_phone, o.province, o.city, o.district, o.address_detail, o.expires_at, o.paid_at, o.shipped_at,
	o.completed_at, o.closed_at, o.close_reason, o.transaction_id, o.refunded_amount, o.created_at, o.updated_at,
	o.source, o.promoter_id, o.kind, o.gift_card_amount`

// lineColumns are Item's columns but order_id (the order's own id), in the
// order scanOrderRow reads them.
const lineColumns = `COALESCE(i.id, 0), COALESCE(i.product_id, 0), COALESCE(i.sku_id, 0), COALESCE(i.title, ''),
	COALESCE(i.spec_text, ''), COALESCE(i.image, ''), COALESCE(i.unit_price, 0), COALESCE(i.quantity, 0),
	COALESCE(i.line_amount, 0), COALESCE(i.discount_amount, 0), COALESCE(i.pay_amount, 0)`

const withLinesSQL = "SELECT " + orderColumns + ", " + lineColumns +
	" FROM orders o LEFT JOIN order_items i ON i.order_id = o.id WHERE "

// The three ways an order is looked up (constants: Read keeps each text's
// prepared statement).
const (
	byShopperNo = "o.order_no = ? AND o.shopper_id = ?"
	byShopperID = "o.id = ? AND o.shopper_id = ?"
	byNo        = "o.order_no = ?"
)

const historySQL = `SELECT t.id, t.order_id, t.from_status, t.to_status, t.actor, t.reason, t.created_at
	FROM order_transitions t JOIN orders o ON o.id = t.order_id WHERE `

// withLines reads the order matching where (one of the lookups above) with
// its lines; ErrNotFound when there is none.
func (s *Service) withLines(ctx context.Context, where string, args ...any) (Order, error) {
	var o Order
	found := false
	err := s.db.Read(ctx, []database.Query{{SQL: withLinesSQL + where + " ORDER BY i.id", Args: args}},
		func(rows database.Rows) error { return scanOrderRows(rows, &o, &found) })
	if err == nil && !found {
		err = ErrNotFound
	}
	return o, err
}

// withHistory is withLines with the order's history too, in one round
// trip on PostgreSQL.
func (s *Service) withHistory(ctx context.Context, where string, args ...any) (Order, error) {
	var o Order
	found := false
	err := s.db.Read(ctx, []database.Query{
		{SQL: withLinesSQL + where + " ORDER BY i.id", Args: args},
		{SQL: historySQL + where + " ORDER BY t.id", Args: args},
	},
		func(rows database.Rows) error { return scanOrderRows(rows, &o, &found) },
		func(rows database.Rows) error { return scanHistory(rows, &o) })
	if err == nil && !found {
		err = ErrNotFound
	}
	return o, err
}

// lockWithLines is withLines holding the order's row until the transaction
// ends (lockByNo's lock, on the order's row only, not its lines'), for
// recording a payment, which reads the lines anyway.
func (s *Service) lockWithLines(ctx context.Context, orderNo string) (Order, error) {
	var o Order
	found := false
	err := s.db.Read(ctx, []database.Query{{SQL: withLinesSQL + byNo + " ORDER BY i.id" + s.db.LockSQL("o"), Args: []any{orderNo}}},
		func(rows database.Rows) error { return scanOrderRows(rows, &o, &found) })
	if err == nil && !found {
		return Order{}, ErrPaymentNotFound.With("order_no", orderNo)
	}
	return o, err
}

// scanOrderRows reads the order from the first row and a line from each.
func scanOrderRows(rows database.Rows, o *Order, found *bool) error {
	for rows.Next() {
		var it Item
		var status string
		err := rows.Scan(&o.ID, &o.OrderNo, &o.ShopperID, &status, &o.ItemCount, &o.GoodsAmount, &o.ShippingFee,
			&o.DiscountAmount, &o.TotalAmount, &o.PayAmount, &o.CouponID, &o.FlashSaleID, &o.Remark, &o.ReceiverName,
			&o.ReceiverPhone, &o.Province, &o.City, &o.District, &o.AddressDetail, &o.ExpiresAt, &o.PaidAt, &o.ShippedAt,
			&o.CompletedAt, &o.ClosedAt, &o.CloseReason, &o.TransactionID, &o.RefundedAmount, &o.CreatedAt, &o.UpdatedAt,
			&o.Source, &o.PromoterID, &o.Kind, &o.GiftCardAmount,
			&it.ID, &it.ProductID, &it.SKUID, &it.Title, &it.SpecText, &it.Image, &it.UnitPrice, &it.Quantity,
			&it.LineAmount, &it.DiscountAmount, &it.PayAmount)
		if err != nil {
			return err
		}
		o.Status, *found = Status(status), true
		if it.ID != 0 {
			it.OrderID = o.ID
			o.Items = append(o.Items, it)
		}
	}
	return nil
}

// scanHistory reads the order's transitions, oldest first.
func scanHistory(rows database.Rows, o *Order) error {
	o.History = []Transition{}
	for rows.Next() {
		var t Transition
		var from, to string
		if err := rows.Scan(&t.ID, &t.OrderID, &from, &to, &t.Actor, &t.Reason, &t.CreatedAt); err != nil {
			return err
		}
		t.From, t.To = Status(from), Status(to)
		o.History = append(o.History, t)
	}
	return nil
}
