package commission

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// Statuses of a payout batch.
const (
	BatchOpen      = "open"
	BatchPaid      = "paid"
	BatchCancelled = "cancelled"
)

// Batch is settled commission the merchant pays out in one go.
type Batch struct {
	ID        int64      `gorm:"column:id;primaryKey"`
	Status    string     `gorm:"column:status"`
	Cutoff    time.Time  `gorm:"column:cutoff"`
	Total     int64      `gorm:"column:total"`
	Reference string     `gorm:"column:reference"`
	CreatedBy string     `gorm:"column:created_by"`
	PaidBy    string     `gorm:"column:paid_by"`
	CreatedAt time.Time  `gorm:"column:created_at"`
	PaidAt    *time.Time `gorm:"column:paid_at"`

	Lines []Line `gorm:"-"`
}

// TableName maps Batch to its table.
func (Batch) TableName() string { return "payout_batches" }

// Line is one promoter's amount in a batch.
type Line struct {
	ID         int64 `gorm:"column:id;primaryKey"`
	BatchID    int64 `gorm:"column:batch_id"`
	PromoterID int64 `gorm:"column:promoter_id"`
	Amount     int64 `gorm:"column:amount"`
	IsOpen     bool  `gorm:"column:is_open"`
}

// TableName maps Line to its table.
func (Line) TableName() string { return "payout_lines" }

// Due is what a promoter would be paid by a batch with a cutoff.
type Due struct {
	PromoterID int64
	Amount     int64
}

// MaxReferenceRunes bounds a payout's reference (a bank transfer number).
const MaxReferenceRunes = 64

// Due lists what each promoter would be paid by a batch up to cutoff, and
// is not in an open batch already: their settled entries made up to the
// cutoff, less every payout (whenever made). Paying that is cumulative —
// all batches together pay at most everything ever settled up to the
// latest cutoff — so a late entry stamped before an earlier cutoff is paid
// by the next batch rather than lost, and nothing is paid twice. A
// promoter whose clawbacks exceed what settled is owed nothing until
// later commission covers them.
func (s *Service) Due(ctx context.Context, cutoff time.Time, promoterIDs []int64) ([]Due, error) {
	cutoff = cutoff.UTC() // SQLite compares times as text: every parameter in UTC, as stored
	var rows []struct {
		PromoterID int64 `gorm:"column:promoter_id"`
		Amount     int64 `gorm:"column:amount"`
	}
	q := s.db.Conn(ctx).Model(&Entry{}).Select("promoter_id, SUM(amount) AS amount").
		Where("state = ? AND (kind = ? OR created_at <= ?)", StateSettled, KindPayout, cutoff).
		Where("promoter_id NOT IN (?)", s.db.Conn(ctx).Model(&Line{}).Select("promoter_id").Where("is_open"))
	if len(promoterIDs) > 0 {
		q = q.Where("promoter_id IN ?", promoterIDs)
	}
	if err := q.Group("promoter_id").Having("SUM(amount) > 0").Order("promoter_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commission due: %w", err)
	}
	out := make([]Due, len(rows))
	for i, r := range rows {
		out[i] = Due{PromoterID: r.PromoterID, Amount: r.Amount}
	}
	return out, nil
}

// CreateBatch puts what promoters are due up to cutoff into a new open
// batch (promoterIDs limits it to some; none means every promoter owed
// something), audited under actor. Each promoter's row is locked while
// their amount is decided, and a promoter can be in one open batch only
// (a unique index stands behind the check), so batches created at once
// never both take the same balance.
func (s *Service) CreateBatch(ctx context.Context, actor string, cutoff time.Time, promoterIDs []int64) (Batch, error) {
	if cutoff.IsZero() || cutoff.After(s.clock.Now()) {
		cutoff = s.clock.Now()
	}
	now := s.clock.Now()
	b := Batch{Status: BatchOpen, Cutoff: cutoff.UTC(), CreatedBy: actor, CreatedAt: now}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		ids := slices.Clone(promoterIDs)
		if len(ids) == 0 {
			dues, err := s.Due(ctx, cutoff, nil)
			if err != nil {
				return err
			}
			for _, d := range dues {
				ids = append(ids, d.PromoterID)
			}
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		var lines []Line
		for _, id := range ids { // in id order, so two batches lock promoters in one order
			if err := s.promoters.Lock(ctx, id); err != nil {
				return err
			}
			dues, err := s.Due(ctx, cutoff, []int64{id})
			if err != nil {
				return err
			}
			if len(dues) == 1 {
				lines = append(lines, Line{PromoterID: id, Amount: dues[0].Amount, IsOpen: true})
				b.Total += dues[0].Amount
			}
		}
		if len(lines) == 0 {
			return ErrNothingToPay
		}
		if err := s.db.Conn(ctx).Create(&b).Error; err != nil {
			return err
		}
		for i := range lines {
			lines[i].BatchID = b.ID
		}
		if err := s.db.Conn(ctx).Create(&lines).Error; err != nil {
			if database.IsDuplicate(err) {
				return ErrInBatch
			}
			return err
		}
		b.Lines = lines
		return s.audit.Record(ctx, actor, "payout.create", "payout_batch", b.ID,
			i18n.M("record.audit.payout_created", "promoters", len(lines), "total", money.Yuan(b.Total)))
	})
	if err != nil {
		return Batch{}, fmt.Errorf("create payout batch: %w", err)
	}
	return b, nil
}

