package catalogio

import (
	"context"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
)

// The stock list is read by the catalog and the ledger by inventory, the
// owners of those tables; catalogio keeps the names the console uses.

// MaxQueryLen bounds the stock list's search text.
const MaxQueryLen = catalog.MaxStockQueryLen

type (
	// StockQuery selects a page of the stock list (catalog.StockQuery).
	StockQuery = catalog.StockQuery
	// StockRow is a SKU as the stock list shows it (catalog.StockRow).
	StockRow = catalog.StockRow
)

// ErrSKUNotFound is returned for a SKU id that names none.
var ErrSKUNotFound = catalog.ErrSKUNotFound

// StockList returns a page of SKUs with their stock, and the cursor of the
// next page ("" on the last).
func (s *Service) StockList(ctx context.Context, q StockQuery) ([]StockRow, string, error) {
	return s.catalog.StockList(ctx, q)
}

// StockOf returns one SKU as the stock list shows it; threshold marks Low.
func (s *Service) StockOf(ctx context.Context, skuID, threshold int64) (StockRow, error) {
	return s.catalog.StockOf(ctx, skuID, threshold)
}

// Ledger returns a page of a SKU's stock movements, newest first, and the
// cursor of the next page.
func (s *Service) Ledger(ctx context.Context, skuID int64, r page.Request) ([]inventory.Movement, string, error) {
	return s.inventory.MovementsPage(ctx, skuID, r)
}
