package catalog

import (
	"context"
	"fmt"
	"slices"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// What a bulk import (internal/catalogio) needs from the catalog beyond
// what the product page uses: look-ups by the keys a spreadsheet carries
// (SKU code, product title, category name) and changes to many SKUs at once,
// under the same rules and the same audit as the product page.

// lookupChunk bounds the values bound in one IN (…) list: far below the
// parameter limits of both engines, and large enough that a 10,000-row
// file needs a handful of queries.
const lookupChunk = 500

// SKUsByCode returns the SKUs that carry these codes, keyed by code; codes
// no SKU has are absent.
func (s *Service) SKUsByCode(ctx context.Context, codes []string) (map[string]SKU, error) {
	out := make(map[string]SKU, len(codes))
	for chunk := range slices.Chunk(codes, lookupChunk) {
		var ks []SKU
		if err := s.db.Conn(ctx).Where("code IN ?", chunk).Find(&ks).Error; err != nil {
			return nil, fmt.Errorf("skus by code: %w", err)
		}
		for _, k := range ks {
			out[k.Code] = k
		}
	}
	return out, nil
}

// ProductsByTitle returns, for each title that some product has exactly,
// those products (oldest first) with all their SKUs in id order.
func (s *Service) ProductsByTitle(ctx context.Context, titles []string) (map[string][]Product, error) {
	out := map[string][]Product{}
	var all []Product
	for chunk := range slices.Chunk(titles, lookupChunk) {
		var ps []Product
		if err := s.db.Conn(ctx).Where("title IN ?", chunk).Order("id").Find(&ps).Error; err != nil {
			return nil, fmt.Errorf("products by title: %w", err)
		}
		all = append(all, ps...)
	}
	at := make(map[int64]int, len(all))
	ids := make([]int64, len(all))
	for i, p := range all {
		at[p.ID], ids[i] = i, p.ID
	}
	for chunk := range slices.Chunk(ids, lookupChunk) {
		var ks []SKU
		if err := s.db.Conn(ctx).Where("product_id IN ?", chunk).Order("id").Find(&ks).Error; err != nil {
			return nil, fmt.Errorf("products by title: skus: %w", err)
		}
		for _, k := range ks {
			p := &all[at[k.ProductID]]
			p.SKUs = append(p.SKUs, k)
		}
	}
	for _, p := range all {
		out[p.Title] = append(out[p.Title], p)
	}
	return out, nil
}

// CategoriesByName maps every category's name to the category; where
// several share a name, the oldest.
func (s *Service) CategoriesByName(ctx context.Context) (map[string]Category, error) {
	var cs []Category
	if err := s.db.Conn(ctx).Order("id").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("categories by name: %w", err)
	}
	out := make(map[string]Category, len(cs))
	for _, c := range cs {
		if _, seen := out[c.Name]; !seen {
			out[c.Name] = c
		}
	}
	return out, nil
}

// CheckNewProduct runs every check of CreateProduct that needs no
// database, so a bulk import can find every bad row before writing any.
func CheckNewProduct(np NewProduct) error { return validate(normalized(np)) }

// ExtendDims returns a copy of dims with each value of skus (SpecValues in
// dimension order) that its dimension lacks appended to it, in order of
// first appearance: a spreadsheet names combinations, not dimensions.
func ExtendDims(dims []SpecDim, skus []NewSKU) []SpecDim {
	out := make([]SpecDim, len(dims))
	for i, d := range dims {
		out[i] = SpecDim{Name: d.Name, Values: slices.Clone(d.Values)}
	}
	for _, k := range skus {
		for i, v := range k.SpecValues {
			if i < len(out) && !slices.Contains(out[i].Values, v) {
				out[i].Values = append(out[i].Values, v)
			}
		}
	}
	return out
}

// CheckAddSKUs runs every check of AddSKUs that needs no database: p
// (with all its SKUs) has spec dimensions, the extended dimensions stay
// within the limits, each new SKU is valid, and no combination is taken,
// by p's SKUs (those switched off included) or by another new SKU. Errors
// name the new SKU as "skus[i]…", like CreateProduct's.
func CheckAddSKUs(p Product, skus []NewSKU) error {
	if len(p.SpecDims.V) == 0 {
		return errs.Field("skus", "catalog.import_no_specs", "title", p.Title)
	}
	if len(p.SKUs)+len(skus) > MaxSKUs {
		return errs.Field("skus", "catalog.import_too_many_skus", "title", p.Title, "skus", len(p.SKUs)+len(skus), "max", MaxSKUs)
	}
	dims := ExtendDims(p.SpecDims.V, skus)
	if err := ValidateSpecDims(dims); err != nil {
		return errs.Field("spec_dims", "catalog.import_spec_dims", "title", p.Title, "problem", err)
	}
	taken := make(map[string]string, len(p.SKUs)+len(skus))
	for _, k := range p.SKUs {
		taken[comboKey(k.SpecValues.V)] = k.Code
	}
	for i, k := range skus {
		field := fmt.Sprintf("skus[%d]", i)
		if err := validateSKU(dims, k, field); err != nil {
			return err
		}
		if code, dup := taken[comboKey(k.SpecValues)]; dup {
			return errs.Field(field+".spec_values", "catalog.import_combo_taken", "title", p.Title, "spec", SpecText(k.SpecValues), "code", code)
		}
		taken[comboKey(k.SpecValues)] = k.Code
	}
	return nil
}

