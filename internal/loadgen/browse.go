package loadgen

import (
	"context"
	"math/rand/v2"
	"net/url"
	"strconv"
	"time"
)

// browseSteps are the kinds of request browse makes, in the order of its mix.
var browseSteps = []string{"list", "list_category", "list_cursor", "list_search", "detail"}

// browse reads the catalog as shoppers scrolling the mini program do:
// half product lists (the first page, a category's page, a second page
// through a real cursor, a search for a piece of a real title), half
// product details over the shop's real ids; -browse-step keeps one kind.
// The searches and the details spread over many keys, so with a catalog
// cache most of them miss it, as on a large shop. Browsing needs no
// login, so no shoppers are set up unless -browse-login asks for them (to
// measure footprint recording); requests go round-robin over the targets.
func (l *load) browse(ctx context.Context, r *Report) error {
	cat, err := l.discover(ctx, 0)
	if err != nil {
		return err
	}
	var tokens []string
	if l.o.BrowseLogin {
		shoppers, err := l.login(ctx, l.o.Shoppers)
		if err != nil {
			return err
		}
		for _, s := range shoppers {
			tokens = append(tokens, s.token)
		}
	}
	r.Shoppers = len(tokens)
	r.note("%d products, %d categories, %d shoppers logged in", len(cat.productIDs), len(cat.categoryIDs), len(tokens))
	rec := newRecorder()
	b := l.newBudget()
	cpu := l.meterCPU(ctx)
	start := time.Now()
	l.drive(ctx, b, rec, func(i int64) (string, answer) {
		base := l.target(int(i)) + "/api/v1/products"
		step := l.o.BrowseStep
		if step == "" {
			step = [8]string{"detail", "list", "detail", "list_category", "detail", "list_cursor", "list_search", "detail"}[i%8]
		}
		u := base + "/" + strconv.FormatInt(pick(cat.productIDs), 10)
		switch step {
		case "list":
			u = base + "?limit=20"
		case "list_category":
			u = base + "?limit=20&category_id=" + strconv.FormatInt(pick(cat.categoryIDs), 10)
		case "list_cursor":
			u = base + "?limit=20&cursor=" + url.QueryEscape(cat.secondPage)
		case "list_search":
			u = base + "?limit=20&q=" + url.QueryEscape(searchTerm(cat.titles))
		}
		token := ""
		if len(tokens) > 0 {
			token = tokens[int(i)%len(tokens)]
		}
		return step, l.cl.do(ctx, "GET", u, token, nil, false)
	})
	r.finish(rec, time.Since(start), browseSteps...)
	cpu.report(ctx, r, "request", r.Total.Count)
	r.check("browse answered 200", r.Total.Count > 0 && len(r.Total.Answers) == 0,
		"%d requests, %d not 200 %v", r.Total.Count, sum(r.Total.Answers), r.Total.Answers)
	return nil
}

// searchTerm is what a shopper might type: two to four characters from
// somewhere in a real product title.
func searchTerm(titles []string) string {
	if len(titles) == 0 {
		return "a"
	}
	t := []rune(titles[rand.IntN(len(titles))])
	n := min(len(t), 2+rand.IntN(3))
	from := rand.IntN(len(t) - n + 1)
	return string(t[from : from+n])
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
