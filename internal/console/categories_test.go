package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

func TestCategoriesPage(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	ctx := context.Background()
	c.Get("/console/categories")
	if p := c.Post("/console/categories", url.Values{"name": {" "}, "sort_order": {"3"}}); p.Status != http.StatusBadRequest ||
		!p.Has("须为 1 到 30 个字") || !p.Has(`value="3"`) {
		t.Fatalf("blank name: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/categories", url.Values{"name": {"服饰"}, "sort_order": {"2"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", p.Status, p.Body)
	}
	c.Post("/console/categories", url.Values{"name": {"数码"}, "sort_order": {"1"}})
	tree, _ := e.App.Catalog.Categories(ctx)
	if len(tree) != 2 || tree[0].Name != "数码" {
		t.Fatalf("tree %+v", tree)
	}
	clothes := tree[1].ID
	if p := c.Post("/console/categories", url.Values{"name": {"T恤"}, "parent_id": {fmt.Sprint(clothes)}}); p.Status != http.StatusSeeOther {
		t.Fatalf("add a child: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/categories", url.Values{"name": {"孤儿"}, "parent_id": {"424242"}}); p.Status != http.StatusNotFound {
		t.Fatalf("unknown parent: %d", p.Status)
	}

	// Rename and move first, from the row's own form.
	p := c.Get("/console/categories")
	if !p.Has("— T恤") {
		t.Fatalf("child not indented under its parent: %s", p.Body)
	}
	if p := c.Post(fmt.Sprintf("/console/categories/%d", clothes), url.Values{"name": {"服装"}, "sort_order": {"0"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("rename: %d %s", p.Status, p.Body)
	}
	if p := c.Post(fmt.Sprintf("/console/categories/%d", clothes), url.Values{"name": {"服装"}, "sort_order": {"first"}}); p.Status != http.StatusBadRequest || !p.Has(says("console.sort_order")) {
		t.Fatalf("bad order: %d %s", p.Status, p.Body)
	}
	tree, _ = e.App.Catalog.Categories(ctx)
	if tree[0].Name != "服装" || len(tree[0].Children) != 1 {
		t.Fatalf("after rename %+v", tree)
	}

	// Deleting a category that is not empty says why, and keeps it.
	tee := tree[0].Children[0].ID
	e.ProductIn(t, tee, "纯棉T恤")
	for id, want := range map[int64]string{clothes: "还有 0 个商品、1 个子分类", tee: says("catalog.category_has_items", "products", 1, "children", 0)} {
		p := c.Post(fmt.Sprintf("/console/categories/%d/delete", id), nil)
		if p.Status != http.StatusConflict || !p.Has(want) {
			t.Errorf("delete %d: %d, want %q in %s", id, p.Status, want, p.Body)
		}
	}
	if p := c.Post(fmt.Sprintf("/console/categories/%d/delete", tree[1].ID), nil); p.Status != http.StatusSeeOther {
		t.Fatalf("delete an empty category: %d %s", p.Status, p.Body)
	}
	if tree, _ = e.App.Catalog.Categories(ctx); len(tree) != 1 || tree[0].Name != "服装" {
		t.Fatalf("after delete %+v", tree)
	}
	if p := c.Get("/console/categories"); !p.Has(fmt.Sprintf(`href="/console/products?category_id=%d"`, tee)) {
		t.Fatalf("product count does not link to the list: %s", p.Body)
	}
}
