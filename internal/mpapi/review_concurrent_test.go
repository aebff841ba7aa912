package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// TestTheSameLineReviewedAtOnceKeepsOneReview: eight requests for one line
// at the same moment make one review; the rest are told it exists.
func TestTheSameLineReviewedAtOnceKeepsOneReview(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t)
	tok, no, lines := receivedOrder(t, e, "alice", "爱丽丝", p.SKUs[0].ID)
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.Post("/api/v1/orders/"+no+"/reviews", tok, map[string]any{"reviews": []map[string]any{
				{"order_item_id": lines[0], "rating": 1 + i%5, "text": fmt.Sprintf("第 %d 次", i)}}}).Status
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
		default:
			t.Fatalf("statuses %v", statuses)
		}
	}
	if created != 1 || reviewCount(t, e) != 1 {
		t.Fatalf("%d created, %d stored; statuses %v", created, reviewCount(t, e), statuses)
	}
	if s := readReviews(t, e, fmt.Sprintf("/api/v1/products/%d/reviews", p.ID)).Summary; s.Count != 1 {
		t.Fatalf("summary counts %d reviews", s.Count)
	}
}

// TestAggregatesEqualTheVisibleReviewsAfterConcurrentChanges: shoppers
// review one product at once while the merchant hides and shows reviews;
// the aggregates then equal what the visible reviews add up to.
func TestAggregatesEqualTheVisibleReviewsAfterConcurrentChanges(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 100}, apptest.SKU{Price: 2000, Stock: 100})
	const shoppers = 10
	type order struct {
		tok, no string
		lines   []int64
	}
	orders := make([]order, shoppers)
	for i := range orders {
		tok, no, lines := receivedOrder(t, e, fmt.Sprintf("s%d", i), "顾客", p.SKUs[0].ID, p.SKUs[1].ID)
		orders[i] = order{tok, no, lines}
	}
	var wg sync.WaitGroup
	for i, o := range orders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.Post("/api/v1/orders/"+o.no+"/reviews", o.tok, map[string]any{"reviews": []map[string]any{
				{"order_item_id": o.lines[0], "rating": 1 + i%5, "text": "好"}, {"order_item_id": o.lines[1], "rating": 5 - i%5}}})
			if r.Status != http.StatusCreated {
				t.Errorf("review %d: %d %s", i, r.Status, r.Body)
				return
			}
			var mine myReviews
			r.Decode(t, &mine)
			// The merchant hides one at once, and a colleague shows it again.
			ctx := context.Background()
			if i%2 == 0 {
				if err := e.App.Reviews.Hide(ctx, "merchant:1", mine.Items[0].ID); err != nil {
					t.Errorf("hide: %v", err)
				}
				if i%4 == 0 {
					if err := e.App.Reviews.Unhide(ctx, "merchant:2", mine.Items[0].ID); err != nil {
						t.Errorf("unhide: %v", err)
					}
				}
			}
		}()
	}
	wg.Wait()
	var want, got struct{ Count, Sum, Good, Bad, Photos int64 }
	db := e.App.DB.Conn(context.Background())
	if err := db.Raw(`SELECT COUNT(*) AS count, COALESCE(SUM(rating), 0) AS sum, COALESCE(SUM(CASE WHEN rating >= 4 THEN 1 ELSE 0 END), 0) AS good,
		COALESCE(SUM(CASE WHEN rating <= 2 THEN 1 ELSE 0 END), 0) AS bad, COALESCE(SUM(CASE WHEN has_photos THEN 1 ELSE 0 END), 0) AS photos
		FROM reviews WHERE product_id = ? AND status = 'visible'`, p.ID).Scan(&want).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Raw(`SELECT review_count AS count, rating_sum AS sum, good_count AS good, bad_count AS bad, photo_count AS photos
		FROM review_stats WHERE product_id = ?`, p.ID).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	// 20 reviews, 5 hidden, 3 of them shown again: 18 visible.
	if got != want || want.Count != 2*shoppers-2 {
		t.Fatalf("aggregates %+v, visible reviews add up to %+v", got, want)
	}
}
