// Package report computes the merchant's numbers at a glance: sales today
// and over the last 30 days, the best sellers, what waits to be shipped and
// what is running out, the customer list, and each coupon's and flash sale's
// numbers. These join several domains' tables, which only this package may
// read across (internal/archtest); it only reads.
package report

import (
	"context"
	"sync"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
)

// Sales is paid orders in a period. Revenue is what shoppers paid (fen),
// Refunded what went back to them.
type Sales struct {
	Orders   int64
	Revenue  int64
	Refunded int64
}

// AverageOrder is the mean paid order in fen.
func (s Sales) AverageOrder() int64 {
	if s.Orders == 0 {
		return 0
	}
	return s.Revenue / s.Orders
}

// Day is one day's sales in a series.
type Day struct {
	Date time.Time // midnight, China time
	Sales
}

// TopProduct is a best seller over the last 30 days.
type TopProduct struct {
	ProductID int64
	Title     string
	Units     int64
	Revenue   int64
}

// LowSKU is a SKU at or below the low-stock threshold.
type LowSKU struct {
	SKUID           int64 `gorm:"column:sku_id"` // gorm would read "skuid"
	ProductID       int64
	Title, SpecText string
	Stock           int64
}

// Dashboard is everything the console's first page shows.
type Dashboard struct {
	Today, Last30 Sales
	Daily         []Day // the last 30 days, oldest first
	Top           []TopProduct
	ToShip        int64 // paid orders waiting to be shipped
	Low           []LowSKU
	LowCount      int64
	ComputedAt    time.Time
}

// Service computes reports.
type Service struct {
	db    *database.DB
	clock *clock.Clock

	mu     sync.Mutex
	cached map[int64]Dashboard // by low-stock threshold
	at     time.Time
}

// New builds the service.
func New(db *database.DB, clk *clock.Clock) *Service {
	return &Service{db: db, clock: clk}
}

// DashboardTTL is how long a computed dashboard is reused: its sums scan a
// month of orders, and figures half a minute old are fine for a glance.
const DashboardTTL = 30 * time.Second

// CachedDashboard is Dashboard, computed at most once per DashboardTTL per
// process; ComputedAt says when.
func (s *Service) CachedDashboard(ctx context.Context, lowStock int64) (Dashboard, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.cached[lowStock]; ok && s.clock.Now().Sub(s.at) < DashboardTTL {
		return d, nil
	}
	d, err := s.Dashboard(ctx, lowStock)
	if err != nil {
		return d, err
	}
	s.cached, s.at = map[int64]Dashboard{lowStock: d}, s.clock.Now()
	return d, nil
}

// paid are the states of an order whose money was taken and kept.
var paid = []string{"paid", "shipped", "completed"}

// Dashboard computes the dashboard; lowStock is the shop's threshold.
func (s *Service) Dashboard(ctx context.Context, lowStock int64) (Dashboard, error) {
	d := Dashboard{ComputedAt: s.clock.Now()}
	today := midnight(s.clock.Now())
	start := today.AddDate(0, 0, -29)
	var err error
	for i := range 30 {
		from := start.AddDate(0, 0, i)
		day := Day{Date: from}
		if day.Sales, err = s.sales(ctx, from, from.AddDate(0, 0, 1)); err != nil {
			return d, err
		}
		d.Daily = append(d.Daily, day)
		d.Last30.Orders += day.Orders
		d.Last30.Revenue += day.Revenue
		d.Last30.Refunded += day.Refunded
	}
	d.Today = d.Daily[len(d.Daily)-1].Sales
	db := s.db.Conn(ctx)
	if err := db.Raw(`SELECT i.product_id, MIN(i.title) AS title, SUM(i.quantity) AS units, SUM(i.pay_amount) AS revenue
		FROM order_items i JOIN orders o ON o.id = i.order_id
		WHERE o.paid_at >= ? AND o.status IN ? GROUP BY i.product_id ORDER BY units DESC, revenue DESC LIMIT 5`,
		start.UTC(), paid).Scan(&d.Top).Error; err != nil {
		return d, err
	}
	if err := db.Raw("SELECT COUNT(*) FROM orders WHERE status = 'paid' AND kind <> 'gift_card'").Scan(&d.ToShip).Error; err != nil {
		return d, err
	}
	if err := db.Raw("SELECT COUNT(*) FROM skus WHERE stock <= ? AND on_sale", lowStock).Scan(&d.LowCount).Error; err != nil {
		return d, err
	}
	err = db.Raw(`SELECT s.id AS sku_id, s.product_id, p.title, s.spec_text, s.stock FROM skus s JOIN products p ON p.id = s.product_id
		WHERE s.stock <= ? AND s.on_sale ORDER BY s.stock, s.id LIMIT 10`, lowStock).Scan(&d.Low).Error
	return d, err
}

func (s *Service) sales(ctx context.Context, from, to time.Time) (Sales, error) {
	var out Sales
	err := s.db.Conn(ctx).Raw(`SELECT COUNT(*) AS orders, COALESCE(SUM(pay_amount), 0) AS revenue,
		COALESCE(SUM(refunded_amount), 0) AS refunded FROM orders WHERE paid_at >= ? AND paid_at < ? AND status IN ?`,
		from.UTC(), to.UTC(), paid).Scan(&out).Error
	return out, err
}

func midnight(t time.Time) time.Time {
	y, m, d := t.In(clock.China).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, clock.China)
}
