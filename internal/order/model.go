package order

import (
	"time"

	"github.com/kaidian/kaidian/internal/i18n"
)

// Status is where an order is in its life.
type Status string

// Order states (design brief, "States").
const (
	StatusPendingPayment Status = "pending_payment"
	StatusPaid           Status = "paid"
	StatusShipped        Status = "shipped"
	StatusCompleted      Status = "completed"
	StatusClosed         Status = "closed"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// transitions is the state machine: the only moves an order may make.
// Refunds do not move an order: each refund has its own state (package
// payment) and the order carries the amount refunded so far.
var transitions = map[Status][]Status{
	StatusPendingPayment: {StatusPaid, StatusClosed},
	StatusPaid:           {StatusShipped},
	StatusShipped:        {StatusCompleted},
	StatusCompleted:      nil,
	// A payment that lands after the order closed revives it when its stock
	// can still be reserved (payment.Service); nothing else reopens an order.
	StatusClosed: {StatusPaid},
}

// Refundable reports whether money taken for the order can be given back:
// it was paid (whatever happened since), including a payment that landed
// after the order closed and could not be fulfilled.
func (o Order) Refundable() bool {
	return (o.TransactionID != "" || o.BalancePaid() > 0) && o.Status != StatusPendingPayment
}

// BalancePaid is what the gift-card balance paid for the order: its
// balance part once spent, that is while the order is paid, shipped or
// completed — nothing while it awaits payment or after it closed, as a
// close gives the hold back (and a payment that could not revive a closed
// order did not spend it).
func (o Order) BalancePaid() int64 {
	if o.Status == StatusPendingPayment || o.Status == StatusClosed {
		return 0
	}
	return o.GiftCardAmount
}

// PaidTotal is everything the shopper paid for the order, in fen: WeChat
// Pay's part once a payment was recorded, and the balance's (BalancePaid).
// Refunds together give back at most this.
func (o Order) PaidTotal() int64 {
	total := o.BalancePaid()
	if o.TransactionID != "" {
		total += o.PayAmount
	}
	return total
}

// CanMove reports whether the state machine allows from → to.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Order is a shopper's order with its snapshot of what was bought and where it goes.
type Order struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	OrderNo        string     `gorm:"column:order_no"`
	ShopperID      int64      `gorm:"column:shopper_id"`
	Status         Status     `gorm:"column:status"`
	ItemCount      int        `gorm:"column:item_count"`
	GoodsAmount    int64      `gorm:"column:goods_amount"`
	ShippingFee    int64      `gorm:"column:shipping_fee"`
	DiscountAmount int64      `gorm:"column:discount_amount"`
	TotalAmount    int64      `gorm:"column:total_amount"`
	PayAmount      int64      `gorm:"column:pay_amount"`
	CouponID       *int64     `gorm:"column:coupon_id"`
	FlashSaleID    *int64     `gorm:"column:flash_sale_id"`
	Remark         string     `gorm:"column:remark"`
	ReceiverName   string     `gorm:"column:receiver_name"`
	ReceiverPhone  string     `gorm:"column:receiver_phone"`
	Province       string     `gorm:"column:province"`
	City           string     `gorm:"column:city"`
	District       string     `gorm:"column:district"`
	AddressDetail  string     `gorm:"column:address_detail"`
	ExpiresAt      time.Time  `gorm:"column:expires_at"`
	PaidAt         *time.Time `gorm:"column:paid_at"`
	ShippedAt      *time.Time `gorm:"column:shipped_at"`
	CompletedAt    *time.Time `gorm:"column:completed_at"`
	ClosedAt       *time.Time `gorm:"column:closed_at"`
	CloseReason    i18n.Msg   `gorm:"column:close_reason"` // a message, read in the reader's language
	TransactionID  string     `gorm:"column:transaction_id"`
	RefundedAmount int64      `gorm:"column:refunded_amount"` // fen, by refunds that succeeded: their WeChat Pay and gift-card balance parts
	Source         string     `gorm:"column:source"`          // the source credited at placement: "channel:AB12CD", "promoter:K7X2QD", "share:42", "unknown", '' direct
	PromoterID     *int64     `gorm:"column:promoter_id"`     // the promoter paid a commission for it, if any
	// Kind is KindGoods or KindGiftCard; read only through gorm, so every
	// insert leaves it to the column's default and a gift-card order sets
	// it in its own transaction (giftcard.go).
	Kind string `gorm:"column:kind;->"`
	// GiftCardAmount is what the shopper's gift-card balance pays (fen),
	// written like Kind (balance.go); PayAmount is the rest, for WeChat Pay.
	GiftCardAmount int64     `gorm:"column:gift_card_amount;->"`
	CreatedAt      time.Time `gorm:"column:created_at"`
	UpdatedAt      time.Time `gorm:"column:updated_at"`

	Items   []Item       `gorm:"-"`
	History []Transition `gorm:"-"`
}

// TableName maps Order to its table.
func (Order) TableName() string { return "orders" }

// Item is an order line: a snapshot of the SKU at the time of ordering and
// its own share of every discount.
type Item struct {
	ID             int64  `gorm:"column:id;primaryKey"`
	OrderID        int64  `gorm:"column:order_id"`
	ProductID      int64  `gorm:"column:product_id"`
	SKUID          int64  `gorm:"column:sku_id"`
	Title          string `gorm:"column:title"`
	SpecText       string `gorm:"column:spec_text"`
	Image          string `gorm:"column:image"`
	UnitPrice      int64  `gorm:"column:unit_price"`
	Quantity       int    `gorm:"column:quantity"`
	LineAmount     int64  `gorm:"column:line_amount"`     // unit_price × quantity
	DiscountAmount int64  `gorm:"column:discount_amount"` // this line's share of the order's discounts
	PayAmount      int64  `gorm:"column:pay_amount"`      // line_amount − discount_amount
}

// TableName maps Item to its table.
func (Item) TableName() string { return "order_items" }

// Transition is one entry of an order's state log.
type Transition struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	OrderID   int64     `gorm:"column:order_id"`
	From      Status    `gorm:"column:from_status"`
	To        Status    `gorm:"column:to_status"`
	Actor     string    `gorm:"column:actor"`  // "shopper:42", "system", "merchant:7"
	Reason    i18n.Msg  `gorm:"column:reason"` // a message, read in the reader's language
	CreatedAt time.Time `gorm:"column:created_at"`
}

// TableName maps Transition to its table.
func (Transition) TableName() string { return "order_transitions" }
