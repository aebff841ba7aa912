package report

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Funnel limits: the console's default period and the longest one.
const (
	FunnelDefaultDays = 7
	FunnelMaxDays     = 90
)

// FunnelStep is one source's numbers (on a day, or over the period).
//
//   - Visits: visits reported through the source (anonymous ones included).
//   - Visitors: logged-in shoppers who visited through it (访客数; a visit
//     before login cannot be told from another, so it counts as a visit
//     only). Over the period a shopper counts once per source.
//   - CartShoppers: shoppers who added to the cart while the source was
//     the one their order would have been credited to (the shop's rule at
//     that moment), once per day; over the period once per source.
//   - Orders: orders placed in the period credited to the source
//     (orders.source), by the day they were placed; PaidOrders those of
//     them paid (paid, shipped or completed now), PaidRevenue what they
//     paid, Refunds what was refunded of them, so the funnel reconciles
//     exactly with the orders list filtered by source and placing date.
type FunnelStep struct {
	Visits, Visitors, CartShoppers int64
	Orders, PaidOrders             int64
	PaidRevenue, Refunds           int64 // fen
}

// NetRevenue is what the paid orders kept: paid revenue less refunds.
func (f FunnelStep) NetRevenue() int64 { return f.PaidRevenue - f.Refunds }

// rate is n out of d in basis points (0 when d is 0).
func rate(n, d int64) int64 {
	if d == 0 {
		return 0
	}
	return n * 10000 / d
}

// CartRate is the share of visitors who added to the cart, in basis points.
func (f FunnelStep) CartRate() int64 { return rate(f.CartShoppers, f.Visitors) }

// OrderRate is orders per visitor, in basis points.
func (f FunnelStep) OrderRate() int64 { return rate(f.Orders, f.Visitors) }

// PayRate is the share of orders paid, in basis points.
func (f FunnelStep) PayRate() int64 { return rate(f.PaidOrders, f.Orders) }

// FunnelDay is one day of the funnel: every source's numbers and their sum.
type FunnelDay struct {
	Date     time.Time // midnight, China time
	Total    FunnelStep
	BySource map[string]FunnelStep
}

// FunnelSource is one source over the period.
type FunnelSource struct {
	Source string // "channel:AB12CD", "promoter:K7X2QD", "share:42", "unknown", "" direct
	Name   string // the channel's or promoter's name, when it is one
	FunnelStep
}

// Funnel is the funnel over a period: by source (largest first), by day,
// and in total.
type Funnel struct {
	From, To time.Time // the first day and the day after the last (midnight, China time)
	Sources  []FunnelSource
	Days     []FunnelDay
	Total    FunnelStep
}

// FunnelPeriod checks a period of days [from, to] (inclusive, the shop's
// days, "YYYY-MM-DD"; empty: the last FunnelDefaultDays days to today) and
// returns it as midnights [From, To).
func (s *Service) FunnelPeriod(from, to string) (time.Time, time.Time, error) {
	today := midnight(s.clock.Now())
	end := today
	if to != "" {
		d, err := time.ParseInLocation(time.DateOnly, to, clock.China)
		if err != nil {
			return time.Time{}, time.Time{}, errs.Field("to", "console.date")
		}
		end = d
	}
	start := end.AddDate(0, 0, -(FunnelDefaultDays - 1))
	if from != "" {
		d, err := time.ParseInLocation(time.DateOnly, from, clock.China)
		if err != nil {
			return time.Time{}, time.Time{}, errs.Field("from", "console.date")
		}
		start = d
	}
	switch days := int(end.Sub(start).Hours()/24) + 1; {
	case days < 1:
		return time.Time{}, time.Time{}, errs.Field("to", "report.funnel_order")
	case days > FunnelMaxDays:
		return time.Time{}, time.Time{}, errs.Field("from", "report.funnel_days", "max", FunnelMaxDays)
	}
	return start, end.AddDate(0, 0, 1), nil
}

