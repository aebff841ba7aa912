// Package commission keeps the promoters' ledger: what each promoter earns
// for the orders credited to them, exact to the fen and append-only. An
// order paid credits every line as pending; a refund before settlement
// reverses the refunded share; the after-sale window over (a shop setting,
// counted from the order's completion) settles it; a refund after
// settlement claws it back from the settled balance; a payout batch marked
// paid moves settled to paid. A balance in a state is the sum of that
// state's entries, nothing else: no balance is stored to drift from them.
//
// Every write about an order runs under the order's row lock (payment holds
// it while applying a notification or a refund; settlement takes it), so
// the payment, refunds and settlement of one order are decided one after
// another however they race; payout batches lock the promoter's row.
package commission

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/setting"
)

// State is the bucket of the ledger an entry counts in.
type State string

// States of commission.
const (
	StatePending State = "pending" // earned, within the after-sale window
	StateSettled State = "settled" // due to the promoter, not paid yet
	StatePaid    State = "paid"    // paid out in a batch
)

// Kind is what made an entry.
type Kind string

// Kinds of entry (see the package comment).
const (
	KindCommission Kind = "commission"
	KindReversal   Kind = "reversal"
	KindSettlement Kind = "settlement"
	KindClawback   Kind = "clawback"
	KindPayout     Kind = "payout"
)

// BasisPoints is the denominator of a rate: 10000 basis points = 100%.
const BasisPoints = 10000

// Entry is one line of the ledger.
type Entry struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	PromoterID  int64     `gorm:"column:promoter_id"`
	State       State     `gorm:"column:state"`
	Kind        Kind      `gorm:"column:kind"`
	Amount      int64     `gorm:"column:amount"` // fen, signed
	OrderID     *int64    `gorm:"column:order_id"`
	OrderItemID *int64    `gorm:"column:order_item_id"`
	RefundID    *int64    `gorm:"column:refund_id"`
	PayoutID    *int64    `gorm:"column:payout_id"`
	Base        int64     `gorm:"column:base"` // fen the commission is computed on
	RateBP      int       `gorm:"column:rate_bp"`
	Rule        string    `gorm:"column:rule"` // promoter, category:3, product:9, campaign:2
	CreatedAt   time.Time `gorm:"column:created_at"`
}

// TableName maps Entry to its table.
func (Entry) TableName() string { return "commission_entries" }

// Errors of commission.
var (
	ErrRuleNotFound     = errs.NotFound("commission_rule_not_found", "commission.rule_not_found")
	ErrCampaignNotFound = errs.NotFound("campaign_not_found", "commission.campaign_not_found")
	ErrBatchNotFound    = errs.NotFound("payout_batch_not_found", "commission.batch_not_found")
	ErrBatchNotOpen     = errs.Conflict("payout_batch_not_open", "commission.batch_not_open")
	ErrNothingToPay     = errs.Conflict("nothing_to_pay", "commission.nothing_to_pay")
	ErrInBatch          = errs.Conflict("promoter_in_open_batch", "commission.in_open_batch")
)

// Deps are what the service needs.
type Deps struct {
	DB        *database.DB
	Orders    *order.Service
	Catalog   *catalog.Service
	Promoters *promoter.Service
	Settings  *setting.Service
	Audit     *audit.Log
	Clock     *clock.Clock
}

// Service is the commission use cases.
type Service struct {
	db        *database.DB
	orders    *order.Service
	catalog   *catalog.Service
	promoters *promoter.Service
	payments  *payment.Service
	settings  *setting.Service
	audit     *audit.Log
	clock     *clock.Clock
}

// New builds the service.
func New(d Deps) *Service {
	return &Service{db: d.DB, orders: d.Orders, catalog: d.Catalog, promoters: d.Promoters,
		settings: d.Settings, audit: d.Audit, clock: d.Clock}
}

// UsePayments hands the service the payment service once it exists (before
// any settlement runs: refunds still processing hold an order's settlement
// back). Payment is built with this service as its Commissions hook, so one
// of the two must be given the other afterwards.
func (s *Service) UsePayments(p *payment.Service) { s.payments = p }

// write appends entries in the caller's transaction.
func (s *Service) write(ctx context.Context, es []Entry) error {
	if len(es) == 0 {
		return nil
	}
	now := s.clock.Now()
	for i := range es {
		es[i].CreatedAt = now
	}
	return s.db.Conn(ctx).Create(&es).Error
}

func ptr(v int64) *int64 { return &v }

// Order is the id of the order the entry is about, 0 for none (for pages).
func (e Entry) Order() int64 { return deref(e.OrderID) }

// Payout is the id of the payout batch the entry is about, 0 for none.
func (e Entry) Payout() int64 { return deref(e.PayoutID) }

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
