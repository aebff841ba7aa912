// Package search keeps what shoppers search for: counts per word per day
// (the hot searches), each logged-in shopper's recent searches, the words
// the merchant pins, and suggestions as a shopper types. The products a
// search finds come from the catalog (ListProducts); this package never
// stands in the list's way: searches are counted in memory and written in
// batches (record.go).
package search

import (
	"strings"
	"sync"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Limits.
const (
	MaxWordLen   = catalog.MaxQueryLen // a word is what the list accepts as q
	HistoryLen   = 20                  // searches kept per shopper
	HotLen       = 10                  // words GET /search/hot answers
	MaxPins      = 10                  // words a merchant can pin
	HotDays      = 7                   // the hot searches' window
	KeepDays     = 30                  // counts older than this are pruned
	SuggestLimit = 10                  // suggestions at most, by default
	// maxPending bounds the words and history entries a replica holds
	// between flushes, so a flood of distinct nonsense cannot grow memory:
	// past it, searches are not counted until the next flush.
	maxPending = 10_000
)

// Service is the search use cases.
type Service struct {
	db      *database.DB
	catalog *catalog.Service
	audit   *audit.Log
	clock   *clock.Clock

	mu      sync.Mutex
	counts  map[countKey]*pendingCount
	history map[historyKey]pendingSearch
}

// New builds the service.
func New(db *database.DB, cat *catalog.Service, log *audit.Log, clk *clock.Clock) *Service {
	return &Service{db: db, catalog: cat, audit: log, clock: clk,
		counts: map[countKey]*pendingCount{}, history: map[historyKey]pendingSearch{}}
}

// word trims a searched or pinned word and checks its length; it returns
// the word as typed and its normalised form (catalog.SearchText), which is
// what counts, history and pins are keyed by.
func word(raw, field string) (w, norm string, err error) {
	w = strings.Join(strings.Fields(raw), " ")
	if w == "" {
		return "", "", errs.Field(field, "invalid.required")
	}
	if len([]rune(w)) > MaxWordLen {
		return "", "", errs.Field(field, "invalid.max_length", "max", MaxWordLen)
	}
	return w, catalog.SearchText(w), nil
}

// day is the shop's calendar day (China time) searches are counted under.
func (s *Service) day(t time.Time) string { return t.In(s.clock.Location()).Format(time.DateOnly) }
