package app

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/favorite"
	"github.com/kaidian/kaidian/internal/footprint"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
)

// shopperLists builds favourites and footprints, and the recorder of
// product views with its counters on /metrics (no recorder when
// KAIDIAN_FOOTPRINTS=off).
func (a *App) shopperLists(clk *clock.Clock) (*favorite.Service, *footprint.Store, *footprint.Recorder) {
	favs := favorite.New(a.DB, a.Catalog, clk)
	store := footprint.NewStore(a.DB, a.Catalog, clk)
	if !a.Config.Footprints {
		return favs, store, nil
	}
	rec := footprint.NewRecorder(store, clk, a.Log, footprint.RecorderConfig{})
	for name, help := range map[string]struct {
		help string
		n    func() int64
	}{
		"kaidian_footprint_views_saved_total":   {"Product views saved as footprints.", rec.Recorded},
		"kaidian_footprint_views_dropped_total": {"Product views dropped because the footprint buffer was full.", rec.Dropped},
		"kaidian_footprint_views_failed_total":  {"Product views lost because their batch could not be saved.", rec.Failed},
	} {
		a.Metrics.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help.help},
			func() float64 { return float64(help.n()) }))
	}
	return favs, store, rec
}

// phoneAdapter lets customer exchange getPhoneNumber codes without
// importing the WeChat client.
type phoneAdapter struct{ c *miniprogram.Client }

func (a phoneAdapter) exchange(ctx context.Context, code string) (customer.Phone, error) {
	info, err := a.c.PhoneNumber(ctx, code)
	if err != nil {
		return customer.Phone{}, err
	}
	return customer.Phone{Number: info.PurePhoneNumber, CountryCode: info.CountryCode}, nil
}

// avatarCheck accepts as an avatar only an image this shopper uploaded.
func (a *App) avatarCheck(ctx context.Context, shopperID int64, url string) error {
	err := a.Uploads.Owned(ctx, shopperID, "avatar_url", []string{url})
	if e := errs.As(err); err != nil && e.Kind == errs.KindInvalid {
		return customer.ErrAvatarNotUploaded
	}
	return err
}
