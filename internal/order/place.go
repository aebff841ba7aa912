package order

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/setting"
)

// Limits on one order.
const (
	MaxLines       = 50
	MaxQuantity    = 999
	MaxRemarkRunes = 200
)

// LineInput asks for a quantity of one SKU.
type LineInput struct {
	SKUID    int64 `json:"sku_id"`
	Quantity int   `json:"quantity"`
}

// PlaceInput is what a shopper orders: either Items ("buy now") or
// CartItemIDs (checkout from the cart), shipped to AddressID.
type PlaceInput struct {
	Items       []LineInput `json:"items,omitempty"`
	CartItemIDs []int64     `json:"cart_item_ids,omitempty"`
	AddressID   int64       `json:"address_id"`
	CouponID    *int64      `json:"coupon_id,omitempty"` // absent: preview picks the best; 0: none
	FlashSaleID *int64      `json:"flash_sale_id,omitempty"`
	Remark      string      `json:"remark,omitempty"`
	// UseGiftCardBalance pays what it can from the shopper's gift-card
	// balance, after coupons (balance.go).
	UseGiftCardBalance bool `json:"use_gift_card_balance,omitempty"`
}

// Errors of placing an order.
var (
	ErrUnknownSKU     = errs.Rule("unknown_sku", "order.unknown_sku")
	ErrSKUUnavailable = errs.Rule("sku_unavailable", "order.sku_unavailable")
	ErrKeyReused      = errs.Rule("idempotency_key_reused", "order.idempotency_key_reused")
	// ErrAmountTooSmall refuses an order that would cost nothing: WeChat Pay
	// charges at least 1 fen, so such an order could never be paid and would
	// only hold its stock until it expired.
	ErrAmountTooSmall = errs.Rule("amount_too_small", "order.amount_too_small")
)

// Preview prices an order without placing it: the same checks as Place
// except that stock is only compared, not reserved. The address is optional.
func (s *Service) Preview(ctx context.Context, shopperID int64, in PlaceInput) (Priced, error) {
	if err := validate(in, false); err != nil {
		return Priced{}, err
	}
	if in.FlashSaleID != nil {
		return s.previewFlash(ctx, in)
	}
	lines, err := s.resolve(ctx, shopperID, in)
	if err != nil {
		return Priced{}, err
	}
	shop, err := s.settings.Get(ctx)
	if err != nil {
		return Priced{}, err
	}
	p, err := s.preview(ctx, shopperID, lines, in.CouponID, shop)
	if err != nil {
		return Priced{}, err
	}
	return s.withBalance(ctx, shopperID, p, in.UseGiftCardBalance, false)
}

// named is the coupon the input names, nil for none (absent or 0).
func named(couponID *int64) *int64 {
	if couponID == nil || *couponID == 0 {
		return nil
	}
	return couponID
}

// Place creates the order and reserves its stock in one transaction: either
// the order exists with every line reserved, or nothing happened. With an
// idempotency key, a repeated request returns the first order (replayed=true)
// instead of placing a second one.
func (s *Service) Place(ctx context.Context, shopperID int64, in PlaceInput, key string) (o Order, replayed bool, err error) {
	if err := validate(in, true); err != nil {
		return Order{}, false, err
	}
	if err := CheckKey(key); err != nil {
		return Order{}, false, err
	}
	var hash string
	if key != "" { // only a key needs the request's fingerprint; sold-out answers skip the work
		hash = requestHash(in)
	}
	if in.FlashSaleID != nil {
		return s.placeFlash(ctx, shopperID, in, key, hash)
	}
	for attempt := 0; ; attempt++ {
		o, err = s.place(ctx, shopperID, in, key, hash)
		switch {
		case err == nil:
			s.metrics.OrdersCreated.Inc()
			return o, false, nil
		case errors.Is(err, errKeyTaken):
			o, err = s.replay(ctx, shopperID, key, hash)
			return o, err == nil, err
		case errors.Is(err, errNumberTaken) && attempt < 3:
			continue // a 46-bit random collision: draw again
		case errs.Is(err, inventory.ErrOutOfStock.Code):
			s.metrics.StockReserveFailed.Inc()
		}
		return Order{}, false, err
	}
}

