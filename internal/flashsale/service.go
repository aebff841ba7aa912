package flashsale

import (
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Service schedules, shows and settles flash sales.
type Service struct {
	db        *database.DB
	inventory *inventory.Service
	catalog   *catalog.Service
	audit     *audit.Log
	clock     *clock.Clock

	// Shoppers' reads come from a copy at most viewTTL old, so a stampede
	// of "is it open yet?" polls never reaches the database.
	views   sync.Map // sale id → *cachedView; -1 → the current list
	loading singleflight.Group
}

// viewTTL bounds how stale a shopper's view of a sale may be: its counts of
// units left, and an edit or early end by the merchant (buying is always
// decided against the database, never this copy).
const viewTTL = time.Second

// New builds the service.
func New(db *database.DB, inv *inventory.Service, cat *catalog.Service, log *audit.Log, clk *clock.Clock) *Service {
	return &Service{db: db, inventory: inv, catalog: cat, audit: log, clock: clk}
}

// Now is the server's time, which decides whether a sale is open whatever
// the shopper's phone says.
func (s *Service) Now() time.Time { return s.clock.Now() }
