package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// pagesSteps are the kinds of request pages makes, in the order of its mix.
var pagesSteps = []string{"home", "me", "search_hot", "search_suggest", "search", "reviews", "favorites", "footprints"}

// pagesTarget is the latency the shopper's everyday pages must keep at
// their 99th percentile, reported beside each step.
const pagesTarget = 20 * time.Millisecond

// pages loads the pages a shopper opens every day besides the catalog: the
// home page, "me", search (hot words, suggestions, a sorted search),
// a product's reviews, and the shopper's favourites and footprints. Each
// shopper first favourites and views a few products, so their own lists are
// not empty; a shop seeded with reviews and footprints (kaidian seed) makes
// the tables as large as a busy shop's. Run it with -rate to hold a fixed
// request rate and read the percentiles beside the target.
func (l *load) pages(ctx context.Context, r *Report) error {
	cat, err := l.discover(ctx, 0)
	if err != nil {
		return err
	}
	if len(cat.productIDs) == 0 {
		return fmt.Errorf("the shop has no products on sale: seed some first (kaidian seed -products N)")
	}
	shoppers, err := l.login(ctx, l.o.Shoppers)
	if err != nil {
		return err
	}
	if err := l.warmShoppers(ctx, shoppers, cat); err != nil {
		return err
	}
	r.note("%d products, %d shoppers with favourites and footprints", len(cat.productIDs), len(shoppers))
	rec := newRecorder()
	b := l.newBudget()
	cpu := l.meterCPU(ctx)
	start := time.Now()
	l.drive(ctx, b, rec, func(i int64) (string, answer) {
		s := shoppers[int(i)%len(shoppers)]
		step := l.o.PagesStep
		if step == "" {
			step = pagesSteps[int(i)%len(pagesSteps)]
		}
		var u, token string
		switch step {
		case "home":
			u = s.api("/home")
		case "me":
			u, token = s.api("/me"), s.token
		case "search_hot":
			u = s.api("/search/hot")
		case "search_suggest":
			u = s.api("/search/suggest?q=" + url.QueryEscape(searchTerm(cat.titles)))
		case "search":
			sorts := [...]string{"sales", "price_asc", "newest", "default"}
			u = s.api("/products?limit=20&sort=" + sorts[rand.IntN(len(sorts))] + "&q=" + url.QueryEscape(searchTerm(cat.titles)))
		case "reviews":
			filters := [...]string{"all", "with_photos", "good", "bad"}
			u = s.api("/products/" + strconv.FormatInt(pick(cat.productIDs), 10) + "/reviews?filter=" + filters[rand.IntN(len(filters))])
		case "favorites":
			u, token = s.api("/me/favorites"), s.token
		case "footprints":
			u, token = s.api("/me/footprints"), s.token
		}
		return step, l.cl.do(ctx, "GET", u, token, nil, false)
	})
	r.finish(rec, time.Since(start), pagesSteps...)
	cpu.report(ctx, r, "request", r.Total.Count)
	r.check("pages answered 200", r.Total.Count > 0 && len(r.Total.Answers) == 0,
		"%d requests, %d not 200 %v", r.Total.Count, sum(r.Total.Answers), r.Total.Answers)
	for _, st := range r.Steps {
		within := "within"
		if time.Duration(st.Latency.P99*float64(time.Millisecond)) >= pagesTarget {
			within = "NOT within"
		}
		r.note("%s: p99 %.1f ms, %s the %v target", st.Name, st.Latency.P99, within, pagesTarget)
	}
	return nil
}

// warmShoppers has each shopper favourite and view a few products, as
// setup: favourites answer at once; views reach the footprints when the
// shop's recorder flushes, which the short wait after covers.
func (l *load) warmShoppers(ctx context.Context, shoppers []*shopper, cat *shopCatalog) error {
	err := l.each(ctx, shoppers, func(s *shopper) error {
		for range 5 {
			id := strconv.FormatInt(pick(cat.productIDs), 10)
			if err := l.cl.call(ctx, "PUT", s.api("/me/favorites/"+id), s.token, nil, nil); err != nil {
				return fmt.Errorf("favourite product %s: %w", id, err)
			}
			if err := l.cl.call(ctx, "GET", s.api("/products/"+id), s.token, nil, nil); err != nil {
				return fmt.Errorf("view product %s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return sleep(ctx, 2*time.Second)
}

// each runs fn for every shopper, a few at once, and answers the first
// error.
func (l *load) each(ctx context.Context, shoppers []*shopper, fn func(s *shopper) error) error {
	var next atomic.Int64
	var mu sync.Mutex
	var first error
	workers(min(l.o.Concurrency, len(shoppers), 32), func(int) {
		for i := int(next.Add(1) - 1); i < len(shoppers) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
			if err := fn(shoppers[i]); err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("set up shopper %s: %w", shoppers[i].name, err)
				}
				mu.Unlock()
				return
			}
		}
	})
	return first
}
