// Package attribution records where the shop's traffic comes from and
// credits orders to it: visits reported by the mini program, resolved to a
// source (a channel, a promoter, a sharing shopper, unknown, or direct);
// each shopper's first and last touch; customers bound to a store associate
// (导购); and, at placement, the source and promoter an order is credited to.
//
// Sources are strings, as orders keep them: "channel:<code>",
// "promoter:<code>", "share:<shopper id>", "unknown" (a scene or ref that
// could not be resolved: forged, stale, malformed) and "" (direct: the
// visit carried none).
package attribution

import (
	"context"
	"log/slog"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/share"
)

// Sources that name no one.
const (
	Direct  = ""        // the visit carried no scene or ref
	Unknown = "unknown" // it carried one that does not resolve
)

// Errors of attribution.
var (
	// ErrBusy answers a visit when the buffer is full (the database has
	// been slower than the visits for a while): the visit was not recorded
	// and the mini program may report it again.
	ErrBusy = errs.New(errs.KindUnavailable, "visits_busy", "attribution.busy")
	// ErrNotBound answers a move of a customer bound to no associate.
	ErrNotBound = errs.NotFound("binding_not_found", "attribution.not_bound")
	// ErrNotAssociate answers a move to someone who is not an active associate.
	ErrNotAssociate = errs.Field("to_code", "attribution.not_associate")
)

// Scenes resolves a mini-program code's scene key (share.Scenes).
type Scenes interface {
	Resolve(ctx context.Context, key string) (share.Scene, error)
}

// Deps are the collaborators of the service.
type Deps struct {
	DB        *database.DB
	Channels  *channel.Service
	Promoters *promoter.Service
	Scenes    Scenes
	Customers *customer.Service
	Settings  *setting.Service
	Audit     *audit.Log
	Clock     *clock.Clock
	Log       *slog.Logger
	Recorder  RecorderConfig
}

// Service records visits and credits orders.
type Service struct {
	db        *database.DB
	channels  *channel.Service
	promoters *promoter.Service
	scenes    Scenes
	customers *customer.Service
	settings  *setting.Service
	audit     *audit.Log
	clock     *clock.Clock
	cache     *cache
	rec       *Recorder
}

// New builds the service with its recorder (not started: see Recorder).
func New(d Deps) *Service {
	s := &Service{db: d.DB, channels: d.Channels, promoters: d.Promoters, scenes: d.Scenes, customers: d.Customers,
		settings: d.Settings, audit: d.Audit, clock: d.Clock, cache: newCache(d.Clock, time.Minute)}
	s.rec = newRecorder(s, d.Log, d.Recorder)
	return s
}

// Recorder is the buffer visits and cart adds go through.
func (s *Service) Recorder() *Recorder { return s.rec }
