package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
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
// and the keys they answer inside the caller's transaction, and fills in
// the ids: on PostgreSQL with one statement whatever their number (the rows
// travel as arrays, so the statement's text never changes and is planned
// once per connection), on SQLite with one multi-row insert per table. An
// order number drawn twice fails as errNumberTaken, a key a concurrent
// request stored first as errKeyTaken; both satisfy database.IsDuplicate.
func (s *Service) insertOrders(ctx context.Context, batch []newOrder) error {
	if len(batch) == 0 {
		return nil
	}
	if s.db.Dialect == database.Postgres {
		return s.insertOrdersPostgres(ctx, batch)
	}
	return s.insertOrdersSQLite(ctx, batch)
}

// insertOrdersSQL writes a batch on PostgreSQL. Each row of the answer is
// an order (kind 0: its id and number), a line (kind n: the id given to the
// n-th line sent) or the count of keys stored (kind -1). An order or key
// already taken is skipped (ON CONFLICT DO NOTHING) and shows as a row
// missing from the answer: the statement itself never fails on it, and the
// caller's transaction is rolled back on the error returned.
const insertOrdersSQL = `WITH o AS (
	INSERT INTO orders (order_no, shopper_id, status, item_count, goods_amount, shipping_fee, discount_amount,
		total_amount, pay_amount, coupon_id, flash_sale_id, remark, receiver_name, receiver_phone, province, city,
		district, address_detail, expires_at, created_at, updated_at, source, promoter_id)
	SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
		?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
		?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::bigint[])
	ON CONFLICT (order_no) DO NOTHING
	RETURNING id, order_no
), l AS (
	SELECT nextval(pg_get_serial_sequence('order_items', 'id')) AS id, o.id AS order_id, u.*
	FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],
		?::bigint[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS u(order_no, product_id, sku_id, title, spec_text,
		image, unit_price, quantity, line_amount, discount_amount, pay_amount, n)
	JOIN o USING (order_no)
), i AS (
	INSERT INTO order_items (id, order_id, product_id, sku_id, title, spec_text, image, unit_price, quantity,
		line_amount, discount_amount, pay_amount)
	SELECT id, order_id, product_id, sku_id, title, spec_text, image, unit_price, quantity, line_amount,
		discount_amount, pay_amount FROM l
), h AS (
	INSERT INTO order_transitions (order_id, from_status, to_status, actor, reason, created_at)
	SELECT o.id, '', u.to_status, u.actor, u.reason, u.created_at
	FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) AS u(order_no, to_status, actor, reason, created_at)
	JOIN o USING (order_no)
), k AS (
	INSERT INTO idempotency_keys (shopper_id, scope, key, request_hash, resource_id, created_at)
	SELECT u.shopper_id, u.scope, u.key, u.request_hash, o.id, u.created_at
	FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) AS u(order_no, shopper_id, scope, key, request_hash, created_at)
	JOIN o USING (order_no)
	ON CONFLICT DO NOTHING
	RETURNING 1
)
SELECT 0, id, order_no FROM o
UNION ALL SELECT n, id, '' FROM l
UNION ALL SELECT -1, count(*), '' FROM k`

