package catalog

import (
	"context"

	"github.com/kaidian/kaidian/internal/database"
)

// ExportRow is a SKU with what a spreadsheet row needs from its product and
// category; of the SKU only the columns ExportRows selects are set.
type ExportRow struct {
	SKU
	Title    string                   `gorm:"column:title"`
	Category string                   `gorm:"column:category"`
	SpecDims database.JSON[[]SpecDim] `gorm:"column:spec_dims"`
}

// ExportRows returns up to limit SKUs after (afterProduct, afterID), in
// product then SKU order: the SKUs of a product together, walked by key so
// an export of any size reads a batch at a time.
func (s *Service) ExportRows(ctx context.Context, afterProduct, afterID int64, limit int) ([]ExportRow, error) {
	var rows []ExportRow
	err := s.db.Conn(ctx).Raw(`
		SELECT k.id, k.product_id, p.title, COALESCE(c.name, '') AS category, k.code, p.spec_dims, k.spec_values,
		       k.price, k.original_price, k.stock, k.on_sale
		FROM skus k JOIN products p ON p.id = k.product_id LEFT JOIN categories c ON c.id = p.category_id
		WHERE (k.product_id, k.id) > (?, ?)
		ORDER BY k.product_id, k.id LIMIT ?`, afterProduct, afterID, limit).Scan(&rows).Error
	return rows, err
}
