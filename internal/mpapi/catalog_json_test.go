package mpapi

import (
	"encoding/json"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/database"
)

// The response types the catalog answers were encoded from with c.JSON
// before they were written by hand: the reference the appenders must match
// byte for byte.

type productSummaryJSON struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	Subtitle      string `json:"subtitle"`
	MainImage     string `json:"main_image"`
	CategoryID    int64  `json:"category_id"`
	Price         int64  `json:"price"`
	OriginalPrice int64  `json:"original_price"`
	InStock       bool   `json:"in_stock"`
	Sales         int64  `json:"sales"`
}

type specDimJSON struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

type skuJSON struct {
	ID            int64    `json:"id"`
	Code          string   `json:"code"`
	SpecValues    []string `json:"spec_values"`
	SpecText      string   `json:"spec_text"`
	Image         string   `json:"image"`
	Price         int64    `json:"price"`
	OriginalPrice int64    `json:"original_price"`
	Stock         int64    `json:"stock"`
	Available     bool     `json:"available"`
}

type productDetailJSON struct {
	ID            int64         `json:"id"`
	Title         string        `json:"title"`
	Subtitle      string        `json:"subtitle"`
	Description   string        `json:"description"`
	CategoryID    int64         `json:"category_id"`
	MainImage     string        `json:"main_image"`
	Images        []string      `json:"images"`
	SpecDims      []specDimJSON `json:"spec_dims"`
	Price         int64         `json:"price"`
	OriginalPrice int64         `json:"original_price"`
	InStock       bool          `json:"in_stock"`
	Sales         int64         `json:"sales"`
	SKUs          []skuJSON     `json:"skus"`
}

func productDetail(p catalog.Product) productDetailJSON {
	price, original, inStock := p.Offer()
	out := productDetailJSON{
		ID: p.ID, Title: p.Title, Subtitle: p.Subtitle, Description: p.Description, CategoryID: p.CategoryID,
		MainImage: p.MainImage, Images: nonNil(p.Images.V), SpecDims: make([]specDimJSON, len(p.SpecDims.V)),
		Price: price, OriginalPrice: original, InStock: inStock, Sales: p.Sales, SKUs: make([]skuJSON, len(p.SKUs)),
	}
	for i, d := range p.SpecDims.V {
		out.SpecDims[i] = specDimJSON{Name: d.Name, Values: nonNil(d.Values)}
	}
	for i, k := range p.SKUs {
		out.SKUs[i] = skuJSON{ID: k.ID, Code: k.Code, SpecValues: nonNil(k.SpecValues.V), SpecText: k.SpecText,
			Image: k.Image, Price: k.Price, OriginalPrice: k.OriginalPrice, Stock: k.Stock, Available: k.Available()}
	}
	return out
}

// nonNil keeps empty lists as [] in JSON; the mini program iterates them without null checks.
func nonNil(vs []string) []string {
	if vs == nil {
		return []string{}
	}
	return vs
}

// TestCatalogJSONLikeEncodingJSON writes lists and details with the
// appenders and with encoding/json, over values that exercise every
// field: empty and nil lists, escapes, Chinese, a SKU unavailable, an
// offer from a tie.
func TestCatalogJSONLikeEncodingJSON(t *testing.T) {
	summaries := []catalog.ProductSummary{
		{ID: 1, CategoryID: 2, Title: "纯棉T恤 <新>", Subtitle: `"好" & \ 软`, MainImage: "/uploads/a.jpg", Price: 5900, OriginalPrice: 9900, InStock: true, Sales: 12345},
		{ID: 9007199254740993, Title: "tab\there\n", Price: 0},
	}
	for _, tc := range []struct {
		items []catalog.ProductSummary
		next  string
	}{{nil, ""}, {summaries[:1], ""}, {summaries, "azE6OQ"}} {
		want, _ := json.Marshal(list[productSummaryJSON]{Items: func() []productSummaryJSON {
			out := make([]productSummaryJSON, len(tc.items))
			for i, p := range tc.items {
				out[i] = productSummaryJSON{ID: p.ID, Title: p.Title, Subtitle: p.Subtitle, MainImage: p.MainImage,
					CategoryID: p.CategoryID, Price: p.Price, OriginalPrice: p.OriginalPrice, InStock: p.InStock, Sales: p.Sales}
			}
			return out
		}(), NextCursor: tc.next})
		if got := appendProductList(nil, tc.items, tc.next); string(got) != string(want) {
			t.Errorf("list:\n got %s\nwant %s", got, want)
		}
	}
	details := []catalog.Product{
		{ID: 3},
		{ID: 4, CategoryID: 5, Title: "T恤", Subtitle: "sub", Description: "第一行\n<p>second</p>", MainImage: "m.jpg",
			Images:   database.JSON[[]string]{V: []string{"a.jpg", "b&c.jpg"}},
			SpecDims: database.JSON[[]catalog.SpecDim]{V: []catalog.SpecDim{{Name: "颜色", Values: []string{"白", "黑"}}, {Name: "空"}}},
			MinPrice: 4900, Sales: 77,
			SKUs: []catalog.SKU{
				{ID: 7, Code: "W-M", SpecValues: database.JSON[[]string]{V: []string{"白", "M"}}, SpecText: "颜色:白 尺码:M", Price: 5900, OriginalPrice: 9900, Stock: 10, OnSale: true},
				{ID: 8, Code: "B-M", SpecText: "x", Image: "k.jpg", Price: 4900, Stock: 3},
				{ID: 9, Code: "W-L", Price: 5900, OriginalPrice: 12000, OnSale: true},
			}},
	}
	for _, p := range details {
		want, _ := json.Marshal(productDetail(p))
		if got := appendProductDetail(nil, p); string(got) != string(want) {
			t.Errorf("detail:\n got %s\nwant %s", got, want)
		}
	}
}