func (s *Service) insertOrdersPostgres(ctx context.Context, batch []newOrder) error {
	n := len(batch)
	var (
		no, status, remark, name, phone, province, city, district, detail = make([]string, n), make([]string, n),
			make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
			make([]string, n), make([]string, n)
		shopper, itemCount, goods, shipping, discount, total, pay = make([]int64, n), make([]int64, n),
			make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		couponID, flashID, promoterID = make([]*int64, n), make([]*int64, n), make([]*int64, n)
		source                        = make([]string, n)
		expires, created, updated     = make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
		actor, reason                 = make([]string, n), make([]string, n)
		lNo, lTitle, lSpec, lImage    []string
		lProduct, lSKU, lPrice, lQty  []int64
		lAmount, lDiscount, lPay      []int64
		kNo, kScope, kKey, kHash      []string
		kShopper                      []int64
		kCreated                      []time.Time
		at                            = make(map[string]int, n) // order number → index in batch
	)
	for i := range batch {
		o := &batch[i].order
		at[o.OrderNo] = i
		no[i], shopper[i], status[i], itemCount[i] = o.OrderNo, o.ShopperID, string(o.Status), int64(o.ItemCount)
		goods[i], shipping[i], discount[i], total[i], pay[i] = o.GoodsAmount, o.ShippingFee, o.DiscountAmount, o.TotalAmount, o.PayAmount
		couponID[i], flashID[i], remark[i] = o.CouponID, o.FlashSaleID, o.Remark
		name[i], phone[i], province[i], city[i], district[i], detail[i] = o.ReceiverName, o.ReceiverPhone, o.Province, o.City, o.District, o.AddressDetail
		expires[i], created[i], updated[i] = o.ExpiresAt, o.CreatedAt, o.UpdatedAt
		source[i], promoterID[i] = o.Source, o.PromoterID
		stored, err := batch[i].reason.Value() // the message as its column keeps it (JSON text)
		if err != nil {
			return fmt.Errorf("insert orders: %w", err)
		}
		actor[i], reason[i] = shopperActor(o.ShopperID), stored.(string)
		for _, it := range o.Items {
			lNo, lTitle, lSpec, lImage = append(lNo, o.OrderNo), append(lTitle, it.Title), append(lSpec, it.SpecText), append(lImage, it.Image)
			lProduct, lSKU, lPrice, lQty = append(lProduct, it.ProductID), append(lSKU, it.SKUID), append(lPrice, it.UnitPrice), append(lQty, int64(it.Quantity))
			lAmount, lDiscount, lPay = append(lAmount, it.LineAmount), append(lDiscount, it.DiscountAmount), append(lPay, it.PayAmount)
		}
		if k := batch[i].key; k != nil {
			kNo, kShopper, kScope, kKey, kHash = append(kNo, o.OrderNo), append(kShopper, k.shopperID), append(kScope, scopePlace), append(kKey, k.key), append(kHash, k.hash)
			kCreated = append(kCreated, o.CreatedAt)
		}
	}
	a := database.Array[string]
	rows, err := s.db.Conn(ctx).Raw(insertOrdersSQL,
		a(no), database.Array(shopper), a(status), database.Array(itemCount), database.Array(goods), database.Array(shipping),
		database.Array(discount), database.Array(total), database.Array(pay), database.Array(couponID), database.Array(flashID),
		a(remark), a(name), a(phone), a(province), a(city), a(district), a(detail),
		database.Array(expires), database.Array(created), database.Array(updated), a(source), database.Array(promoterID),
		a(lNo), database.Array(lProduct), database.Array(lSKU), a(lTitle), a(lSpec), a(lImage), database.Array(lPrice),
		database.Array(lQty), database.Array(lAmount), database.Array(lDiscount), database.Array(lPay),
		a(no), a(status), a(actor), a(reason), database.Array(created),
		a(kNo), database.Array(kShopper), a(kScope), a(kKey), a(kHash), database.Array(kCreated),
	).Rows()
	if err != nil {
		return fmt.Errorf("insert orders: %w", err)
	}
	defer rows.Close()
	lineIDs := make([]int64, len(lNo))
	var orders, lines, keys int
	for rows.Next() {
		var (
			kind, id int64
			number   string
		)
		if err := rows.Scan(&kind, &id, &number); err != nil {
			return fmt.Errorf("insert orders: %w", err)
		}
		switch {
		case kind == 0:
			batch[at[number]].order.ID = id
			orders++
		case kind > 0:
			lineIDs[kind-1] = id
			lines++
		default:
			keys = int(id)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert orders: %w", err)
	}
	switch {
	case orders < n:
		return fmt.Errorf("%w: %w: %d of %d order numbers already taken", errNumberTaken, database.ErrDuplicate, n-orders, n)
	case keys < len(kNo):
		return fmt.Errorf("%w: %w: %d of %d keys already stored", errKeyTaken, database.ErrDuplicate, len(kNo)-keys, len(kNo))
	case lines != len(lNo):
		return fmt.Errorf("insert orders: %d of %d lines written", lines, len(lNo))
	}
	next := 0
	for i := range batch {
		o := &batch[i].order
		for j := range o.Items {
			o.Items[j].ID, o.Items[j].OrderID = lineIDs[next], o.ID
			next++
		}
	}
	return nil
}

// sqliteRows is how many rows one multi-row insert writes on SQLite at
// most: an order has 29 columns and a statement takes up to 32,766
// parameters.
const sqliteRows = 1000

func (s *Service) insertOrdersSQLite(ctx context.Context, batch []newOrder) error {
	orders := make([]Order, len(batch))
	for i := range batch {
		orders[i] = batch[i].order
	}
	if err := s.db.Conn(ctx).CreateInBatches(&orders, sqliteRows).Error; err != nil {
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
		history[i] = Transition{OrderID: o.ID, To: o.Status, Actor: shopperActor(o.ShopperID),
			Reason: batch[i].reason, CreatedAt: o.CreatedAt}
		if k := batch[i].key; k != nil {
			keys = append(keys, k.row(scopePlace, o.ID, "", o.CreatedAt))
		}
	}
	if len(items) > 0 {
		if err := s.db.Conn(ctx).CreateInBatches(&items, sqliteRows).Error; err != nil {
			return fmt.Errorf("insert order items: %w", err)
		}
	}
	if err := s.db.Conn(ctx).CreateInBatches(&history, sqliteRows).Error; err != nil {
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
