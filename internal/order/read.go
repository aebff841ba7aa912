package order

import (
	"context"
	"errors"
)

// An order and its lines in one statement. The shopper's order page (which
// the mini program reads again and again while WeChat's notification is on
// its way) and the pay call read an order with its lines; read as two
// statements through gorm, that was two round trips and two scans by
// reflection. Here the lines are joined to the order and every column is
// named and scanned into its field by hand: one round trip, no reflection.
// The join is LEFT, so an order without lines is still found (its lines
// come back empty); the line columns are COALESCEd for that case.

// orderColumns are Order's columns, in the order scanOrder reads them.
const orderColumns = `o.id, o.order_no, o.shopper_id, o.status, o.item_count, o.goods_amount, o.shipping_fee,
	o.discount_amount, o.total_amount, o.pay_amount, o.coupon_id, o.flash_sale_id, o.remark, o.receiver_name,
	o.receiver_phone, o.province, o.city, o.district, o.address_detail, o.expires_at, o.paid_at, o.shipped_at,
	o.completed_at, o.closed_at, o.close_reason, o.transaction_id, o.refunded_amount, o.created_at, o.updated_at`

// lineColumns are Item's columns but order_id (the order's own id), in the
// order the scan reads them.
const lineColumns = `COALESCE(i.id, 0), COALESCE(i.product_id, 0), COALESCE(i.sku_id, 0), COALESCE(i.title, ''),
	COALESCE(i.spec_text, ''), COALESCE(i.image, ''), COALESCE(i.unit_price, 0), COALESCE(i.quantity, 0),
	COALESCE(i.line_amount, 0), COALESCE(i.discount_amount, 0), COALESCE(i.pay_amount, 0)`

// withLines reads the order matching where (over o.*, e.g.
// "o.order_no = ? AND o.shopper_id = ?") with its lines; ErrNotFound when
// there is none.
func (s *Service) withLines(ctx context.Context, where string, args ...any) (Order, error) {
	return s.readWithLines(ctx, "", where, args...)
}

// lockWithLines is withLines holding the order's row until the transaction
// ends (lockByNo's lock, on the order's row only, not its lines'), for
// recording a payment, which reads the lines anyway.
func (s *Service) lockWithLines(ctx context.Context, orderNo string) (Order, error) {
	o, err := s.readWithLines(ctx, s.db.LockSQL("o"), "o.order_no = ?", orderNo)
	if errors.Is(err, ErrNotFound) {
		return Order{}, ErrPaymentNotFound.With("order_no", orderNo)
	}
	return o, err
}

func (s *Service) readWithLines(ctx context.Context, lock, where string, args ...any) (Order, error) {
	q := "SELECT " + orderColumns + ", " + lineColumns +
		" FROM orders o LEFT JOIN order_items i ON i.order_id = o.id WHERE " + where + " ORDER BY i.id" + lock
	rows, err := s.db.Conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return Order{}, err
	}
	defer rows.Close()
	var o Order
	found := false
	for rows.Next() {
		var it Item
		var status string
		err := rows.Scan(&o.ID, &o.OrderNo, &o.ShopperID, &status, &o.ItemCount, &o.GoodsAmount, &o.ShippingFee,
			&o.DiscountAmount, &o.TotalAmount, &o.PayAmount, &o.CouponID, &o.FlashSaleID, &o.Remark, &o.ReceiverName,
			&o.ReceiverPhone, &o.Province, &o.City, &o.District, &o.AddressDetail, &o.ExpiresAt, &o.PaidAt, &o.ShippedAt,
			&o.CompletedAt, &o.ClosedAt, &o.CloseReason, &o.TransactionID, &o.RefundedAmount, &o.CreatedAt, &o.UpdatedAt,
			&it.ID, &it.ProductID, &it.SKUID, &it.Title, &it.SpecText, &it.Image, &it.UnitPrice, &it.Quantity,
			&it.LineAmount, &it.DiscountAmount, &it.PayAmount)
		if err != nil {
			return Order{}, err
		}
		o.Status, found = Status(status), true
		if it.ID != 0 {
			it.OrderID = o.ID
			o.Items = append(o.Items, it)
		}
	}
	if err := rows.Err(); err != nil {
		return Order{}, err
	}
	if !found {
		return Order{}, ErrNotFound
	}
	return o, nil
}

// history reads the order's transitions, oldest first.
func (s *Service) history(ctx context.Context, o *Order) error {
	return s.db.Conn(ctx).Where("order_id = ?", o.ID).Order("id").Find(&o.History).Error
}
