package giftcard

import (
	"context"
	"fmt"
	"time"
)

// DesignStats is a design with how its cards went: paid for (refunded
// ones included), on their way to a friend, and claimed.
type DesignStats struct {
	Design
	Sold, Sending, Claimed int64
}

// Overview is what the console shows of gift cards.
type Overview struct {
	Designs []DesignStats
	// Liability is every shopper's unspent balance (fen): what the shop owes
	// in goods for cards claimed.
	Liability int64
	// Unclaimed is the face value of cards sold and not yet claimed.
	Unclaimed int64
	// Expiring is unclaimed cards that expire within ExpiringWithin, soonest first.
	Expiring []Card
}

// ExpiringWithin is how far ahead "expiring soon" looks.
const ExpiringWithin = 30 * 24 * time.Hour

// Overview reads the designs with their counts, the outstanding balance,
// and the unclaimed cards expiring soon (at most 100).
func (s *Service) Overview(ctx context.Context) (Overview, error) {
	var ds []Design
	if err := s.db.Conn(ctx).Order("id DESC").Find(&ds).Error; err != nil {
		return Overview{}, fmt.Errorf("list gift-card designs: %w", err)
	}
	var counts []struct {
		DesignID                     int64
		Sold, Sending, Claimed, Open int64
		Unclaimed                    int64
	}
	err := s.db.Conn(ctx).Raw(`SELECT design_id, COUNT(*) AS sold,
		SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS sending, SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS claimed,
		SUM(CASE WHEN status IN (?, ?) THEN face_value ELSE 0 END) AS unclaimed
		FROM gift_cards GROUP BY design_id`, StatusSending, StatusClaimed, StatusUnsent, StatusSending).Scan(&counts).Error
	if err != nil {
		return Overview{}, fmt.Errorf("count gift cards: %w", err)
	}
	var o Overview
	by := map[int64]int{}
	for i, c := range counts {
		by[c.DesignID] = i
		o.Unclaimed += c.Unclaimed
	}
	for _, d := range ds {
		st := DesignStats{Design: d}
		if i, ok := by[d.ID]; ok {
			st.Sold, st.Sending, st.Claimed = counts[i].Sold, counts[i].Sending, counts[i].Claimed
		}
		o.Designs = append(o.Designs, st)
	}
	if err := s.db.Conn(ctx).Raw("SELECT COALESCE(SUM(balance), 0) FROM gift_card_balances").Scan(&o.Liability).Error; err != nil {
		return Overview{}, fmt.Errorf("sum gift-card balances: %w", err)
	}
	now := s.clock.Now()
	err = s.db.Conn(ctx).Where("status IN ? AND expires_at > ? AND expires_at <= ?", []string{StatusUnsent, StatusSending}, now, now.Add(ExpiringWithin)).
		Order("expires_at").Limit(100).Find(&o.Expiring).Error
	if err != nil {
		return Overview{}, fmt.Errorf("list expiring gift cards: %w", err)
	}
	return o, s.withDesigns(ctx, o.Expiring)
}

// EachEntry calls fn with every ledger entry, oldest first, streamed (for
// the finance export); fn's error stops it.
func (s *Service) EachEntry(ctx context.Context, fn func(Entry) error) error {
	rows, err := s.db.Conn(ctx).Model(&Entry{}).Order("id").Rows()
	if err != nil {
		return fmt.Errorf("read gift-card ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		if err := s.db.Conn(ctx).ScanRows(rows, &e); err != nil {
			return fmt.Errorf("read gift-card ledger: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
