// Package catalogio is the merchant's bulk view of the catalog and its
// stock: the stock list and each SKU's ledger, manual stock adjustments, and
// the catalog in and out of spreadsheets (CSV import as a durable background
// job, CSV export streamed). It reads and changes products and SKUs only
// through internal/catalog and stock only through internal/inventory (their
// tables are theirs), so the rules and the audit of the product page hold
// for a file of thousands of rows.
package catalogio

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Service is the inventory and import/export use cases.
type Service struct {
	db        *database.DB
	catalog   *catalog.Service
	inventory *inventory.Service
	audit     *audit.Log
	now       func() time.Time
	schedule  func(ctx context.Context, importID int64)
}

// New builds the service. Stock adjustments and imports are written to the
// audit log in the transactions that make them.
func New(db *database.DB, cat *catalog.Service, inv *inventory.Service, log *audit.Log) *Service {
	return &Service{db: db, catalog: cat, inventory: inv, audit: log, now: func() time.Time { return time.Now().UTC() }}
}

// UseScheduler sets how an accepted import is handed to the background
// jobs, right after its row is committed. Should that fail, the import
// sweep (DueImports) finds the row anyway.
func (s *Service) UseScheduler(fn func(ctx context.Context, importID int64)) { s.schedule = fn }
