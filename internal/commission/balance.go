package commission

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/page"
)

// Balances are a promoter's commission by state, each the sum of that
// state's entries; Clawback is the sum of the clawbacks (negative), already
// counted in Settled.
type Balances struct {
	Pending, Settled, Paid, Clawback int64
}

// Balances sums a promoter's entries by state.
func (s *Service) Balances(ctx context.Context, promoterID int64) (Balances, error) {
	all, err := s.BalancesOf(ctx, []int64{promoterID})
	return all[promoterID], err
}

// BalancesOf sums the entries of several promoters by state, by promoter.
func (s *Service) BalancesOf(ctx context.Context, promoterIDs []int64) (map[int64]Balances, error) {
	out := map[int64]Balances{}
	if len(promoterIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PromoterID int64 `gorm:"column:promoter_id"`
		State      State `gorm:"column:state"`
		Kind       Kind  `gorm:"column:kind"`
		Amount     int64 `gorm:"column:amount"`
	}
	err := s.db.Conn(ctx).Model(&Entry{}).Select("promoter_id, state, kind, SUM(amount) AS amount").
		Where("promoter_id IN ?", promoterIDs).Group("promoter_id, state, kind").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("commission balances: %w", err)
	}
	for _, r := range rows {
		b := out[r.PromoterID]
		switch r.State {
		case StatePending:
			b.Pending += r.Amount
		case StateSettled:
			b.Settled += r.Amount
		case StatePaid:
			b.Paid += r.Amount
		}
		if r.Kind == KindClawback {
			b.Clawback += r.Amount
		}
		out[r.PromoterID] = b
	}
	return out, nil
}

// Entries lists a promoter's entries, newest first, paged by id.
func (s *Service) Entries(ctx context.Context, promoterID int64, pg page.Request) ([]Entry, string, error) {
	q := s.db.Conn(ctx).Where("promoter_id = ?", promoterID)
	if pg.After > 0 {
		q = q.Where("id < ?", pg.After)
	}
	var es []Entry
	if err := q.Order("id DESC").Limit(pg.Limit + 1).Find(&es).Error; err != nil {
		return nil, "", fmt.Errorf("commission entries: %w", err)
	}
	es, next := page.Trim(es, pg, func(e Entry) int64 { return e.ID })
	return es, next, nil
}

// OrderCommissions is what each of these orders earns its promoter now
// (credits less reversals and clawbacks), by order id.
func (s *Service) OrderCommissions(ctx context.Context, orderIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(orderIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		OrderID int64 `gorm:"column:order_id"`
		Amount  int64 `gorm:"column:amount"`
	}
	err := s.db.Conn(ctx).Model(&Entry{}).Select("order_id, SUM(amount) AS amount").
		Where("order_id IN ? AND kind IN ?", orderIDs, []Kind{KindCommission, KindReversal, KindClawback}).
		Group("order_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.OrderID] = r.Amount
	}
	return out, err
}

// Statement is a promoter's account for one month: what they were owed
// (pending and settled, not yet paid) at its start and end, and every
// entry between but the settlements, which move money from pending to
// settled and change nothing owed. A clawback larger than what was left
// settled leaves Settled below zero: it is carried into the next statement
// and taken from the next payout.
type Statement struct {
	PromoterID     int64
	From, To       time.Time
	Opening        int64
	Closing        int64
	Entries        []Entry
	Earned         int64 // commissions credited in the month
	Reversed       int64 // reversals (negative)
	Clawbacks      int64 // clawbacks (negative)
	Paid           int64 // payouts (positive: what left the owed balance)
	SettledClosing int64 // the settled balance at the end; negative is a clawback carried forward
}

// Statement builds a promoter's statement for the month starting at from
// (any time in the month; months are counted in loc).
func (s *Service) Statement(ctx context.Context, promoterID int64, month time.Time, loc *time.Location) (Statement, error) {
	m := month.In(loc)
	from := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, loc)
	to := from.AddDate(0, 1, 0)
	st := Statement{PromoterID: promoterID, From: from, To: to}
	from, to = from.UTC(), to.UTC() // SQLite compares times as text: parameters in UTC, as stored
	owed := []State{StatePending, StateSettled}
	sum := func(where string, args ...any) (int64, error) {
		var n *int64
		err := s.db.Conn(ctx).Model(&Entry{}).Select("SUM(amount)").Where("promoter_id = ?", promoterID).Where(where, args...).Scan(&n).Error
		if n == nil {
			return 0, err
		}
		return *n, err
	}
	var err error
	if st.Opening, err = sum("state IN ? AND created_at < ?", owed, from); err != nil {
		return st, err
	}
	if st.Closing, err = sum("state IN ? AND created_at < ?", owed, to); err != nil {
		return st, err
	}
	if st.SettledClosing, err = sum("state = ? AND created_at < ?", StateSettled, to); err != nil {
		return st, err
	}
	err = s.db.Conn(ctx).Where("promoter_id = ? AND state IN ? AND kind <> ? AND created_at >= ? AND created_at < ?",
		promoterID, owed, KindSettlement, from, to).Order("id").Limit(5000).Find(&st.Entries).Error
	for _, e := range st.Entries {
		switch e.Kind {
		case KindCommission:
			st.Earned += e.Amount
		case KindReversal:
			st.Reversed += e.Amount
		case KindClawback:
			st.Clawbacks += e.Amount
		case KindPayout:
			st.Paid -= e.Amount
		}
	}
	return st, err
}
