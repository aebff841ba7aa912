package catalogio

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// exportBatch is how many SKUs the export reads per query.
const exportBatch = 1000

// bom starts every file Kaidian writes, so that Excel reads it as UTF-8
// (without it, Excel on Chinese Windows shows the Chinese text garbled).
const bom = "\ufeff"

// Export writes every SKU in the import format, one row per SKU,
// the SKUs of a product together: a file that imports back as no change.
// It reads and writes a batch at a time, walking the SKUs by product, so
// the file is never whole in memory. start is called once, just before the
// first byte is written, and returns where to write: the caller can still
// answer with an error page if the first read fails. The header names the
// columns for a reader of l (Header); import reads either language's.
func (s *Service) Export(ctx context.Context, l i18n.Lang, start func() io.Writer) error {
	var w *csv.Writer
	var afterProduct, afterID int64
	for {
		rows, err := s.catalog.ExportRows(ctx, afterProduct, afterID, exportBatch)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if w == nil {
			if w, err = header(start(), l); err != nil {
				return err
			}
		}
		for _, r := range rows {
			w.Write(record(r))
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if len(rows) < exportBatch {
			return nil
		}
		last := rows[len(rows)-1]
		afterProduct, afterID = last.ProductID, last.ID
	}
}

func record(r catalog.ExportRow) []string {
	original, onSale := "", "0"
	if r.OriginalPrice > 0 {
		original = money.Decimal(r.OriginalPrice)
	}
	if r.OnSale {
		onSale = "1"
	}
	return []string{cell(r.Title), cell(r.Category), cell(r.Code), cell(specCell(r.SpecDims.V, r.SpecValues.V)),
		money.Decimal(r.Price), original, strconv.FormatInt(r.Stock, 10), onSale}
}

// header starts a file: the byte-order mark and the column names in l.
func header(out io.Writer, l i18n.Lang) (*csv.Writer, error) {
	if _, err := io.WriteString(out, bom); err != nil {
		return nil, err
	}
	w := csv.NewWriter(out)
	w.Write(Header(l))
	return w, nil
}

// WriteTemplate writes an example import file: the header and rows for a
// product in two colours and two sizes, and a product with a single SKU;
// the header in l.
func WriteTemplate(out io.Writer, l i18n.Lang) error {
	w, err := header(out, l)
	if err != nil {
		return err
	}
	for _, r := range [][]string{
		{"纯棉圆领T恤", "服装", "TEE-RED-M", "颜色:红;尺码:M", "59.00", "79.00", "120", "1"},
		{"纯棉圆领T恤", "服装", "TEE-RED-L", "颜色:红;尺码:L", "59.00", "79.00", "80", "1"},
		{"纯棉圆领T恤", "服装", "TEE-WHITE-M", "颜色:白;尺码:M", "59.00", "79.00", "150", "1"},
		{"纯棉圆领T恤", "服装", "TEE-WHITE-L", "颜色:白;尺码:L", "59.00", "", "0", "0"},
		{"手冲咖啡滤杯", "咖啡器具", "DRIP-01", "", "128.00", "", "35", "1"},
	} {
		w.Write(r)
	}
	w.Flush()
	return w.Error()
}