// Funnel computes the funnel for the days [from, to) (midnights, China
// time; see FunnelPeriod). Visits come from the daily counts the visit
// recorder keeps, visitors and cart shoppers from one row per shopper, day
// and source, orders from the orders table grouped by day in SQL: a
// 90-day report reads rows in proportion to days × sources and to the
// period's orders, not to its visits.
func (s *Service) Funnel(ctx context.Context, from, to time.Time) (Funnel, error) {
	f := Funnel{From: from, To: to}
	d0, d1 := from.Format(time.DateOnly), to.Format(time.DateOnly)
	days := map[string]*FunnelDay{}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		day := FunnelDay{Date: d, BySource: map[string]FunnelStep{}}
		f.Days = append(f.Days, day)
	}
	for i := range f.Days {
		days[f.Days[i].Date.Format(time.DateOnly)] = &f.Days[i]
	}
	totals := map[string]*FunnelStep{}
	add := func(day, source string, fn func(*FunnelStep)) {
		if d, ok := days[day]; ok {
			st := d.BySource[source]
			fn(&st)
			d.BySource[source] = st
			fn(&d.Total)
		}
		if totals[source] == nil {
			totals[source] = &FunnelStep{}
		}
	}
	db := s.db.Conn(ctx)
	type count struct {
		Day    string `gorm:"column:day"`
		Source string `gorm:"column:source"`
		N      int64  `gorm:"column:n"`
	}
	var visits, visitors, carts []count
	if err := db.Raw("SELECT day, source, visits AS n FROM visits_daily WHERE day >= ? AND day < ?", d0, d1).Scan(&visits).Error; err != nil {
		return f, fmt.Errorf("funnel visits: %w", err)
	}
	perDay := "SELECT day, source, COUNT(*) AS n FROM funnel_shoppers WHERE step = ? AND day >= ? AND day < ? GROUP BY day, source"
	if err := db.Raw(perDay, "visit", d0, d1).Scan(&visitors).Error; err != nil {
		return f, fmt.Errorf("funnel visitors: %w", err)
	}
	if err := db.Raw(perDay, "cart", d0, d1).Scan(&carts).Error; err != nil {
		return f, fmt.Errorf("funnel carts: %w", err)
	}
	for _, c := range visits {
		add(c.Day, c.Source, func(st *FunnelStep) { st.Visits += c.N })
	}
	for _, c := range visitors {
		add(c.Day, c.Source, func(st *FunnelStep) { st.Visitors += c.N })
	}
	for _, c := range carts {
		add(c.Day, c.Source, func(st *FunnelStep) { st.CartShoppers += c.N })
	}
	orders, err := s.funnelOrders(ctx, from, to)
	if err != nil {
		return f, err
	}
	for _, o := range orders {
		add(o.Day, o.Source, func(st *FunnelStep) {
			st.Orders += o.Orders
			st.PaidOrders += o.PaidOrders
			st.PaidRevenue += o.PaidRevenue
			st.Refunds += o.Refunds
		})
	}
	// A shopper visiting on several days counts once over the period: the
	// period's visitors are counted distinct, not summed over days.
	if err := s.distinctShoppers(ctx, d0, d1, totals, &f.Total); err != nil {
		return f, err
	}
	for _, d := range f.Days {
		for src, st := range d.BySource {
			t := totals[src]
			t.Visits += st.Visits
			t.Orders += st.Orders
			t.PaidOrders += st.PaidOrders
			t.PaidRevenue += st.PaidRevenue
			t.Refunds += st.Refunds
		}
		f.Total.Visits += d.Total.Visits
		f.Total.Orders += d.Total.Orders
		f.Total.PaidOrders += d.Total.PaidOrders
		f.Total.PaidRevenue += d.Total.PaidRevenue
		f.Total.Refunds += d.Total.Refunds
	}
	names, err := s.sourceNames(ctx, totals)
	if err != nil {
		return f, err
	}
	for src, st := range totals {
		f.Sources = append(f.Sources, FunnelSource{Source: src, Name: names[src], FunnelStep: *st})
	}
	sort.Slice(f.Sources, func(i, j int) bool {
		a, b := f.Sources[i], f.Sources[j]
		if a.PaidRevenue != b.PaidRevenue {
			return a.PaidRevenue > b.PaidRevenue
		}
		if a.Visits != b.Visits {
			return a.Visits > b.Visits
		}
		return a.Source < b.Source
	})
	return f, nil
}