func (s *Service) place(ctx context.Context, shopperID int64, in PlaceInput, key, hash string) (Order, error) {
	var placed newOrder
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		// The key is claimed first: a concurrent request with the same key
		// waits on its unique index and then replays this order (remembering
		// it with the order, as the flash desk does, would let that request
		// first fail on the cart items this one removed).
		var claim *idempotencyKey
		if key != "" {
			rows := []idempotencyKey{keyUse{shopperID: shopperID, key: key, hash: hash}.row(scopePlace, 0, "", now)}
			if err := s.rememberKeys(ctx, rows); err != nil {
				return err
			}
			claim = &rows[0] // with its id, for binding the order to it below
		}
		lines, err := s.resolve(ctx, shopperID, in)
		if err != nil {
			return err
		}
		addr, err := s.addresses.ShippingAddress(ctx, shopperID, in.AddressID)
		if err != nil {
			return err
		}
		shop, err := s.settings.Get(ctx)
		if err != nil {
			return err
		}
		p, err := s.quote(ctx, shopperID, lines, named(in.CouponID), shop, false)
		if err != nil {
			return err
		}
		if p, err = s.withBalance(ctx, shopperID, p, in.UseGiftCardBalance, true); err != nil {
			return err
		}
		batch := []newOrder{{order: pending(shopperID, p, addr, in.Remark, now, now.Add(shop.OrderTimeout())), reason: i18n.M("record.order.placed")}}
		if err := s.credit(ctx, shop, now, batch); err != nil {
			return err
		}
		if err := s.insertOrders(ctx, batch); err != nil {
			return err
		}
		placed = batch[0]
		o := &placed.order
		o.GiftCardAmount = p.GiftCardAmount
		if err := s.holdBalance(ctx, o); err != nil {
			return err
		}
		if o.CouponID != nil {
			// Used in this very transaction: if the order fails, the coupon stays unused.
			if err := s.coupons.Redeem(ctx, shopperID, *o.CouponID, o.ID); err != nil {
				return err
			}
		}
		if len(in.CartItemIDs) > 0 {
			if err := s.cart.RemoveItems(ctx, shopperID, in.CartItemIDs); err != nil {
				return err
			}
		}
		if claim != nil {
			if err := s.bindKey(ctx, claim, o.ID); err != nil {
				return err
			}
		}
		// Stock last: on PostgreSQL the SKU rows stay locked from here to the
		// commit, so everything else is done before taking them.
		if err := s.inventory.Reserve(ctx, reservation(*o), inventory.Ref{Type: "order", ID: o.OrderNo}, shopperActor(shopperID)); err != nil {
			return err
		}
		return s.paidByBalance(ctx, o)
	})
	if err != nil {
		return Order{}, err
	}
	return placed.order, nil
}

// resolve turns the input into merged SKU lines.
func (s *Service) resolve(ctx context.Context, shopperID int64, in PlaceInput) ([]LineInput, error) {
	raw := in.Items
	if len(in.CartItemIDs) > 0 {
		var err error
		if raw, err = s.cart.CheckoutLines(ctx, shopperID, in.CartItemIDs); err != nil {
			return nil, err
		}
	}
	var merged []LineInput
	at := map[int64]int{}
	for _, l := range raw {
		if i, ok := at[l.SKUID]; ok {
			merged[i].Quantity += l.Quantity
			if merged[i].Quantity > MaxQuantity {
				return nil, errs.Rule("quantity_limit", "order.quantity_limit").With("sku_id", l.SKUID)
			}
			continue
		}
		at[l.SKUID] = len(merged)
		merged = append(merged, l)
	}
	return merged, nil
}

// quote prices the lines at current prices, less the shopper's coupon when
// one is named. With checkStock, lines short of stock fail as out_of_stock
// (preview); placing relies on the reservation.
func (s *Service) quote(ctx context.Context, shopperID int64, lines []LineInput, couponID *int64, shop setting.Shop, checkStock bool) (Priced, error) {
	priced, covered, err := s.priceLines(ctx, lines, checkStock)
	if err != nil {
		return Priced{}, err
	}
	if couponID == nil {
		return payable(price(priced, shop.ShippingFor, discount{}))
	}
	applied, err := s.coupons.Quote(ctx, shopperID, *couponID, covered)
	if err != nil {
		return Priced{}, err
	}
	return withCoupon(priced, shop, applied)
}

