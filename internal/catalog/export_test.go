package catalog

import (
	"context"
	"fmt"
)

// The gorm versions of the shopper's reads, kept for the tests that check
// the hand-written queries (shop_read.go) answer exactly as they did.
var (
	GormListProducts  = (*Service).gormListProducts
	GormProductDetail = (*Service).gormProductDetail
)

// gormListProducts is ListProducts as it was written with gorm: the
// reference the hand-written reads are compared with. It returns a page of on-shelf products in id order, and the
// cursor of the next page ("" on the last). It runs two queries whatever the
// page size: the products, then their SKUs' price and stock aggregates.
func (s *Service) gormListProducts(ctx context.Context, q ProductQuery) ([]ProductSummary, string, error) {
	if err := searchInput(&q.Q, &q.Page, MaxQueryLen); err != nil {
		return nil, "", err
	}
	afterKey, err := q.check()
	if err != nil {
		return nil, "", err
	}
	db := s.db.Conn(ctx).Model(&Product{}).Select("id", "category_id", "title", "subtitle", "main_image", "min_price", "sales").
		Where("on_shelf = ?", true)
	// The sorts, written out one by one rather than built as the
	// hand-written statement builds them.
	switch q.Sort {
	case SortDefault:
		db = db.Where("id > ?", q.Page.After).Order("id")
	case SortNewest:
		if q.Cursor != "" {
			db = db.Where("id < ?", q.Page.After)
		}
		db = db.Order("id DESC")
	case SortSales:
		if q.Cursor != "" {
			db = db.Where("sales < ? OR (sales = ? AND id < ?)", afterKey, afterKey, q.Page.After)
		}
		db = db.Order("sales DESC, id DESC")
	case SortPriceAsc:
		if q.Cursor != "" {
			db = db.Where("min_price > ? OR (min_price = ? AND id > ?)", afterKey, afterKey, q.Page.After)
		}
		db = db.Order("min_price, id")
	case SortPriceDesc:
		if q.Cursor != "" {
			db = db.Where("min_price < ? OR (min_price = ? AND id < ?)", afterKey, afterKey, q.Page.After)
		}
		db = db.Order("min_price DESC, id DESC")
	}
	if q.CategoryID != 0 {
		ids, err := s.subtree(ctx, q.CategoryID)
		if err != nil {
			return nil, "", err
		}
		db = db.Where("category_id IN ?", ids)
	}
	if q.MinPrice != nil {
		db = db.Where("min_price >= ?", *q.MinPrice)
	}
	if q.MaxPrice != nil {
		db = db.Where("min_price <= ?", *q.MaxPrice)
	}
	if q.InStock {
		db = db.Where("id IN (SELECT product_id FROM skus WHERE on_sale = ? AND stock > 0)", true)
	}
	if q.Q != "" {
		db = db.Where(`search_text LIKE ? ESCAPE '\'`, "%"+escapeLike(SearchText(q.Q))+"%")
	}
	var rows []Product
	if err := db.Limit(q.Page.Limit + 1).Find(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("list products: %w", err)
	}
	out, err := s.summaries(ctx, rows)
	if err != nil {
		return nil, "", err
	}
	out, next := trimPage(out, q)
	return out, next, nil
}

// summaries joins a page of products with their offer (Product.Offer, the
// same rule the detail page uses), loading the page's SKUs in one query.
func (s *Service) summaries(ctx context.Context, rows []Product) ([]ProductSummary, error) {
	out := make([]ProductSummary, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i, p := range rows {
		ids[i] = p.ID
	}
	var skus []SKU
	err := s.db.Conn(ctx).Select("id", "product_id", "price", "original_price", "stock", "on_sale").
		Where("product_id IN ? AND on_sale = ?", ids, true).Find(&skus).Error
	if err != nil {
		return nil, fmt.Errorf("product offers: %w", err)
	}
	byProduct := make(map[int64][]SKU, len(rows))
	for _, k := range skus {
		byProduct[k.ProductID] = append(byProduct[k.ProductID], k)
	}
	for _, p := range rows {
		p.SKUs = byProduct[p.ID]
		price, original, inStock := p.Offer()
		out = append(out, ProductSummary{ID: p.ID, CategoryID: p.CategoryID, Title: p.Title, Subtitle: p.Subtitle,
			MainImage: p.MainImage, Price: price, OriginalPrice: original, InStock: inStock, Sales: p.Sales,
			minPrice: p.MinPrice})
	}
	return out, nil
}

// gormProductDetail is ProductDetail as it was written with gorm. It returns an on-shelf product with the SKUs of its current
// spec grid (on sale or not) in id order; off-shelf and unknown products are
// ErrProductNotFound.
func (s *Service) gormProductDetail(ctx context.Context, id int64) (Product, error) {
	var ps []Product
	if err := s.db.Conn(ctx).Where("id = ? AND on_shelf = ?", id, true).Limit(1).Find(&ps).Error; err != nil {
		return Product{}, fmt.Errorf("product %d: %w", id, err)
	}
	if len(ps) == 0 {
		return Product{}, ErrProductNotFound.With("product_id", id)
	}
	p := ps[0]
	if err := s.db.Conn(ctx).Where("product_id = ?", id).Order("id").Find(&p.SKUs).Error; err != nil {
		return Product{}, fmt.Errorf("product %d skus: %w", id, err)
	}
	// SKUs kept only because orders reference them have no place in the
	// shopper's SKU picker.
	p.SKUs, _ = p.Grid()
	return p, nil
}