// MarkPaid records that an open batch was paid, with the transfer's
// reference: for each line, a payout entry takes the amount out of settled
// and another puts it in paid. Audited under actor; a batch is paid once.
func (s *Service) MarkPaid(ctx context.Context, actor string, id int64, reference string) (Batch, error) {
	reference = strings.TrimSpace(reference)
	if n := utf8.RuneCountInString(reference); n == 0 || n > MaxReferenceRunes {
		return Batch{}, errs.Field("reference", "invalid.length", "max", MaxReferenceRunes)
	}
	var b Batch
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.LockRow(ctx, "payout_batches", id); err != nil {
			return err
		}
		var err error
		if b, err = s.Batch(ctx, id); err != nil {
			return err
		}
		if b.Status != BatchOpen {
			return ErrBatchNotOpen.With("status", b.Status)
		}
		now := s.clock.Now()
		var es []Entry
		for _, l := range b.Lines {
			es = append(es,
				Entry{PromoterID: l.PromoterID, State: StateSettled, Kind: KindPayout, Amount: -l.Amount, PayoutID: ptr(b.ID)},
				Entry{PromoterID: l.PromoterID, State: StatePaid, Kind: KindPayout, Amount: l.Amount, PayoutID: ptr(b.ID)})
		}
		if err := s.write(ctx, es); err != nil {
			return err
		}
		if err := s.close(ctx, b.ID, map[string]any{"status": BatchPaid, "reference": reference, "paid_by": actor, "paid_at": now}); err != nil {
			return err
		}
		b.Status, b.Reference, b.PaidBy, b.PaidAt = BatchPaid, reference, actor, &now
		return s.audit.Record(ctx, actor, "payout.paid", "payout_batch", b.ID,
			i18n.M("record.audit.payout_paid", "total", money.Yuan(b.Total), "reference", reference))
	})
	if err != nil {
		return Batch{}, fmt.Errorf("mark payout batch %d paid: %w", id, err)
	}
	return b, nil
}

// CancelBatch drops an open batch: its promoters' balances are free for
// another. Audited under actor.
func (s *Service) CancelBatch(ctx context.Context, actor string, id int64) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.LockRow(ctx, "payout_batches", id); err != nil {
			return err
		}
		b, err := s.Batch(ctx, id)
		if err != nil {
			return err
		}
		if b.Status != BatchOpen {
			return ErrBatchNotOpen.With("status", b.Status)
		}
		if err := s.close(ctx, id, map[string]any{"status": BatchCancelled}); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "payout.cancel", "payout_batch", id, i18n.M("record.audit.payout_cancelled", "total", money.Yuan(b.Total)))
	})
}

// close ends an open batch with the given changes; its lines stop holding
// their promoters.
func (s *Service) close(ctx context.Context, id int64, set map[string]any) error {
	res := s.db.Conn(ctx).Model(&Batch{}).Where("id = ? AND status = ?", id, BatchOpen).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrBatchNotOpen
	}
	return s.db.Conn(ctx).Model(&Line{}).Where("batch_id = ?", id).Update("is_open", false).Error
}

// Batch finds a batch with its lines, or ErrBatchNotFound.
func (s *Service) Batch(ctx context.Context, id int64) (Batch, error) {
	var bs []Batch
	if err := s.db.Conn(ctx).Where("id = ?", id).Limit(1).Find(&bs).Error; err != nil {
		return Batch{}, err
	}
	if len(bs) == 0 {
		return Batch{}, ErrBatchNotFound
	}
	b := bs[0]
	return b, s.db.Conn(ctx).Where("batch_id = ?", id).Order("promoter_id").Find(&b.Lines).Error
}

// Batches lists the batches, newest first.
func (s *Service) Batches(ctx context.Context, limit int) ([]Batch, error) {
	var bs []Batch
	return bs, s.db.Conn(ctx).Order("id DESC").Limit(limit).Find(&bs).Error
}