// withCoupon prices lines less an applied coupon.
func withCoupon(lines []Item, shop setting.Shop, applied coupon.Applied) (Priced, error) {
	p := price(lines, shop.ShippingFor, discount{amount: applied.Discount, covered: applied.Covered})
	p.CouponID = &applied.CouponID
	return payable(p)
}

// priceLines looks the lines up at current prices: the order lines to be,
// and the same lines as the coupon engine sees them.
func (s *Service) priceLines(ctx context.Context, lines []LineInput, checkStock bool) ([]Item, []coupon.Line, error) {
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.SKUID
	}
	skus, err := s.catalog.Sellables(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	priced := make([]Item, len(lines))
	covered := make([]coupon.Line, len(lines))
	for i, l := range lines {
		k, ok := skus[l.SKUID]
		switch {
		case !ok:
			return nil, nil, ErrUnknownSKU.With("sku_id", l.SKUID)
		case !k.Buyable:
			return nil, nil, ErrSKUUnavailable.With("sku_id", l.SKUID)
		case checkStock && k.Stock < int64(l.Quantity):
			return nil, nil, inventory.ErrOutOfStock.With("sku_id", l.SKUID).Arg("available", k.Stock) // said, not a detail
		}
		priced[i] = Item{SKUID: k.SKUID, ProductID: k.ProductID, Title: k.Title, SpecText: k.SpecText,
			Image: k.Image, UnitPrice: k.Price, Quantity: l.Quantity}
		covered[i] = coupon.Line{ProductID: k.ProductID, CategoryID: k.CategoryID, Amount: k.Price * int64(l.Quantity)}
	}
	return priced, covered, nil
}

// payable refuses an order WeChat Pay could not charge (under 1 fen: free
// goods shipped free, say), at preview and at placement alike.
func payable(p Priced) (Priced, error) {
	if p.PayAmount < 1 {
		return Priced{}, ErrAmountTooSmall.With("pay_amount", p.PayAmount)
	}
	return p, nil
}

func validate(in PlaceInput, needAddress bool) error {
	switch {
	case len(in.Items) > 0 && len(in.CartItemIDs) > 0:
		return errs.Field("items", "order.items_or_cart")
	case len(in.Items) == 0 && len(in.CartItemIDs) == 0:
		return errs.Field("items", "order.items_required")
	case len(in.Items) > MaxLines || len(in.CartItemIDs) > MaxLines:
		return errs.Field("items", "order.items_max")
	case needAddress && in.AddressID <= 0:
		return errs.Field("address_id", "order.address_required")
	case in.AddressID < 0:
		return errs.Field("address_id", "invalid.positive_id")
	case len([]rune(in.Remark)) > MaxRemarkRunes:
		return errs.Field("remark", "invalid.max_length", "max", 200)
	case in.CouponID != nil && *in.CouponID < 0:
		return errs.Field("coupon_id", "invalid.positive_id")
	}
	for i, l := range in.Items {
		field := "items[" + strconv.Itoa(i) + "]"
		if l.SKUID <= 0 {
			return errs.Field(field+".sku_id", "invalid.positive_id")
		}
		if l.Quantity < 1 || l.Quantity > MaxQuantity {
			return errs.Field(field+".quantity", "invalid.quantity")
		}
	}
	for i, id := range in.CartItemIDs {
		if id <= 0 {
			return errs.Field("cart_item_ids["+strconv.Itoa(i)+"]", "invalid.positive_id")
		}
	}
	return nil
}

func requestHash(in PlaceInput) string {
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func reservation(o Order) []inventory.Line {
	lines := make([]inventory.Line, len(o.Items))
	for i, it := range o.Items {
		lines[i] = inventory.Line{SKUID: it.SKUID, Quantity: int64(it.Quantity)}
	}
	return lines
}

func shopperActor(id int64) string { return "shopper:" + strconv.FormatInt(id, 10) }
