package catalog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Limits on what a merchant may enter; they keep the mini program's layout
// and the SKU picker (at most 20×20×20 combinations) usable.
const (
	MaxTitleLen     = 100
	MaxSpecDims     = 3
	MaxSpecValues   = 20
	MaxSpecValueLen = 20
	MaxCodeLen      = 64
	MaxPrice        = 10_000_000 // fen: 100,000 yuan
	MaxCategoryName = 30
)

// ErrCategoryNotFound is returned when a category id names no category.
var ErrCategoryNotFound = errs.NotFound("category_not_found", "this category does not exist")

// ErrSKUCodeTaken is returned when a SKU code is already used by another SKU.
var ErrSKUCodeTaken = errs.Conflict("sku_code_taken", "a SKU with this code already exists")

// NewProduct is a product to create with its SKUs.
type NewProduct struct {
	CategoryID  int64
	Title       string
	Subtitle    string
	Description string
	MainImage   string
	Images      []string
	SpecDims    []SpecDim // 0 to 3 dimensions; none means a single-SKU product
	OffShelf    bool      // create hidden from shoppers (a draft); the zero value is on shelf
	SKUs        []NewSKU
}

// NewSKU is one variant of a NewProduct.
type NewSKU struct {
	Code          string   // unique across the shop, e.g. the merchant's article number
	SpecValues    []string // one value per spec dimension, in dimension order
	Image         string
	Price         int64 // fen
	OriginalPrice int64 // fen; 0 means no "was" price
	Stock         int64 // initial stock, recorded in the ledger as a receipt
	OffSale       bool  // the zero value is on sale
}

// CreateCategory adds a category, nested under parentID when it is not nil.
func (s *Service) CreateCategory(ctx context.Context, name string, parentID *int64, sortOrder int) (Category, error) {
	name = strings.TrimSpace(name)
	if n := len([]rune(name)); n == 0 || n > MaxCategoryName {
		return Category{}, errs.Field("name", fmt.Sprintf("must be 1 to %d characters", MaxCategoryName))
	}
	c := Category{ParentID: parentID, Name: name, SortOrder: sortOrder, CreatedAt: s.now(), UpdatedAt: s.now()}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if parentID != nil {
			if err := s.requireCategory(ctx, *parentID); err != nil {
				return err
			}
		}
		return s.db.Conn(ctx).Create(&c).Error
	})
	if err != nil {
		return Category{}, fmt.Errorf("create category: %w", err)
	}
	return c, nil
}

func (s *Service) requireCategory(ctx context.Context, id int64) error {
	var n int64
	if err := s.db.Conn(ctx).Model(&Category{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrCategoryNotFound.With("category_id", id)
	}
	return nil
}

// CreateProduct validates np and stores the product and its SKUs in one
// transaction, recording each SKU's initial stock in the inventory ledger so
// that the ledger sums to the stock from the first moment.
func (s *Service) CreateProduct(ctx context.Context, np NewProduct, actor string) (Product, error) {
	np = normalized(np)
	if err := validate(np); err != nil {
		return Product{}, err
	}
	now := s.now()
	p := Product{
		CategoryID: np.CategoryID, Title: np.Title, Subtitle: np.Subtitle, Description: np.Description,
		MainImage: np.MainImage, Images: database.JSON[[]string]{V: np.Images},
		SpecDims: database.JSON[[]SpecDim]{V: np.SpecDims}, OnShelf: !np.OffShelf,
		MinPrice: minPrice(np.SKUs), CreatedAt: now, UpdatedAt: now,
	}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.requireCategory(ctx, np.CategoryID); err != nil {
			return errs.As(err).With("field", "category_id")
		}
		if err := s.db.Conn(ctx).Create(&p).Error; err != nil {
			return err
		}
		ref := inventory.Ref{Type: "product", ID: strconv.FormatInt(p.ID, 10)}
		for i, ns := range np.SKUs {
			// Stock starts at zero and arrives through the ledger, never by a direct write.
			k := SKU{
				ProductID: p.ID, Code: ns.Code, SpecValues: database.JSON[[]string]{V: ns.SpecValues},
				SpecText: strings.Join(ns.SpecValues, " / "), Image: ns.Image, Price: ns.Price,
				OriginalPrice: ns.OriginalPrice, OnSale: !ns.OffSale, CreatedAt: now, UpdatedAt: now,
			}
			if err := s.db.Conn(ctx).Create(&k).Error; err != nil {
				if database.IsDuplicate(err) {
					return ErrSKUCodeTaken.With("field", fmt.Sprintf("skus[%d].code", i)).With("code", ns.Code)
				}
				return err
			}
			if ns.Stock > 0 {
				if err := s.inventory.Adjust(ctx, k.ID, ns.Stock, inventory.KindReceive, "initial stock", ref, actor); err != nil {
					return err
				}
				k.Stock = ns.Stock
			}
			p.SKUs = append(p.SKUs, k)
		}
		return nil
	})
	if err != nil {
		return Product{}, fmt.Errorf("create product: %w", err)
	}
	return p, nil
}

