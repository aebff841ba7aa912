// Package giftcard is gift cards (礼品卡, issue 17 §3): the merchant's
// designs, cards shoppers buy with WeChat Pay through an order of kind
// gift_card, send to exactly one friend, and the balance the claimed
// cards make, kept as an append-only ledger.
//
// Orders stay internal/order's: buying places a gift-card order through
// order.Service.PlaceGiftCard and records what it buys in the order's own
// transaction; payment calls OrderPaid in the transaction that applies the
// payment, which issues the cards.
package giftcard

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// Limits.
const (
	MaxQuantity     = 20      // cards in one purchase
	MaxMessageRunes = 200     // a buyer's or sender's message
	MaxNameRunes    = 40      // a design's name
	MaxFaceValue    = 1000000 // ¥10,000 in fen: a design's face value and price at most
	MaxValidDays    = 3650
	TokenLength     = 16 // share tokens: 31^16, not guessable from another chat
)

// Card states.
const (
	StatusUnsent  = "unsent"
	StatusSending = "sending" // a share token is out; the sender may take it back
	StatusClaimed = "claimed" // the value joined the claimer's balance
)

// Ledger entry kinds.
const (
	EntryClaim = "claim" // a received card's value, +
)

// Errors, as the API answers them.
var (
	ErrDesignNotFound = errs.NotFound("gift_card_design_not_found", "giftcard.design_not_found")
	ErrCardNotFound   = errs.NotFound("gift_card_not_found", "giftcard.card_not_found")
	ErrShareNotFound  = errs.NotFound("gift_card_share_not_found", "giftcard.share_not_found")
	ErrOwnCard        = errs.Rule("gift_card_own", "giftcard.own_card")
	ErrClaimed        = errs.Conflict("gift_card_claimed", "giftcard.claimed")
	ErrNotSending     = errs.Conflict("gift_card_not_sending", "giftcard.not_sending")
	ErrExpired        = errs.Conflict("gift_card_expired", "giftcard.expired")
)

// Orders is what buying asks of orders (*order.Service).
type Orders interface {
	PlaceGiftCard(ctx context.Context, in order.GiftCardOrder, then func(ctx context.Context, o order.Order) error) (order.Order, bool, error)
	ByID(ctx context.Context, id int64) (order.Order, error)
}

// Service is the gift-card use cases.
type Service struct {
	db       *database.DB
	orders   Orders
	audit    *audit.Log
	messages subscribe.Emitter
	shoppers Shoppers
	refunds  Refunds // nil until UseRefunds
	log      *slog.Logger
	clock    *clock.Clock
}

// Shoppers finds a shopper, for the sender's name a friend is told
// (*customer.Service).
type Shoppers interface {
	Get(ctx context.Context, id int64) (customer.Shopper, error)
}

// Deps are the gift cards' collaborators.
type Deps struct {
	DB     *database.DB
	Orders Orders
	Audit  *audit.Log // the merchant's changes to designs
	// Messages records gift_received for the friend who claims a card, in
	// the claim's transaction; nil sends none.
	Messages subscribe.Emitter
	Shoppers Shoppers
	Clock    *clock.Clock
	Log      *slog.Logger // where a refund WeChat could not take at once is noted
}

// New builds the service.
func New(d Deps) *Service {
	return &Service{db: d.DB, orders: d.Orders, audit: d.Audit, messages: d.Messages, shoppers: d.Shoppers, clock: d.Clock, log: d.Log}
}

// Design is a card the merchant sells: its face value (what joins a
// balance) and price (what it costs), in fen.
type Design struct {
	ID        int64     `gorm:"column:id;primaryKey" json:"id"`
	Name      string    `gorm:"column:name" json:"name"`
	FaceValue int64     `gorm:"column:face_value" json:"face_value"`
	Price     int64     `gorm:"column:price" json:"price"`
	Cover     string    `gorm:"column:cover" json:"cover"`
	Theme     string    `gorm:"column:theme" json:"theme"`
	ValidDays int       `gorm:"column:valid_days" json:"valid_days"`
	Active    bool      `gorm:"column:active" json:"active"`
	CreatedAt time.Time `gorm:"column:created_at" json:"-"`
	UpdatedAt time.Time `gorm:"column:updated_at" json:"-"`
}

// TableName maps Design to its table.
func (Design) TableName() string { return "gift_card_designs" }

// Card is one bought card.
type Card struct {
	ID         int64      `gorm:"column:id;primaryKey"`
	OrderID    int64      `gorm:"column:order_id"`
	Seq        int        `gorm:"column:seq"`
	DesignID   int64      `gorm:"column:design_id"`
	BuyerID    int64      `gorm:"column:buyer_id"`
	FaceValue  int64      `gorm:"column:face_value"`
	Price      int64      `gorm:"column:price"`
	Status     string     `gorm:"column:status"`
	Message    string     `gorm:"column:message"`
	ShareToken *string    `gorm:"column:share_token"`
	ReceiverID *int64     `gorm:"column:receiver_id"`
	ExpiresAt  time.Time  `gorm:"column:expires_at"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	SentAt     *time.Time `gorm:"column:sent_at"`
	ClaimedAt  *time.Time `gorm:"column:claimed_at"`

	Design Design `gorm:"-"`
}

// TableName maps Card to its table.
func (Card) TableName() string { return "gift_cards" }

type purchase struct {
	OrderID   int64     `gorm:"column:order_id;primaryKey;autoIncrement:false"`
	ShopperID int64     `gorm:"column:shopper_id"`
	DesignID  int64     `gorm:"column:design_id"`
	Quantity  int       `gorm:"column:quantity"`
	FaceValue int64     `gorm:"column:face_value"`
	Message   string    `gorm:"column:message"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (purchase) TableName() string { return "gift_card_purchases" }

// Entry is one line of a shopper's balance ledger.
type Entry struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	ShopperID int64     `gorm:"column:shopper_id"`
	Kind      string    `gorm:"column:kind"`
	Amount    int64     `gorm:"column:amount"` // fen, + in, − out
	CardID    *int64    `gorm:"column:card_id"`
	OrderID   *int64    `gorm:"column:order_id"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

// entryLabels are the catalog ids naming each kind of entry.
var entryLabels = map[string]string{EntryClaim: "giftcard.entry.claim", EntryHold: "giftcard.entry.hold",
	EntrySpend: "giftcard.entry.spend", EntryRelease: "giftcard.entry.release", EntryRefund: "giftcard.entry.refund"}

// Label is the catalog id of the entry's kind, for the console.
func (e Entry) Label() string { return entryLabels[e.Kind] }

// TableName maps Entry to its table.
func (Entry) TableName() string { return "gift_card_entries" }

// design reads a design; inactive ones only when any is true.
func (s *Service) design(ctx context.Context, id int64, any bool) (Design, error) {
	var d Design
	q := s.db.Conn(ctx).Where("id = ?", id)
	if !any {
		q = q.Where("active = ?", true)
	}
	res := q.Limit(1).Find(&d)
	switch {
	case res.Error != nil:
		return Design{}, fmt.Errorf("read gift-card design: %w", res.Error)
	case res.RowsAffected == 0:
		return Design{}, ErrDesignNotFound.With("id", id)
	}
	return d, nil
}

// Designs lists the designs on sale, newest first.
func (s *Service) Designs(ctx context.Context) ([]Design, error) {
	ds := []Design{}
	if err := s.db.Conn(ctx).Where("active = ?", true).Order("id DESC").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("list gift-card designs: %w", err)
	}
	return ds, nil
}
