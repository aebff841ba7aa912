package catalog_test

import (
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

func TestCategoryRenameReorderDelete(t *testing.T) {
	f := newFixture(t)
	a := f.category(t, "A", nil)
	b := f.category(t, "B", nil)
	child := f.category(t, "A1", &a.ID)
	if _, err := f.cat.UpdateCategory(f.ctx, b.ID, " 饮品 ", -1); err != nil {
		t.Fatal(err)
	}
	tree, _ := f.cat.Categories(f.ctx)
	if len(tree) != 2 || tree[0].Name != "饮品" || tree[1].Name != "A" {
		t.Fatalf("after rename and reorder: %+v", tree)
	}
	if _, err := f.cat.UpdateCategory(f.ctx, b.ID, "", 0); !errs.Is(err, "invalid_field") {
		t.Fatalf("blank name: %v", err)
	}
	if _, err := f.cat.UpdateCategory(f.ctx, 987654, "X", 0); !errs.Is(err, "category_not_found") {
		t.Fatalf("unknown: %v", err)
	}

	f.product(t, child.ID, "杯子", 100, 1)
	err := f.cat.DeleteCategory(f.ctx, a.ID)
	if !errs.Is(err, "category_not_empty") || !strings.Contains(i18n.For(i18n.En).Error(err), "1 sub-category") ||
		!strings.Contains(i18n.For(i18n.ZhCN).Error(err), "1 个子分类") {
		t.Fatalf("delete a parent: %v", err)
	}
	err = f.cat.DeleteCategory(f.ctx, child.ID)
	if !errs.Is(err, "category_not_empty") || !strings.Contains(i18n.For(i18n.En).Error(err), "1 product and 0 sub-categories") ||
		!strings.Contains(i18n.For(i18n.ZhCN).Error(err), "还有 1 个商品") {
		t.Fatalf("delete a category with a product: %v", err)
	}
	counts, err := f.cat.CategoryProductCounts(f.ctx)
	if err != nil || counts[child.ID] != 1 || counts[a.ID] != 0 {
		t.Fatalf("counts = %v %v", counts, err)
	}
	if err := f.cat.DeleteCategory(f.ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.cat.DeleteCategory(f.ctx, b.ID); !errs.Is(err, "category_not_found") {
		t.Fatalf("delete twice: %v", err)
	}
	if tree, _ := f.cat.Categories(f.ctx); len(tree) != 1 {
		t.Fatalf("after delete: %+v", tree)
	}
}
