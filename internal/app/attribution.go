package app

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/clock"
)

// newAttribution builds visits and attribution, with the visit buffer's
// counters on /metrics.
func (a *App) newAttribution(clk *clock.Clock) *attribution.Service {
	svc := attribution.New(attribution.Deps{DB: a.DB, Channels: a.Channels, Promoters: a.Promoters, Scenes: a.Scenes,
		Customers: a.Customers, Settings: a.Settings, Audit: a.Audit, Clock: clk, Log: a.Log})
	rec := svc.Recorder()
	for name, help := range map[string]struct {
		help string
		n    func() int64
	}{
		"kaidian_visits_saved_total":   {"Visits and cart adds saved for attribution and the funnel.", rec.Saved},
		"kaidian_visits_refused_total": {"Visits and cart adds refused because the visit buffer was full (answered 503).", rec.Refused},
		"kaidian_visits_lost_total":    {"Visits and cart adds accepted and never saved (a shutdown without the database).", rec.Lost},
	} {
		a.Metrics.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help.help},
			func() float64 { return float64(help.n()) }))
	}
	return svc
}