// distinctShoppers counts the period's visitors and cart shoppers once per
// source (into totals) and once overall (into total).
func (s *Service) distinctShoppers(ctx context.Context, d0, d1 string, totals map[string]*FunnelStep, total *FunnelStep) error {
	var rows []struct {
		Step   string `gorm:"column:step"`
		Source string `gorm:"column:source"`
		N      int64  `gorm:"column:n"`
	}
	err := s.db.Conn(ctx).Raw(`SELECT step, source, COUNT(DISTINCT shopper_id) AS n FROM funnel_shoppers
		WHERE step IN ('visit', 'cart') AND day >= ? AND day < ? GROUP BY step, source`, d0, d1).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("funnel shoppers: %w", err)
	}
	for _, r := range rows {
		t := totals[r.Source]
		if t == nil {
			continue // outside the days (cannot happen: same range)
		}
		if r.Step == "visit" {
			t.Visitors = r.N
		} else {
			t.CartShoppers = r.N
		}
	}
	var all []struct {
		Step string `gorm:"column:step"`
		N    int64  `gorm:"column:n"`
	}
	err = s.db.Conn(ctx).Raw(`SELECT step, COUNT(DISTINCT shopper_id) AS n FROM funnel_shoppers
		WHERE step IN ('visit', 'cart') AND day >= ? AND day < ? GROUP BY step`, d0, d1).Scan(&all).Error
	if err != nil {
		return fmt.Errorf("funnel shoppers: %w", err)
	}
	for _, r := range all {
		if r.Step == "visit" {
			total.Visitors = r.N
		} else {
			total.CartShoppers = r.N
		}
	}
	return nil
}

type funnelOrderRow struct {
	Day         string `gorm:"column:day"`
	Source      string `gorm:"column:source"`
	Orders      int64  `gorm:"column:orders"`
	PaidOrders  int64  `gorm:"column:paid_orders"`
	PaidRevenue int64  `gorm:"column:paid_revenue"`
	Refunds     int64  `gorm:"column:refunds"`
}

// funnelOrders adds up the period's orders by the shop's day they were
// placed and their source, in SQL (each engine has its own way to name a
// day in Beijing time), along the orders_created index.
func (s *Service) funnelOrders(ctx context.Context, from, to time.Time) ([]funnelOrderRow, error) {
	day := "strftime('%Y-%m-%d', created_at, '+8 hours')"
	if s.db.Dialect == database.Postgres {
		day = "to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"
	}
	var rows []funnelOrderRow
	err := s.db.Conn(ctx).Raw(`SELECT `+day+` AS day, source, COUNT(*) AS orders,
		COALESCE(SUM(CASE WHEN status IN ? THEN 1 ELSE 0 END), 0) AS paid_orders,
		COALESCE(SUM(CASE WHEN status IN ? THEN pay_amount ELSE 0 END), 0) AS paid_revenue,
		COALESCE(SUM(CASE WHEN status IN ? THEN refunded_amount ELSE 0 END), 0) AS refunds
		FROM orders WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2`,
		paid, paid, paid, from.UTC(), to.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("funnel orders: %w", err)
	}
	return rows, nil
}

// sourceNames names the channels and promoters among the sources.
func (s *Service) sourceNames(ctx context.Context, sources map[string]*FunnelStep) (map[string]string, error) {
	var channels, promoters []string
	for src := range sources {
		if code, ok := strings.CutPrefix(src, "channel:"); ok {
			channels = append(channels, code)
		} else if code, ok := strings.CutPrefix(src, "promoter:"); ok {
			promoters = append(promoters, code)
		}
	}
	names := map[string]string{}
	var rows []struct{ Code, Name string }
	if len(channels) > 0 {
		if err := s.db.Conn(ctx).Raw("SELECT code, name FROM channels WHERE code IN ?", channels).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			names["channel:"+r.Code] = r.Name
		}
	}
	rows = nil
	if len(promoters) > 0 {
		if err := s.db.Conn(ctx).Raw("SELECT code, name FROM promoters WHERE code IN ?", promoters).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			names["promoter:"+r.Code] = r.Name
		}
	}
	return names, nil
}