// AddSKUs adds skus (SpecValues in the product's dimension order) to
// existing product productID, extending its spec dimensions by values they
// do not have yet, in one transaction under the product's lock, with an
// audit entry per SKU. Each SKU's Stock arrives as a receipt in the ledger,
// as on creation.
func (s *Service) AddSKUs(ctx context.Context, productID int64, skus []NewSKU, actor string) ([]SKU, error) {
	skus = normalized(NewProduct{SKUs: skus}).SKUs
	var out []SKU
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.LockRow(ctx, "products", productID); err != nil {
			return err
		}
		p, err := s.Product(ctx, productID)
		if err != nil {
			return err
		}
		if err := CheckAddSKUs(p, skus); err != nil {
			return err
		}
		dims := ExtendDims(p.SpecDims.V, skus)
		err = s.db.Conn(ctx).Model(&Product{}).Where("id = ?", productID).
			Updates(map[string]any{"spec_dims": database.JSON[[]SpecDim]{V: dims}, "updated_at": s.clock.Now()}).Error
		if err != nil {
			return err
		}
		for i, ns := range skus {
			k, err := s.addSKU(ctx, productID, i, ns, actor)
			if err != nil {
				return err
			}
			detail := i18n.M("record.audit.sku_added", "sku", skuLabel(k), "product", p.Title,
				"price", money.Yuan(k.Price), "stock", k.Stock)
			if err := s.audit.Record(ctx, actor, "sku.create", "sku", k.ID, detail); err != nil {
				return err
			}
			out = append(out, k)
		}
		return s.refreshMinPrices(ctx, []int64{productID})
	})
	if err != nil {
		return nil, fmt.Errorf("add skus to product %d: %w", productID, err)
	}
	return out, nil
}

// Offer is what a bulk import sets on an existing SKU.
type Offer struct {
	Price         int64 // fen
	OriginalPrice int64 // fen; 0 means no "was" price
	OnSale        bool
}

// OfferChange gives SKU (as it was read) a new Offer.
type OfferChange struct {
	SKU   SKU
	Offer Offer
}

// SetOffers gives each SKU its new price, original price and on-sale
// state, records each change in the audit log as the product page does, and
// keeps the products' lowest prices right, in one transaction.
func (s *Service) SetOffers(ctx context.Context, changes []OfferChange, actor string) error {
	for _, c := range changes {
		if c.Offer.Price < 0 || c.Offer.Price > MaxPrice || c.Offer.OriginalPrice < 0 || c.Offer.OriginalPrice > MaxPrice {
			return errs.Field("price", "catalog.offer_price", "code", c.SKU.Code, "max", money.Yuan(MaxPrice))
		}
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		var products []int64
		for _, c := range changes {
			k, o := c.SKU, c.Offer
			err := s.db.Conn(ctx).Model(&SKU{}).Where("id = ?", k.ID).Updates(map[string]any{
				"price": o.Price, "original_price": o.OriginalPrice, "on_sale": o.OnSale, "updated_at": s.clock.Now(),
			}).Error
			if err != nil {
				return fmt.Errorf("set offer of sku %d: %w", k.ID, err)
			}
			if err := s.auditOffer(ctx, k, o, actor); err != nil {
				return err
			}
			if !slices.Contains(products, k.ProductID) {
				products = append(products, k.ProductID)
			}
		}
		return s.refreshMinPrices(ctx, products)
	})
}

func (s *Service) auditOffer(ctx context.Context, k SKU, o Offer, actor string) error {
	var entries []skuChange
	if k.Price != o.Price {
		entries = append(entries, priceChange(k, k.Price, o.Price))
	}
	if k.OriginalPrice != o.OriginalPrice {
		entries = append(entries, originalPriceChange(k, k.OriginalPrice, o.OriginalPrice))
	}
	if k.OnSale != o.OnSale {
		entries = append(entries, saleChange(k, o.OnSale))
	}
	for _, e := range entries {
		if err := s.audit.Record(ctx, actor, e.action, "sku", k.ID, e.detail); err != nil {
			return err
		}
	}
	return nil
}

// refreshMinPrices recomputes products' lowest price from their SKUs by the
// rule of CreateProduct: the cheapest on sale, else the cheapest of all.
func (s *Service) refreshMinPrices(ctx context.Context, productIDs []int64) error {
	for chunk := range slices.Chunk(productIDs, lookupChunk) {
		err := s.db.Conn(ctx).Exec(`UPDATE products SET min_price = COALESCE(
				(SELECT MIN(price) FROM skus WHERE product_id = products.id AND on_sale),
				(SELECT MIN(price) FROM skus WHERE product_id = products.id), 0), updated_at = ?
			WHERE id IN ?`, s.clock.Now(), chunk).Error
		if err != nil {
			return fmt.Errorf("refresh lowest prices: %w", err)
		}
	}
	return nil
}
