package review

import (
	"context"
	"encoding/json"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// Filter narrows a product's reviews.
type Filter string

// The product page's filters.
const (
	FilterAll        Filter = "all"
	FilterWithPhotos Filter = "with_photos"
	FilterGood       Filter = "good" // 4–5 stars
	FilterBad        Filter = "bad"  // 1–2 stars
)

// Shown is a visible review as the product page shows it: no shopper id,
// no order, only the masked name.
type Shown struct {
	ID          int64
	SKUText     string
	ShopperName string
	Anonymous   bool
	Rating      int64
	Content     string
	Photos      []string
	FollowUp    *ShownFollowUp
	Reply       string
	RepliedAt   *time.Time
	CreatedAt   time.Time
}

// ShownFollowUp is a visible follow-up.
type ShownFollowUp struct {
	Content string
	Photos  []string
	At      time.Time
}

// Each filter is one statement, written out so each matches its partial
// index (reviews_product_visible, _photos, _grade) and never builds SQL from input.
const (
	summarySQL = "SELECT review_count, rating_sum, good_count, bad_count, photo_count FROM review_stats WHERE product_id = ?"
	shownCols  = "SELECT id, sku_text, shopper_name, anonymous, rating, content, photos, follow_up_status, follow_up_content, " +
		"follow_up_photos, follow_up_at, reply_content, replied_at, created_at FROM reviews "
	shownTail = " AND id < ? ORDER BY id DESC LIMIT ?"
)

var shownSQL = map[Filter]string{
	FilterAll:        shownCols + "WHERE product_id = ? AND status = 'visible'" + shownTail,
	FilterWithPhotos: shownCols + "WHERE product_id = ? AND status = 'visible' AND has_photos = TRUE" + shownTail,
	FilterGood:       shownCols + "WHERE product_id = ? AND status = 'visible' AND grade = 1" + shownTail,
	FilterBad:        shownCols + "WHERE product_id = ? AND status = 'visible' AND grade = -1" + shownTail,
}

// maxID stands for "from the newest" in the id < ? bound.
const maxID = int64(1<<63 - 1)

// ForProduct is a page of a product's visible reviews, latest first, with
// the product's summary: two statements sent together, the summary one row
// of review_stats. An unknown product simply has none.
func (s *Service) ForProduct(ctx context.Context, productID int64, f Filter, pg page.Request) (Summary, []Shown, string, error) {
	if f == "" {
		f = FilterAll
	}
	q, ok := shownSQL[f]
	if !ok {
		return Summary{}, nil, "", errs.Field("filter", "review.filter")
	}
	after := pg.After
	if after == 0 {
		after = maxID
	}
	var sum Summary
	var shown []Shown
	err := s.db.Read(ctx, []database.Query{{SQL: summarySQL, Args: []any{productID}}, {SQL: q, Args: []any{productID, after, pg.Limit + 1}}},
		func(rows database.Rows) error {
			for rows.Next() {
				if err := rows.Scan(&sum.Count, &sum.RatingSum, &sum.Good, &sum.Bad, &sum.WithPhotos); err != nil {
					return err
				}
			}
			return nil
		},
		func(rows database.Rows) error {
			for rows.Next() {
				r, err := scanShown(rows)
				if err != nil {
					return err
				}
				shown = append(shown, r)
			}
			return nil
		})
	if err != nil {
		return Summary{}, nil, "", err
	}
	shown, next := page.Trim(shown, pg, func(r Shown) int64 { return r.ID })
	return sum, shown, next, nil
}

func scanShown(rows database.Rows) (Shown, error) {
	var r Shown
	var photos, fuStatus, fuContent, fuPhotos string
	var fuAt, repliedAt *time.Time
	if err := rows.Scan(&r.ID, &r.SKUText, &r.ShopperName, &r.Anonymous, &r.Rating, &r.Content, &photos, &fuStatus,
		&fuContent, &fuPhotos, &fuAt, &r.Reply, &repliedAt, &r.CreatedAt); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(photos), &r.Photos); err != nil {
		return r, err
	}
	if Status(fuStatus) == StatusVisible && fuAt != nil {
		fu := &ShownFollowUp{Content: fuContent, At: fuAt.UTC()}
		if err := json.Unmarshal([]byte(fuPhotos), &fu.Photos); err != nil {
			return r, err
		}
		r.FollowUp = fu
	}
	if r.Reply != "" && repliedAt != nil {
		t := repliedAt.UTC()
		r.RepliedAt = &t
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, nil
}

// SummaryOf is a product's summary alone (the console's product page).
func (s *Service) SummaryOf(ctx context.Context, productID int64) (Summary, error) {
	var sum Summary
	err := s.db.Read(ctx, []database.Query{{SQL: summarySQL, Args: []any{productID}}}, func(rows database.Rows) error {
		for rows.Next() {
			if err := rows.Scan(&sum.Count, &sum.RatingSum, &sum.Good, &sum.Bad, &sum.WithPhotos); err != nil {
				return err
			}
		}
		return nil
	})
	return sum, err
}
