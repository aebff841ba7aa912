package giftcard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
)

// DesignInput is what the merchant says about a design.
type DesignInput struct {
	Name      string
	FaceValue int64
	Price     int64
	Cover     string
	Theme     string
	ValidDays int
	Active    bool
}

func (in DesignInput) validate() error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.Name)); {
	case n == 0 || n > MaxNameRunes:
		return errs.Field("name", "invalid.length", "max", MaxNameRunes)
	case in.FaceValue < 1 || in.FaceValue > MaxFaceValue:
		return errs.Field("face_value", "invalid.range", "min", 1, "max", MaxFaceValue)
	case in.Price < 1 || in.Price > MaxFaceValue:
		return errs.Field("price", "invalid.range", "min", 1, "max", MaxFaceValue)
	case in.ValidDays < 1 || in.ValidDays > MaxValidDays:
		return errs.Field("valid_days", "invalid.range", "min", 1, "max", MaxValidDays)
	case len(in.Cover) > 500:
		return errs.Field("cover", "invalid.max_length", "max", 500)
	case utf8.RuneCountInString(in.Theme) > 40:
		return errs.Field("theme", "invalid.max_length", "max", 40)
	}
	return nil
}

// CreateDesign adds a design, in the audit log by actor in the same transaction.
func (s *Service) CreateDesign(ctx context.Context, actor string, in DesignInput) (Design, error) {
	if err := in.validate(); err != nil {
		return Design{}, err
	}
	now := s.clock.Now()
	d := Design{Name: strings.TrimSpace(in.Name), FaceValue: in.FaceValue, Price: in.Price, Cover: in.Cover,
		Theme: in.Theme, ValidDays: in.ValidDays, Active: in.Active, CreatedAt: now, UpdatedAt: now}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&d).Error; err != nil {
			return fmt.Errorf("create gift-card design: %w", err)
		}
		return s.audit.Record(ctx, actor, "gift_card_design.create", "gift_card_design", d.ID,
			i18n.M("record.audit.gift_card_design_created", "name", d.Name, "face", money.Yuan(d.FaceValue), "price", money.Yuan(d.Price)))
	})
	return d, err
}

// SetOnSale puts a design on sale or takes it off (cards bought keep
// working), in the audit log.
func (s *Service) SetOnSale(ctx context.Context, actor string, id int64, on bool) (Design, error) {
	var d Design
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if d, err = s.design(ctx, id, true); err != nil {
			return err
		}
		d.Active, d.UpdatedAt = on, s.clock.Now()
		if err := s.db.Conn(ctx).Model(&d).Updates(map[string]any{"active": on, "updated_at": d.UpdatedAt}).Error; err != nil {
			return fmt.Errorf("update gift-card design: %w", err)
		}
		return s.audit.Record(ctx, actor, "gift_card_design.sale", "gift_card_design", d.ID,
			i18n.M("record.audit.gift_card_design_sale", "name", d.Name, "on", on))
	})
	return d, err
}

// BuyInput is a shopper buying cards.
type BuyInput struct {
	DesignID int64  `json:"design_id"`
	Quantity int    `json:"quantity"`
	Message  string `json:"message"`
}

// Buy places an unpaid gift-card order for Quantity cards of the design,
// paid like any order (POST /orders/{order_no}/pay); the cards are issued
// when the payment is applied (OrderPaid). With an Idempotency-Key a
// repeated request returns the first order (replayed). The amount is at
// most MaxQuantity × MaxFaceValue fen, far from overflowing.
func (s *Service) Buy(ctx context.Context, shopperID int64, in BuyInput, key string) (order.Order, bool, error) {
	switch {
	case in.DesignID < 1:
		return order.Order{}, false, errs.Field("design_id", "invalid.positive_id")
	case in.Quantity < 1 || in.Quantity > MaxQuantity:
		return order.Order{}, false, errs.Field("quantity", "invalid.range", "min", 1, "max", MaxQuantity)
	case utf8.RuneCountInString(in.Message) > MaxMessageRunes:
		return order.Order{}, false, errs.Field("message", "invalid.max_length", "max", MaxMessageRunes)
	}
	d, err := s.design(ctx, in.DesignID, false)
	if err != nil {
		return order.Order{}, false, err
	}
	var hash string
	if key != "" {
		sum := sha256.Sum256([]byte(strconv.FormatInt(in.DesignID, 10) + "\x00" + strconv.Itoa(in.Quantity) + "\x00" + in.Message))
		hash = hex.EncodeToString(sum[:])
	}
	return s.orders.PlaceGiftCard(ctx, order.GiftCardOrder{ShopperID: shopperID, UnitPrice: d.Price, Quantity: in.Quantity, Key: key, Hash: hash},
		func(ctx context.Context, o order.Order) error {
			p := purchase{OrderID: o.ID, ShopperID: shopperID, DesignID: d.ID, Quantity: in.Quantity, FaceValue: d.FaceValue, Message: in.Message, CreatedAt: o.CreatedAt}
			if err := s.db.Conn(ctx).Create(&p).Error; err != nil {
				return fmt.Errorf("record gift-card purchase: %w", err)
			}
			return nil
		})
}

// OrderPaid issues the cards of a gift-card order just paid, in the
// transaction applying the payment (payment.GiftCards). Each card is
// numbered within its order and a number already written is skipped, so
// calling it again for the same order adds nothing. Goods orders cost no
// statement. A card is valid for its design's days from the payment.
func (s *Service) OrderPaid(ctx context.Context, o order.Order) error {
	if o.Kind != order.KindGiftCard {
		return nil
	}
	var p struct {
		OrderID, DesignID, FaceValue int64
		Quantity, ValidDays          int
		Message                      string
	}
	// The design's validity is read with the purchase (a design is never deleted).
	err := s.db.Conn(ctx).Raw(`SELECT p.order_id, p.design_id, p.face_value, p.quantity, d.valid_days, p.message FROM gift_card_purchases p JOIN gift_card_designs d ON d.id = p.design_id WHERE p.order_id = ?`, o.ID).Scan(&p).Error
	if err != nil {
		return fmt.Errorf("read gift-card purchase of order %d: %w", o.ID, err)
	}
	if p.OrderID == 0 {
		return fmt.Errorf("gift-card order %d has no purchase", o.ID)
	}
	paidAt := s.clock.Now()
	if o.PaidAt != nil {
		paidAt = *o.PaidAt
	}
	// The price each card paid is the order's, split evenly (the order's
	// amount is unit price × quantity).
	unit := o.PayAmount / int64(p.Quantity)
	for seq := 1; seq <= p.Quantity; seq++ {
		err := s.db.Conn(ctx).Exec(`INSERT INTO gift_cards (order_id, seq, design_id, buyer_id, face_value, price, status,
			message, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id, seq) DO NOTHING`,
			o.ID, seq, p.DesignID, o.ShopperID, p.FaceValue, unit, StatusUnsent, p.Message,
			paidAt.Add(time.Duration(p.ValidDays)*24*time.Hour).UTC(), paidAt.UTC()).Error
		if err != nil {
			return fmt.Errorf("issue gift card: %w", err)
		}
	}
	return nil
}
