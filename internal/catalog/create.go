package catalog

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/money"
)

// ErrSKUCodeTaken is returned when a SKU code is already used by another SKU.
var ErrSKUCodeTaken = errs.Conflict("sku_code_taken", "catalog.sku_code_taken")

// NewProduct is a product to create with its SKUs, or, given to
// UpdateProduct, the whole of a product as it should be after an edit.
type NewProduct struct {
	CategoryID  int64
	Title       string
	Subtitle    string
	Description string
	MainImage   string    // "" means the first of Images
	Images      []string  // at most MaxImages
	SpecDims    []SpecDim // 0 to 3 dimensions; none means a single-SKU product
	OffShelf    bool      // hidden from shoppers (a draft); the zero value is on shelf
	SKUs        []NewSKU
}

// NewSKU is one variant of a NewProduct.
type NewSKU struct {
	Code          string   // unique across the shop, e.g. the merchant's article number
	SpecValues    []string // one value per spec dimension, in dimension order
	Image         string
	Price         int64 // fen
	OriginalPrice int64 // fen; 0 means no "was" price
	Stock         int64 // initial stock, recorded in the ledger as a receipt; see UpdateProduct for edits
	// StockSeen is, in an edit of an existing SKU, the stock the merchant
	// was shown: Stock−StockSeen is what they changed, and only that moves.
	StockSeen int64
	OffSale   bool // the zero value is on sale
}

// CreateProduct validates np and stores the product and its SKUs in one
// transaction, recording each SKU's initial stock in the inventory ledger so
// that the ledger sums to the stock from the first moment, and the creation
// in the audit log under actor.
func (s *Service) CreateProduct(ctx context.Context, np NewProduct, actor string) (Product, error) {
	np = normalized(np)
	if err := validate(np); err != nil {
		return Product{}, err
	}
	now := s.clock.Now()
	p := Product{
		CategoryID: np.CategoryID, Title: np.Title, Subtitle: np.Subtitle, Description: np.Description,
		MainImage: np.MainImage, Images: database.JSON[[]string]{V: np.Images},
		SpecDims: database.JSON[[]SpecDim]{V: np.SpecDims}, OnShelf: !np.OffShelf,
		MinPrice: minPrice(np.SKUs), SearchText: SearchText(np.Title), CreatedAt: now, UpdatedAt: now,
	}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.requireCategory(ctx, np.CategoryID); err != nil {
			return errs.As(err).With("field", "category_id")
		}
		if err := s.db.Conn(ctx).Create(&p).Error; err != nil {
			return err
		}
		for i, ns := range np.SKUs {
			k, err := s.addSKU(ctx, p.ID, i, ns, actor)
			if err != nil {
				return err
			}
			p.SKUs = append(p.SKUs, k)
		}
		detail := i18n.M("record.audit.product_created", "title", p.Title, "count", len(p.SKUs), "price", money.Yuan(p.MinPrice))
		return s.audit.Record(ctx, actor, "product.create", "product", p.ID, detail)
	})
	if err != nil {
		return Product{}, fmt.Errorf("create product: %w", err)
	}
	return p, nil
}

// addSKU stores a new SKU of product productID (ns at index i of the
// product's SKUs, for error fields). Its stock starts at zero and arrives
// through the ledger as a receipt, never by a direct write.
func (s *Service) addSKU(ctx context.Context, productID int64, i int, ns NewSKU, actor string) (SKU, error) {
	now := s.clock.Now()
	k := SKU{
		ProductID: productID, Code: ns.Code, SpecValues: database.JSON[[]string]{V: ns.SpecValues},
		SpecText: SpecText(ns.SpecValues), Image: ns.Image, Price: ns.Price,
		OriginalPrice: ns.OriginalPrice, OnSale: !ns.OffSale, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.db.Conn(ctx).Create(&k).Error; err != nil {
		if database.IsDuplicate(err) {
			return SKU{}, ErrSKUCodeTaken.With("field", fmt.Sprintf("skus[%d].code", i)).With("code", ns.Code)
		}
		return SKU{}, err
	}
	if ns.Stock > 0 {
		ref := inventory.Ref{Type: "product", ID: strconv.FormatInt(productID, 10)}
		if err := s.inventory.Adjust(ctx, k.ID, ns.Stock, inventory.KindReceive, i18n.M("record.stock.initial"), ref, actor); err != nil {
			return SKU{}, err
		}
		k.Stock = ns.Stock
	}
	return k, nil
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
