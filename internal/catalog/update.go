package catalog

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/money"
)

// StockEditReason is the ledger's reason for stock changed on the product page.
var StockEditReason = i18n.M("record.stock.product_page")

// UpdateProduct makes product id what np describes, in one transaction:
// either all of it is saved or nothing is. The rules that keep orders and
// stock honest:
//
//   - SKUs are matched to the stored ones by their combination of spec
//     values. A matched SKU keeps its id (orders reference it) and takes the
//     new code, prices, image and on-sale state.
//   - A stored SKU whose combination is no longer given is switched off
//     sale, never deleted; if the combination comes back it is reused.
//   - A new combination is a new SKU whose Stock arrives as a receipt in
//     the ledger, as on creation.
//   - For a matched SKU, Stock−StockSeen (what the merchant typed minus what
//     they were shown) is adjusted through the ledger with the reason
//     StockEditReason; saving a form whose stock was not touched moves
//     nothing, even if orders reserved units meanwhile.
//
// Price, shelf, on-sale and stock changes are written to the audit log
// under actor, in the same transaction.
func (s *Service) UpdateProduct(ctx context.Context, id int64, np NewProduct, actor string) (Product, error) {
	np = normalized(np)
	if err := validate(np); err != nil {
		return Product{}, err
	}
	var out Product
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		// Two merchants saving the same product take turns, so neither
		// creates a SKU for a combination the other just created.
		if err := s.db.LockRow(ctx, "products", id); err != nil {
			return err
		}
		before, err := s.Product(ctx, id)
		if err != nil {
			return err
		}
		if np.CategoryID != before.CategoryID {
			if err := s.requireCategory(ctx, np.CategoryID); err != nil {
				return errs.As(err).With("field", "category_id")
			}
		}
		if err := s.saveProductRow(ctx, before, np, actor); err != nil {
			return err
		}
		if err := s.saveSKUs(ctx, before, np.SKUs, actor); err != nil {
			return err
		}
		out, err = s.Product(ctx, id)
		return err
	})
	if err != nil {
		return Product{}, fmt.Errorf("update product %d: %w", id, err)
	}
	return out, nil
}

// saveProductRow writes the product's own columns and audits what changed.
func (s *Service) saveProductRow(ctx context.Context, before Product, np NewProduct, actor string) error {
	after := Product{
		CategoryID: np.CategoryID, Title: np.Title, Subtitle: np.Subtitle, Description: np.Description,
		MainImage: np.MainImage, Images: database.JSON[[]string]{V: np.Images},
		SpecDims: database.JSON[[]SpecDim]{V: np.SpecDims}, OnShelf: !np.OffShelf,
		MinPrice: minPrice(np.SKUs), SearchText: SearchText(np.Title), UpdatedAt: s.clock.Now(),
	}
	err := s.db.Conn(ctx).Model(&Product{}).Where("id = ?", before.ID).
		Select("category_id", "title", "subtitle", "description", "main_image", "images", "spec_dims",
			"on_shelf", "min_price", "search_text", "updated_at").Updates(&after).Error
	if err != nil {
		return err
	}
	if d := productDiff(before, after); len(d) > 0 {
		detail := i18n.M("record.audit.product_updated", "title", after.Title, "changes", d)
		if err := s.audit.Record(ctx, actor, "product.update", "product", before.ID, detail); err != nil {
			return err
		}
	}
	if before.OnShelf != after.OnShelf {
		return s.audit.Record(ctx, actor, "product.shelf", "product", before.ID, shelfChange(after.Title, after.OnShelf))
	}
	return nil
}

// productDiff names the descriptive changes (prices and shelf have entries of their own).
func productDiff(a, b Product) []i18n.Msg {
	var parts []i18n.Msg
	if a.Title != b.Title {
		parts = append(parts, i18n.M("record.audit.title_changed", "from", a.Title, "to", b.Title))
	}
	if a.CategoryID != b.CategoryID {
		parts = append(parts, i18n.M("record.audit.category_changed", "from", a.CategoryID, "to", b.CategoryID))
	}
	if a.Subtitle != b.Subtitle {
		parts = append(parts, i18n.M("record.audit.subtitle_changed"))
	}
	if a.Description != b.Description {
		parts = append(parts, i18n.M("record.audit.details_changed"))
	}
	if a.MainImage != b.MainImage || !slices.Equal(a.Images.V, b.Images.V) {
		parts = append(parts, i18n.M("record.audit.images_changed"))
	}
	if !slices.EqualFunc(a.SpecDims.V, b.SpecDims.V, func(x, y SpecDim) bool {
		return x.Name == y.Name && slices.Equal(x.Values, y.Values)
	}) {
		parts = append(parts, i18n.M("record.audit.specs_changed"))
	}
	return parts
}

