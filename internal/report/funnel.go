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
//   - Visitors: logged-in shoppers who visited through it (访客数), once a
//     day (a visit before login cannot be told from another, so it counts
//     as a visit only). Over a period the days add up: a shopper who came
//     on three days is three visitor-days, as daily unique visitors are
//     usually summed; counting them once would read every shopper-day of
//     the period, which a 90-day report on a busy shop cannot afford.
//   - CartShoppers: shoppers who added to the cart while the source was
//     the one their order would have been credited to (the shop's rule at
//     that moment), once a day, added up over a period as visitors are.
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
	Source string // "channel:AB12CD", "promoter:K7X2QD", "share" (all shares), "unknown", "" direct
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
// time; see FunnelPeriod). Visits, visitors and cart shoppers come from the
// daily counts the visit recorder keeps, orders from the orders table
// grouped by day and source in SQL: a 90-day report reads rows in
// proportion to days × sources and to the period's orders, never to its
// visits.
func (s *Service) Funnel(ctx context.Context, from, to time.Time) (Funnel, error) {
	f := Funnel{From: from, To: to}
	days := map[string]*FunnelDay{}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		f.Days = append(f.Days, FunnelDay{Date: d, BySource: map[string]FunnelStep{}})
	}
	for i := range f.Days {
		days[f.Days[i].Date.Format(time.DateOnly)] = &f.Days[i]
	}
	totals := map[string]*FunnelStep{}
	add := func(day, source string, fn func(*FunnelStep)) {
		d, ok := days[day]
		if !ok {
			return
		}
		st := d.BySource[source]
		fn(&st)
		d.BySource[source] = st
		fn(&d.Total)
		if totals[source] == nil {
			totals[source] = &FunnelStep{}
		}
		fn(totals[source])
		fn(&f.Total)
	}
	var counts []struct {
		Day          string `gorm:"column:day"`
		Source       string `gorm:"column:source"`
		Visits       int64  `gorm:"column:visits"`
		Visitors     int64  `gorm:"column:visitors"`
		CartShoppers int64  `gorm:"column:cart_shoppers"`
	}
	if err := s.db.Conn(ctx).Raw("SELECT day, source, visits, visitors, cart_shoppers FROM visits_daily WHERE day >= ? AND day < ?",
		from.Format(time.DateOnly), to.Format(time.DateOnly)).Scan(&counts).Error; err != nil {
		return f, fmt.Errorf("funnel visits: %w", err)
	}
	for _, c := range counts {
		add(c.Day, c.Source, func(st *FunnelStep) {
			st.Visits += c.Visits
			st.Visitors += c.Visitors
			st.CartShoppers += c.CartShoppers
		})
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
	// Shares count as one source, as the visit recorder counts them
	// (attribution.FunnelSource).
	err := s.db.Conn(ctx).Raw(`SELECT `+day+` AS day, CASE WHEN source LIKE 'share:%' THEN 'share' ELSE source END AS source, COUNT(*) AS orders,
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
