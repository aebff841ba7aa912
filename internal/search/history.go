package search

import (
	"context"
	"fmt"
	"time"
)

// Search is one of a shopper's recent searches.
type Search struct {
	Word       string    `gorm:"column:word"`
	SearchedAt time.Time `gorm:"column:searched_at"`
}

// History returns a shopper's recent distinct searches, newest first (at
// most HistoryLen). A search shows here once its replica has flushed
// (within FlushEvery).
func (s *Service) History(ctx context.Context, shopperID int64) ([]Search, error) {
	out := []Search{}
	err := s.db.Conn(ctx).Table("search_history").Select("word, searched_at").Where("shopper_id = ?", shopperID).
		Order("searched_at DESC, norm").Limit(HistoryLen).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("search history: %w", err)
	}
	return out, nil
}

// ClearHistory forgets a shopper's searches, those written and those this
// replica has not flushed yet (another replica's unflushed second of
// searches can still arrive: they are searches made before the clear only
// if that replica's clock says so, which is why the wait is one interval).
func (s *Service) ClearHistory(ctx context.Context, shopperID int64) error {
	s.mu.Lock()
	for k := range s.history {
		if k.shopper == shopperID {
			delete(s.history, k)
		}
	}
	s.mu.Unlock()
	if err := s.db.Conn(ctx).Exec("DELETE FROM search_history WHERE shopper_id = ?", shopperID).Error; err != nil {
		return fmt.Errorf("clear search history: %w", err)
	}
	return nil
}