// normalized trims text and replaces nil slices, so that stored JSON is
// always an array and validation sees what will be stored.
func normalized(np NewProduct) NewProduct {
	np.Title = strings.TrimSpace(np.Title)
	np.Subtitle = strings.TrimSpace(np.Subtitle)
	if np.Images == nil {
		np.Images = []string{}
	}
	dims := make([]SpecDim, len(np.SpecDims))
	for i, d := range np.SpecDims {
		dims[i] = SpecDim{Name: strings.TrimSpace(d.Name), Values: trimAll(d.Values)}
	}
	np.SpecDims = dims
	skus := make([]NewSKU, len(np.SKUs))
	for i, k := range np.SKUs {
		k.Code = strings.TrimSpace(k.Code)
		k.SpecValues = trimAll(k.SpecValues)
		skus[i] = k
	}
	np.SKUs = skus
	return np
}

func trimAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

// validate checks every rule that needs no database; the category and
// cross-product code uniqueness are checked inside the transaction.
func validate(np NewProduct) error {
	if n := len([]rune(np.Title)); n == 0 || n > MaxTitleLen {
		return errs.Field("title", fmt.Sprintf("must be 1 to %d characters", MaxTitleLen))
	}
	if np.CategoryID <= 0 {
		return errs.Field("category_id", "is required")
	}
	if len(np.SpecDims) > MaxSpecDims {
		return errs.Field("spec_dims", fmt.Sprintf("at most %d dimensions", MaxSpecDims))
	}
	dimNames := map[string]bool{}
	for i, d := range np.SpecDims {
		field := fmt.Sprintf("spec_dims[%d]", i)
		if d.Name == "" || dimNames[d.Name] {
			return errs.Field(field+".name", "must be non-empty and distinct")
		}
		dimNames[d.Name] = true
		if len(d.Values) == 0 || len(d.Values) > MaxSpecValues {
			return errs.Field(field+".values", fmt.Sprintf("must have 1 to %d values", MaxSpecValues))
		}
		seen := map[string]bool{}
		for _, v := range d.Values {
			if v == "" || len([]rune(v)) > MaxSpecValueLen || seen[v] {
				return errs.Field(field+".values", fmt.Sprintf("values must be distinct, 1 to %d characters", MaxSpecValueLen))
			}
			seen[v] = true
		}
	}
	if len(np.SKUs) == 0 {
		return errs.Field("skus", "at least one SKU is required")
	}
	if len(np.SpecDims) == 0 && len(np.SKUs) > 1 {
		return errs.Field("skus", "a product without spec dimensions has exactly one SKU")
	}
	codes, combos := map[string]bool{}, map[string]bool{}
	for i, k := range np.SKUs {
		if err := validateSKU(np.SpecDims, k, fmt.Sprintf("skus[%d]", i)); err != nil {
			return err
		}
		if codes[k.Code] {
			return errs.Field(fmt.Sprintf("skus[%d].code", i), "is used by another SKU of this product")
		}
		codes[k.Code] = true
		combo := strings.Join(k.SpecValues, "\x00")
		if combos[combo] {
			return errs.Field(fmt.Sprintf("skus[%d].spec_values", i), "repeat another SKU's combination")
		}
		combos[combo] = true
	}
	return nil
}

func validateSKU(dims []SpecDim, k NewSKU, field string) error {
	if k.Code == "" || len(k.Code) > MaxCodeLen {
		return errs.Field(field+".code", fmt.Sprintf("must be 1 to %d characters", MaxCodeLen))
	}
	if len(k.SpecValues) != len(dims) {
		return errs.Field(field+".spec_values", fmt.Sprintf("must have one value per dimension (%d)", len(dims)))
	}
	for j, v := range k.SpecValues {
		if !slices.Contains(dims[j].Values, v) {
			return errs.Field(field+".spec_values", fmt.Sprintf("%q is not a value of %s", v, dims[j].Name))
		}
	}
	if k.Price < 0 || k.Price > MaxPrice {
		return errs.Field(field+".price", fmt.Sprintf("must be 0 to %d fen", MaxPrice))
	}
	if k.OriginalPrice < 0 || k.OriginalPrice > MaxPrice {
		return errs.Field(field+".original_price", fmt.Sprintf("must be 0 to %d fen", MaxPrice))
	}
	if k.Stock < 0 {
		return errs.Field(field+".stock", "must not be negative")
	}
	return nil
}

// minPrice is the lowest price among SKUs on sale (all SKUs when none is),
// kept on the product row so lists can sort and filter by price cheaply.
func minPrice(skus []NewSKU) int64 {
	lowest, found := int64(0), false
	for _, onSaleOnly := range []bool{true, false} {
		for _, k := range skus {
			if (!onSaleOnly || !k.OffSale) && (!found || k.Price < lowest) {
				lowest, found = k.Price, true
			}
		}
		if found {
			break
		}
	}
	return lowest
}

// FillIfEmpty runs fill in one transaction, only when the shop has no
// categories and no products yet, and reports whether it ran. Used for the
// demo shop: all or nothing, so a crash midway never leaves half a catalog
// that would then count as "not empty" forever. fill's own CreateCategory and
// CreateProduct calls join the transaction through ctx.
func (s *Service) FillIfEmpty(ctx context.Context, fill func(ctx context.Context) error) (bool, error) {
	ran := false
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var n int64
		err := s.db.Conn(ctx).Raw(`SELECT (SELECT COUNT(*) FROM categories) + (SELECT COUNT(*) FROM products)`).Scan(&n).Error
		if err != nil || n > 0 {
			return err
		}
		ran = true
		return fill(ctx)
	})
	if err != nil {
		return false, err
	}
	return ran, nil
}
