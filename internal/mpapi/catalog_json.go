package mpapi

import (
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/httpx"
)

// The product list and detail are written by hand rather than through
// c.JSON: with the catalog cache off (or missing, as on a shop of
// thousands of products searched many ways) they are the answers served
// most, and reflection was a fifth of their CPU. The bytes are exactly what
// encoding/json wrote for the ProductSummary and ProductDetail schemas of
// api/openapi.yaml, field for field in the same order (catalog_json_test.go
// compares them).

// appendProductList appends {"items": [ProductSummary…], "next_cursor": "…"}.
func appendProductList(b []byte, items []catalog.ProductSummary, next string) []byte {
	b = append(b, `{"items":[`...)
	for i, p := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = httpx.AppendJSONInt(b, p.ID)
		b = httpx.AppendJSONString(httpx.AppendJSONField(b, "title", false), p.Title)
		b = httpx.AppendJSONString(httpx.AppendJSONField(b, "subtitle", false), p.Subtitle)
		b = httpx.AppendJSONString(httpx.AppendJSONField(b, "main_image", false), p.MainImage)
		b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "category_id", false), p.CategoryID)
		b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "price", false), p.Price)
		b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "original_price", false), p.OriginalPrice)
		b = httpx.AppendJSONBool(httpx.AppendJSONField(b, "in_stock", false), p.InStock)
		b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "sales", false), p.Sales)
		b = append(b, '}')
	}
	b = append(b, `],"next_cursor":`...)
	b = httpx.AppendJSONString(b, next)
	return append(b, '}')
}

// appendProductDetail appends the ProductDetail of p: its offer, its spec
// grid and the SKUs of that grid.
func appendProductDetail(b []byte, p catalog.Product) []byte {
	price, original, inStock := p.Offer()
	b = append(b, `{"id":`...)
	b = httpx.AppendJSONInt(b, p.ID)
	b = httpx.AppendJSONString(httpx.AppendJSONField(b, "title", false), p.Title)
	b = httpx.AppendJSONString(httpx.AppendJSONField(b, "subtitle", false), p.Subtitle)
	b = httpx.AppendJSONString(httpx.AppendJSONField(b, "description", false), p.Description)
	b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "category_id", false), p.CategoryID)
	b = httpx.AppendJSONString(httpx.AppendJSONField(b, "main_image", false), p.MainImage)
	b = httpx.AppendJSONStrings(httpx.AppendJSONField(b, "images", false), p.Images.V)
	b = append(httpx.AppendJSONField(b, "spec_dims", false), '[')
	for i, d := range p.SpecDims.V {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = httpx.AppendJSONString(b, d.Name)
		b = httpx.AppendJSONStrings(httpx.AppendJSONField(b, "values", false), d.Values)
		b = append(b, '}')
	}
	b = append(b, ']')
	b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "price", false), price)
	b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "original_price", false), original)
	b = httpx.AppendJSONBool(httpx.AppendJSONField(b, "in_stock", false), inStock)
	b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "sales", false), p.Sales)
	b = append(httpx.AppendJSONField(b, "skus", false), '[')
	for i, k := range p.SKUs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = httpx.AppendJSONInt(b, k.ID)
		b = httpx.AppendJSONString(httpx.AppendJSONField(b, "code", false), k.Code)
		b = httpx.AppendJSONStrings(httpx.AppendJSONField(b, "spec_values", false), k.SpecValues.V)
		b = httpx.AppendJSONString(httpx.AppendJSONField(b, "spec_text", false), k.SpecText)
		b = httpx.AppendJSONString(httpx.AppendJSONField(b, "image", false), k.Image)
		b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "price", false), k.Price)
		b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "original_price", false), k.OriginalPrice)
		b = httpx.AppendJSONInt(httpx.AppendJSONField(b, "stock", false), k.Stock)
		b = httpx.AppendJSONBool(httpx.AppendJSONField(b, "available", false), k.Available())
		b = append(b, '}')
	}
	return append(b, "]}"...)
}
