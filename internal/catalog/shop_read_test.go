package catalog_test

import (
	"io"
	"log/slog"
	"reflect"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/seed"
)

// readFixture is a shop for comparing the hand-written reads with the gorm
// ones: the demo shop (nested categories, spec grids, images), 250 bulk
// products (every seventh off shelf) and the odd cases a list must get
// right — titles with LIKE's special characters, a product with no SKU on
// sale, one whose cheapest SKUs tie on price, one with a SKU retired from
// its grid, one with no stock anywhere.
func readFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	if err := seed.Demo(f.ctx, f.cat, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if err := seed.Bulk(f.ctx, f.db, seed.Sizes{Products: 250}); err != nil {
		t.Fatal(err)
	}
	odd := f.category(t, "杂货", nil)
	for _, title := range []string{"100% Cotton Tee", "snake_case mug", `back\slash`, "纯棉T恤 COTTON"} {
		f.product(t, odd.ID, title, 990, 3)
	}
	offSale := f.product(t, odd.ID, "all off sale", 500, 5)
	tie := f.product(t, odd.ID, "tie", 700, 0)
	retired, err := f.cat.CreateProduct(f.ctx, tee(odd.ID), "test")
	if err != nil {
		t.Fatal(err)
	}
	conn := f.db.Conn(f.ctx)
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE skus SET on_sale = ? WHERE product_id = ?", []any{false, offSale.ID}},
		{"INSERT INTO skus (product_id, code, price, original_price, stock, on_sale, created_at, updated_at) " +
			"SELECT product_id, 'TIE-2', price, 1200, 4, on_sale, created_at, updated_at FROM skus WHERE product_id = ?", []any{tie.ID}},
		{`UPDATE products SET spec_dims = '[{"name":"颜色","values":["白"]},{"name":"尺码","values":["M","L"]}]' WHERE id = ?`, []any{retired.ID}},
		{"UPDATE skus SET stock = 0 WHERE product_id IN (SELECT id FROM products WHERE title LIKE '%00042%')", nil},
	} {
		if err := conn.Exec(stmt.sql, stmt.args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// TestListProductsSameAsGorm walks every page of every filter combination
// (categories at each level, unknown ones, searches with and without
// matches and with LIKE's special characters, several page sizes) through
// the hand-written list and the gorm one, and wants the same pages and
// cursors.
func TestListProductsSameAsGorm(t *testing.T) {
	f := readFixture(t)
	var categories []int64
	f.db.Conn(f.ctx).Table("categories").Order("id").Pluck("id", &categories)
	categories = append([]int64{0}, append(categories, 987654)...)
	compared := 0
	for _, category := range categories {
		for _, q := range []string{"", "商品 00", " t恤 ", "%", "_", `\`, "COTTON", "没有这个"} {
			for _, limit := range []int{7, 20, 100} {
				pr := page.Request{Limit: limit}
				for pages := 0; ; pages++ {
					query := catalog.ProductQuery{CategoryID: category, Q: q, Page: pr}
					got, next, err := f.cat.ListProducts(f.ctx, query)
					want, wantNext, wantErr := catalog.GormListProducts(f.cat, f.ctx, query)
					if err != nil || wantErr != nil {
						t.Fatalf("%+v: %v / gorm %v", query, err, wantErr)
					}
					if !reflect.DeepEqual(got, want) || next != wantNext {
						t.Fatalf("%+v:\n got %+v %q\nwant %+v %q", query, got, next, want, wantNext)
					}
					compared += len(got)
					if next == "" {
						break
					}
					if pr, err = page.Parse(next, ""); err != nil {
						t.Fatal(err)
					}
					pr.Limit = limit
				}
			}
		}
	}
	if compared < 1000 {
		t.Fatalf("only %d items compared", compared)
	}
}

// TestProductDetailSameAsGorm reads every product (on shelf or not, and
// ids that do not exist) through both.
func TestProductDetailSameAsGorm(t *testing.T) {
	f := readFixture(t)
	var ids []int64
	f.db.Conn(f.ctx).Table("products").Order("id").Pluck("id", &ids)
	ids = append(ids, 0, -1, ids[len(ids)-1]+1)
	found := 0
	for _, id := range ids {
		got, err := f.cat.ProductDetail(f.ctx, id)
		want, wantErr := catalog.GormProductDetail(f.cat, f.ctx, id)
		if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("product %d: %v, gorm %v", id, err, wantErr)
		}
		if err != nil {
			continue
		}
		found++
		// The shopper's detail reads no timestamps, nor what orders hold,
		// nor the search text.
		want.CreatedAt, want.UpdatedAt, want.SearchText = got.CreatedAt, got.UpdatedAt, got.SearchText
		for i := range want.SKUs {
			want.SKUs[i].CreatedAt, want.SKUs[i].UpdatedAt = got.SKUs[i].CreatedAt, got.SKUs[i].UpdatedAt
			want.SKUs[i].Reserved, want.SKUs[i].Sold = got.SKUs[i].Reserved, got.SKUs[i].Sold
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("product %d:\n got %+v\nwant %+v", id, got, want)
		}
	}
	if found < 200 {
		t.Fatalf("only %d products found", found)
	}
}

// TestShopReadsConcurrent runs lists and details from many goroutines at
// once (on SQLite they share the one connection and its prepared
// statements; on PostgreSQL the pool), each checking its answer against
// the gorm one read before.
func TestShopReadsConcurrent(t *testing.T) {
	f := readFixture(t)
	firstPage, _, err := catalog.GormListProducts(f.cat, f.ctx, catalog.ProductQuery{Page: page.Request{Limit: 20}})
	if err != nil {
		t.Fatal(err)
	}
	detail, err := catalog.GormProductDetail(f.cat, f.ctx, firstPage[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for range 30 {
				if g%2 == 0 {
					got, _, err := f.cat.ListProducts(f.ctx, catalog.ProductQuery{Page: page.Request{Limit: 20}})
					if err != nil || !reflect.DeepEqual(got, firstPage) {
						t.Errorf("list: %v", err)
						return
					}
				} else {
					got, err := f.cat.ProductDetail(f.ctx, detail.ID)
					if err != nil || got.Title != detail.Title || len(got.SKUs) != len(detail.SKUs) {
						t.Errorf("detail: %v", err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
