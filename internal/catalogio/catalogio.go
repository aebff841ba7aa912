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

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Service is the inventory and import/export use cases.
type Service struct {
	db        *database.DB
	catalog   *catalog.Service
	inventory *inventory.Service
	audit     *audit.Log
	clock     *clock.Clock
	schedule  func(ctx context.Context, importID int64)
}

// New builds the service. Stock adjustments and imports are written to the
// audit log in the transactions that make them. schedule hands an accepted
// import to the background jobs right after its row is committed (nil: no
// one does); should that fail, the import sweep (DueImports) finds the row
// anyway.
func New(db *database.DB, cat *catalog.Service, inv *inventory.Service, log *audit.Log, clk *clock.Clock,
	schedule func(ctx context.Context, importID int64)) *Service {
	return &Service{db: db, catalog: cat, inventory: inv, audit: log, clock: clk, schedule: schedule}
}