// saveSKUs applies the SKU rules of UpdateProduct.
func (s *Service) saveSKUs(ctx context.Context, before Product, skus []NewSKU, actor string) error {
	stored := make(map[string]SKU, len(before.SKUs))
	for _, k := range before.SKUs {
		if _, dup := stored[comboKey(k.SpecValues.V)]; !dup { // the oldest wins; any twin is switched off below
			stored[comboKey(k.SpecValues.V)] = k
		}
	}
	kept := map[int64]bool{}
	for i, ns := range skus {
		old, ok := stored[comboKey(ns.SpecValues)]
		if !ok {
			k, err := s.addSKU(ctx, before.ID, i, ns, actor)
			if err != nil {
				return err
			}
			detail := i18n.M("record.audit.sku_created", "sku", skuLabel(k), "price", money.Yuan(k.Price), "stock", k.Stock)
			if err := s.audit.Record(ctx, actor, "sku.create", "sku", k.ID, detail); err != nil {
				return err
			}
			continue
		}
		kept[old.ID] = true
		if err := s.saveSKU(ctx, i, old, ns, actor); err != nil {
			return err
		}
	}
	for _, old := range before.SKUs {
		if kept[old.ID] || !old.OnSale {
			continue
		}
		err := s.db.Conn(ctx).Model(&SKU{}).Where("id = ?", old.ID).
			Updates(map[string]any{"on_sale": false, "updated_at": s.clock.Now()}).Error
		if err != nil {
			return err
		}
		detail := i18n.M("record.audit.sku_combination_removed", "sku", skuLabel(old))
		if err := s.audit.Record(ctx, actor, "sku.sale", "sku", old.ID, detail); err != nil {
			return err
		}
	}
	return nil
}

// saveSKU updates a stored SKU (index i in the edit, for error fields) to ns.
func (s *Service) saveSKU(ctx context.Context, i int, old SKU, ns NewSKU, actor string) error {
	field := fmt.Sprintf("skus[%d]", i)
	err := s.db.Conn(ctx).Model(&SKU{}).Where("id = ?", old.ID).Updates(map[string]any{
		"code": ns.Code, "image": ns.Image, "price": ns.Price, "original_price": ns.OriginalPrice,
		"on_sale": !ns.OffSale, "updated_at": s.clock.Now(),
	}).Error
	if database.IsDuplicate(err) {
		return ErrSKUCodeTaken.With("field", field+".code").With("code", ns.Code)
	}
	if err != nil {
		return err
	}
	var changes []skuChange
	if old.Price != ns.Price {
		changes = append(changes, priceChange(old, old.Price, ns.Price))
	}
	if old.OriginalPrice != ns.OriginalPrice {
		changes = append(changes, originalPriceChange(old, old.OriginalPrice, ns.OriginalPrice))
	}
	if old.OnSale != !ns.OffSale {
		changes = append(changes, saleChange(old, !ns.OffSale))
	}
	if old.Code != ns.Code {
		changes = append(changes, skuChange{"sku.code",
			i18n.M("record.audit.sku_code", "sku", skuLabel(old), "from", old.Code, "to", ns.Code)})
	}
	if delta := ns.Stock - ns.StockSeen; delta != 0 {
		after, err := s.adjustFromForm(ctx, old, delta, field, actor)
		if err != nil {
			return err
		}
		changes = append(changes, skuChange{"stock.adjust", i18n.M("record.audit.sku_stock", "sku", skuLabel(old),
			"from", after-delta, "to", after, "reason", StockEditReason)})
	}
	for _, c := range changes {
		if err := s.audit.Record(ctx, actor, c.action, "sku", old.ID, c.detail); err != nil {
			return err
		}
	}
	return nil
}

// adjustFromForm moves a SKU's stock by delta through the ledger and
// returns the stock after; taking away more than there is now is an error
// on the form's stock field.
func (s *Service) adjustFromForm(ctx context.Context, k SKU, delta int64, field, actor string) (int64, error) {
	ref := inventory.Ref{Type: "product", ID: strconv.FormatInt(k.ProductID, 10)}
	err := s.inventory.Adjust(ctx, k.ID, delta, inventory.KindAdjust, StockEditReason, ref, actor)
	var now int64
	if rerr := s.db.Conn(ctx).Raw("SELECT stock FROM skus WHERE id = ?", k.ID).Scan(&now).Error; rerr != nil {
		return 0, rerr
	}
	if errs.Is(err, inventory.ErrOutOfStock.Code) {
		return 0, errs.Field(field+".stock", "catalog.stock_taken", "stock", now, "take", -delta)
	}
	if err != nil {
		return 0, err
	}
	return now, nil
}

// skuChange is one audit entry about a SKU: its action and detail.
type skuChange struct {
	action string
	detail i18n.Msg
}

// priceChange is the entry of SKU k's price going from one amount to another (fen).
func priceChange(k SKU, from, to int64) skuChange {
	return skuChange{"sku.price", i18n.M("record.audit.sku_price", "sku", skuLabel(k), "from", money.Yuan(from), "to", money.Yuan(to))}
}

// originalPriceChange is the entry of SKU k's original ("was") price changing.
func originalPriceChange(k SKU, from, to int64) skuChange {
	return skuChange{"sku.price",
		i18n.M("record.audit.sku_original_price", "sku", skuLabel(k), "from", money.Yuan(from), "to", money.Yuan(to))}
}

// saleChange is the entry of SKU k going on sale (on) or off it.
func saleChange(k SKU, on bool) skuChange {
	if on {
		return skuChange{"sku.sale", i18n.M("record.audit.sku_on_sale", "sku", skuLabel(k))}
	}
	return skuChange{"sku.sale", i18n.M("record.audit.sku_off_sale", "sku", skuLabel(k))}
}

// skuLabel names a SKU in the audit log: its code and, when it has one, its combination.
func skuLabel(k SKU) i18n.Msg {
	if k.SpecText == "" {
		return i18n.Text(k.Code)
	}
	return i18n.M("record.audit.sku_label", "code", k.Code, "spec", k.SpecText)
}
