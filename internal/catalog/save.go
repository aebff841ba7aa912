package catalog

import "context"

// SaveProduct stores the merchant's product form: id 0 creates the product,
// any other id replaces that product's fields and SKU grid (CreateProduct,
// UpdateProduct).
func (s *Service) SaveProduct(ctx context.Context, id int64, np NewProduct, actor string) (Product, error) {
	if id == 0 {
		return s.CreateProduct(ctx, np, actor)
	}
	return s.UpdateProduct(ctx, id, np, actor)
}
