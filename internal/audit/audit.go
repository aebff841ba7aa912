// Package audit keeps the console's record of who changed what: prices,
// stock, coupons, refunds, staff, settings. Entries are written in the same
// transaction as the change they describe, so the log never claims a change
// that did not happen, nor misses one that did.
package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
)

// Entry is one recorded change.
type Entry struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	Actor       string    `gorm:"column:actor"`  // "staff:3:lily"
	Action      string    `gorm:"column:action"` // "product.price", "stock.adjust", "refund.create", …
	SubjectType string    `gorm:"column:subject_type"`
	SubjectID   string    `gorm:"column:subject_id"`
	Detail      i18n.Msg  `gorm:"column:detail"` // what changed, in the reader's language: "¥29.90 → ¥25.00"
	CreatedAt   time.Time `gorm:"column:created_at"`
}

// TableName maps Entry to its table.
func (Entry) TableName() string { return "audit_log" }

// Log writes and reads the audit log.
type Log struct {
	db    *database.DB
	clock *clock.Clock
}

// New builds the log.
func New(db *database.DB, clk *clock.Clock) *Log {
	return &Log{db: db, clock: clk}
}

// Record adds an entry, in the caller's transaction when there is one. The
// detail is a message (catalog id and values), so each reader of the log
// reads it in their own language.
func (l *Log) Record(ctx context.Context, actor, action, subjectType string, subjectID any, detail i18n.Msg) error {
	e := Entry{Actor: actor, Action: action, SubjectType: subjectType, SubjectID: fmt.Sprint(subjectID),
		Detail: detail, CreatedAt: l.clock.Now()}
	if err := l.db.Conn(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Query filters the log.
type Query struct {
	Actor, Action, SubjectType, SubjectID string
	Page                                  page.Request
}

// List returns entries newest first; the cursor is the last entry's id.
func (l *Log) List(ctx context.Context, q Query) ([]Entry, string, error) {
	db := l.db.Conn(ctx).Model(&Entry{})
	for col, v := range map[string]string{"actor": q.Actor, "action": q.Action, "subject_type": q.SubjectType, "subject_id": q.SubjectID} {
		if v != "" {
			db = db.Where(col+" = ?", v)
		}
	}
	if q.Page.After > 0 {
		db = db.Where("id < ?", q.Page.After)
	}
	var es []Entry
	if err := db.Order("id DESC").Limit(q.Page.Limit + 1).Find(&es).Error; err != nil {
		return nil, "", err
	}
	es, next := page.Trim(es, q.Page, func(e Entry) int64 { return e.ID })
	return es, next, nil
}
