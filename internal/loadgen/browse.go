package loadgen

import (
	"context"
	"math/rand/v2"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// browse reads the catalog as shoppers scrolling the mini program do: half
// product lists (the first page, a category's page, a second page through a
// real cursor), half product details over the shop's real ids. Browsing
// needs no login, so no shoppers are set up; requests go round-robin over
// the targets.
func (l *load) browse(ctx context.Context, r *Report) error {
	cat, err := l.discover(ctx, 0)
	if err != nil {
		return err
	}
	r.Shoppers = 0
	r.note("%d products, %d categories", len(cat.productIDs), len(cat.categoryIDs))
	rec := newRecorder()
	b := l.newBudget()
	var seq atomic.Int64
	start := time.Now()
	workers(l.o.Concurrency, func(int) {
		for ctx.Err() == nil && b.take(1) {
			i := seq.Add(1)
			base := l.target(int(i)) + "/api/v1/products"
			step, u := "detail", ""
			switch i % 8 {
			case 1:
				step, u = "list", base+"?limit=20"
			case 3:
				step, u = "list_category", base+"?limit=20&category_id="+strconv.FormatInt(pick(cat.categoryIDs), 10)
			case 5:
				step, u = "list_cursor", base+"?limit=20&cursor="+url.QueryEscape(cat.secondPage)
			default:
				u = base + "/" + strconv.FormatInt(pick(cat.productIDs), 10)
			}
			rec.add(step, l.cl.do(ctx, "GET", u, "", nil, false))
		}
	})
	r.finish(rec, time.Since(start), "list", "list_category", "list_cursor", "detail")
	r.check("browse answered 200", r.Total.Count > 0 && len(r.Total.Answers) == 0,
		"%d requests, %d not 200 %v", r.Total.Count, sum(r.Total.Answers), r.Total.Answers)
	return nil
}

// pick is a random element (0 for an empty list: the shop then answers 404,
// which the checks report).
func pick(ids []int64) int64 {
	if len(ids) == 0 {
		return 0
	}
	return ids[rand.IntN(len(ids))]
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}
