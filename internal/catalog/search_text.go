package catalog

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/kaidian/kaidian/internal/database"
)

// SearchText is s as searches compare it: NFKC folds full-width letters,
// digits and spaces into their ASCII forms (Ｔ恤 → T恤) and compatibility
// characters into plain ones, then case is folded (T恤 → t恤). Titles are
// stored this way in products.search_text and queries are normalised the
// same way, so matching is a plain substring test on both databases.
func SearchText(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

// searchPattern is the LIKE pattern that finds q anywhere in a search
// text: normalised, its wildcards escaped (ESCAPE '\').
func searchPattern(q string) string {
	return "%" + escapeLike(SearchText(q)) + "%"
}

// likeSearchText is the search condition, its pattern bound (from
// searchPattern). PostgreSQL's LIKE escapes with a backslash by default,
// and an explicit ESCAPE there becomes like_escape(pattern), which a
// prepared statement's generic plan evaluates again for every row it
// reads; SQLite's LIKE has no escape character unless told.
func likeSearchText(d database.Dialect) string {
	if d == database.Postgres {
		return "search_text LIKE ?"
	}
	return `search_text LIKE ? ESCAPE '\'`
}

// RefreshSearchText rewrites the search text of every product whose stored
// one is not its title's normalisation: rows the migration filled with
// LOWER(title), and rows written straight into the table (bulk seeds). It
// reads ids and titles only, and writes only the rows that differ; the
// hourly maintenance runs it, at start too.
func (s *Service) RefreshSearchText(ctx context.Context) error {
	var rows []struct {
		ID         int64  `gorm:"column:id"`
		Title      string `gorm:"column:title"`
		SearchText string `gorm:"column:search_text"`
	}
	if err := s.db.Conn(ctx).Table("products").Select("id, title, search_text").Find(&rows).Error; err != nil {
		return fmt.Errorf("search text: %w", err)
	}
	for _, r := range rows {
		want := SearchText(r.Title)
		if want == r.SearchText {
			continue
		}
		// Guarded by the title read, so a rename in between is not undone.
		err := s.db.Conn(ctx).Exec("UPDATE products SET search_text = ? WHERE id = ? AND title = ?",
			want, r.ID, r.Title).Error
		if err != nil {
			return fmt.Errorf("search text of product %d: %w", r.ID, err)
		}
	}
	return nil
}

// RefreshSales copies each product's units sold (the sum of its SKUs'
// sold: paid units minus units refunded back to stock) into products.sales,
// where the "best sellers" sort reads it, writing only the rows that
// changed. A periodic job runs it, so payment and refund transactions
// write nothing more than they did and never lock a product row.
func (s *Service) RefreshSales(ctx context.Context) (int64, error) {
	res := s.db.Conn(ctx).Exec(`UPDATE products SET sales = t.sold
		FROM (SELECT product_id, SUM(sold) AS sold FROM skus GROUP BY product_id) t
		WHERE products.id = t.product_id AND products.sales <> t.sold`)
	if res.Error != nil {
		return 0, fmt.Errorf("refresh sales: %w", res.Error)
	}
	return res.RowsAffected, nil
}
