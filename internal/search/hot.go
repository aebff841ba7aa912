package search

import (
	"context"
	"fmt"
)

// HotWord is a word the search page offers to tap.
type HotWord struct {
	Word   string
	Pinned bool  // the merchant pinned it
	Count  int64 // searches in the last HotDays days (0 for a pinned word nobody searched)
}

// Hot returns the merchant's pinned words in their order, then the most
// searched words of the last HotDays days (ties: alphabetical), HotLen in
// all, a pinned word never twice.
func (s *Service) Hot(ctx context.Context) ([]HotWord, error) {
	pins, err := s.Pins(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]HotWord, 0, HotLen)
	pinned := map[string]bool{}
	for _, p := range pins {
		if len(out) == HotLen {
			return out, nil
		}
		out = append(out, HotWord{Word: p.Word, Pinned: true})
		pinned[p.Norm] = true
	}
	top, err := s.Top(ctx, HotLen+len(pins))
	if err != nil {
		return nil, err
	}
	for _, t := range top {
		if len(out) == HotLen {
			break
		}
		if !pinned[t.norm] {
			out = append(out, t.HotWord)
		}
	}
	return out, nil
}

// TopWord is a most-searched word, with its normalised form.
type TopWord struct {
	HotWord
	norm string
}

// Top returns the limit most searched words of the last HotDays days
// (today included), most searched first.
func (s *Service) Top(ctx context.Context, limit int) ([]TopWord, error) {
	var rows []struct {
		Norm  string `gorm:"column:norm"`
		Word  string `gorm:"column:word"`
		Count int64  `gorm:"column:n"`
	}
	since := s.day(s.clock.Now().AddDate(0, 0, -(HotDays - 1)))
	err := s.db.Conn(ctx).Raw(`SELECT norm, MAX(word) AS word, SUM(searches) AS n FROM search_counts
		WHERE day >= ? GROUP BY norm ORDER BY SUM(searches) DESC, norm LIMIT ?`, since, limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("top searches: %w", err)
	}
	out := make([]TopWord, len(rows))
	for i, r := range rows {
		out[i] = TopWord{HotWord: HotWord{Word: r.Word, Count: r.Count}, norm: r.Norm}
	}
	return out, nil
}
