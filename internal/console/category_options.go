package console

import (
	"context"
	"strings"

	"github.com/kaidian/kaidian/internal/catalog"
)

// categoryOption is a category in a <select>, indented under its parent.
type categoryOption struct {
	ID    int64
	Label string
}

// categoryRow is a category in the categories page's tree.
type categoryRow struct {
	catalog.Category
	Depth    int
	Indent   string // shows the depth: CSP forbids inline styles
	Products int64  // products directly in it
	Children int
}

// categoryOptions lists every category, depth first, for a <select>.
func (h *handlers) categoryOptions(ctx context.Context) ([]categoryOption, error) {
	tree, err := h.d.Catalog.Categories(ctx)
	if err != nil {
		return nil, err
	}
	var out []categoryOption
	for _, r := range flatten(tree, 0, nil) {
		out = append(out, categoryOption{ID: r.ID, Label: r.Indent + r.Name})
	}
	return out, nil
}

// flatten walks the tree depth first, as the page lists it.
func flatten(nodes []catalog.CategoryNode, depth int, counts map[int64]int64) []categoryRow {
	var out []categoryRow
	for _, n := range nodes {
		out = append(out, categoryRow{Category: n.Category, Depth: depth, Indent: strings.Repeat("— ", depth),
			Products: counts[n.ID], Children: len(n.Children)})
		out = append(out, flatten(n.Children, depth+1, counts)...)
	}
	return out
}
