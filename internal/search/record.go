package search

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Searches are counted in memory and written in batches: a search is the
// list's hottest use, and a write per search would put every shopper's
// typing on the database's write path (on SQLite, its single writer).
// Each replica flushes its batch every FlushEvery, in one transaction: one
// upsert for the day's counts, one for the history entries, and a trim
// per shopper whose history grew. A crash loses at most one interval of
// counts and history; nothing else depends on them.

// FlushEvery is how often Run writes the searches it has gathered.
const FlushEvery = time.Second

type countKey struct{ day, norm string }

type pendingCount struct {
	word string // the spelling last seen
	n    int64
}

type historyKey struct {
	shopper int64
	norm    string
}

type pendingSearch struct {
	word string
	at   time.Time
}

// Record notes a search for the list's words q: counted for the hot
// searches and, for a logged-in shopper (shopperID > 0), put at the top of
// their history. It only touches memory; words the list would refuse
// (empty, too long) are ignored.
func (s *Service) Record(shopperID int64, q string) {
	w, norm, err := word(q, "q")
	if err != nil {
		return
	}
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	k := countKey{s.day(now), norm}
	if c, ok := s.counts[k]; ok {
		c.n, c.word = c.n+1, w
	} else if len(s.counts) < maxPending {
		s.counts[k] = &pendingCount{word: w, n: 1}
	}
	if hk := (historyKey{shopperID, norm}); shopperID > 0 && (len(s.history) < maxPending || s.history[hk].word != "") {
		s.history[hk] = pendingSearch{word: w, at: now}
	}
}

// take empties the batch and returns it.
func (s *Service) take() (map[countKey]*pendingCount, map[historyKey]pendingSearch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts, history := s.counts, s.history
	s.counts, s.history = map[countKey]*pendingCount{}, map[historyKey]pendingSearch{}
	return counts, history
}

// Flush writes the searches gathered since the last flush. On failure the
// batch is dropped (and the error returned): counts are a popularity
// signal, not a ledger, and retrying a batch forever would grow memory.
func (s *Service) Flush(ctx context.Context) error {
	counts, history := s.take()
	if len(counts) == 0 && len(history) == 0 {
		return nil
	}
	countRows := make([][]any, 0, len(counts))
	for k, c := range counts {
		countRows = append(countRows, []any{k.day, k.norm, c.word, c.n})
	}
	historyRows := make([][]any, 0, len(history))
	shoppers := map[int64]bool{}
	for k, h := range history {
		historyRows = append(historyRows, []any{k.shopper, k.norm, h.word, h.at})
		shoppers[k.shopper] = true
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		err := s.upsert(ctx, "INSERT INTO search_counts (day, norm, word, searches) VALUES ",
			" ON CONFLICT (day, norm) DO UPDATE SET "+
				"searches = search_counts.searches + excluded.searches, word = excluded.word", countRows)
		if err != nil {
			return fmt.Errorf("search counts: %w", err)
		}
		// A later search of the same word moves it to the top; an older
		// one (two replicas' batches crossing) leaves it where it is.
		err = s.upsert(ctx, "INSERT INTO search_history (shopper_id, norm, word, searched_at) VALUES ",
			" ON CONFLICT (shopper_id, norm) DO UPDATE SET word = excluded.word, searched_at = excluded.searched_at "+
				"WHERE excluded.searched_at > search_history.searched_at", historyRows)
		if err != nil {
			return fmt.Errorf("search history: %w", err)
		}
		for id := range shoppers {
			if err := s.trimHistory(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// upsertChunk bounds the rows of one multi-row insert: four values each
// stays well under SQLite's limit of 32,766 bound values per statement.
const upsertChunk = 1000

// upsert writes rows of four values through head VALUES (…), … tail, a
// statement per upsertChunk rows.
func (s *Service) upsert(ctx context.Context, head, tail string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), upsertChunk)
		var b strings.Builder
		args := make([]any, 0, 4*n)
		b.WriteString(head)
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, r...)
		}
		b.WriteString(tail)
		if err := s.db.Conn(ctx).Exec(b.String(), args...).Error; err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// trimHistory keeps a shopper's HistoryLen newest searches.
func (s *Service) trimHistory(ctx context.Context, shopperID int64) error {
	err := s.db.Conn(ctx).Exec(`DELETE FROM search_history WHERE shopper_id = ? AND norm NOT IN
		(SELECT norm FROM search_history WHERE shopper_id = ? ORDER BY searched_at DESC, norm LIMIT ?)`,
		shopperID, shopperID, HistoryLen).Error
	if err != nil {
		return fmt.Errorf("trim search history of shopper %d: %w", shopperID, err)
	}
	return nil
}

// Run flushes every FlushEvery until ctx ends; the caller flushes once
// more at shutdown (Flush), when no request can record any more.
func (s *Service) Run(ctx context.Context, logf func(err error)) {
	t := time.NewTicker(FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Flush(ctx); err != nil {
				logf(err)
			}
		}
	}
}

// PruneCounts forgets counts older than KeepDays (the hourly maintenance).
func (s *Service) PruneCounts(ctx context.Context) error {
	cutoff := s.day(s.clock.Now().AddDate(0, 0, -KeepDays))
	if err := s.db.Conn(ctx).Exec("DELETE FROM search_counts WHERE day < ?", cutoff).Error; err != nil {
		return fmt.Errorf("prune search counts: %w", err)
	}
	return nil
}
