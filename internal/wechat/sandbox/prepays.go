package sandbox

import (
	"context"
	"errors"
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// PrepayLifetime is how long a prepay_id can start a payment: two hours on
// WeChat, whatever the order's time_expire, and it cannot be extended.
const PrepayLifetime = 2 * time.Hour

// prepay is one prepay_id handed out for an order. A repeated prepay of an
// unpaid order gets a new one while the earlier ones stay payable until
// their own two hours are up: WeChat lets several payment sessions of one
// order coexist, and once one is paid the others find the order paid.
type prepay struct {
	PrepayID   string    `gorm:"column:prepay_id;primaryKey"`
	OutTradeNo string    `gorm:"column:out_trade_no"`
	CreatedAt  time.Time `gorm:"column:created_at"`
}

func (prepay) TableName() string { return "sandbox_prepays" }

var (
	errPrepayUnknown = errors.New("no such prepay_id")
	errPrepayExpired = errors.New("prepay_id expired")
)

// issuePrepay records a prepay_id for an order; call it in the transaction
// that creates or updates the order.
func (p *pay) issuePrepay(ctx context.Context, outTradeNo, prepayID string, now time.Time) error {
	return p.db.Conn(ctx).Create(&prepay{PrepayID: prepayID, OutTradeNo: outTradeNo, CreatedAt: now}).Error
}

// orderOfPrepay is the order a prepay_id pays, if the prepay_id is known and
// still within its two hours.
func (p *pay) orderOfPrepay(ctx context.Context, prepayID string, now time.Time) (payOrder, error) {
	var pp prepay
	var o payOrder
	err := p.db.Conn(ctx).Where("prepay_id = ?", prepayID).Take(&pp).Error
	if database.IsNotFound(err) {
		return o, errPrepayUnknown
	}
	if err != nil {
		return o, err
	}
	if !now.Before(pp.CreatedAt.Add(PrepayLifetime)) {
		return o, errPrepayExpired
	}
	err = p.db.Conn(ctx).Where("out_trade_no = ?", pp.OutTradeNo).Take(&o).Error
	if database.IsNotFound(err) {
		return o, errPrepayUnknown
	}
	return o, err
}
