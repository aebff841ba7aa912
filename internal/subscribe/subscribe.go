// Package subscribe sends WeChat subscribe messages, the only way to reach a
// shopper who has left the mini program. The merchant maps each scene
// (order_paid, order_shipped, …; the closed set is Scenes) to a WeChat
// template, naming which Kaidian value fills each of its keywords. Each
// "accept" a shopper gives in wx.requestSubscribeMessage is one credit for
// that template (RecordResults); a send spends one.
//
// Events go through an outbox. The domain that changes state records the
// event in its own transaction, with one line:
//
//	err := messages.Emit(ctx, subscribe.Event{Scene: subscribe.AfterSaleUpdate, ShopperID: o.ShopperID, Ref: o.OrderNo,
//		Values: subscribe.Values{"order_no": subscribe.Code(o.OrderNo), "product_name": subscribe.Text(title), …}})
//
// where messages is a subscribe.Emitter the domain was given (Emit is a
// no-op for a scene the merchant has not mapped). Once that transaction
// commits, a durable job (Send) spends a credit with one guarded update and
// calls subscribeMessage.send; with no credit nothing is sent and the event
// is logged as skipped. WeChat's 43101 (no consent) is skipped too and not
// retried; its other refusals (bad template, bad data) fail for good, and
// anything else is retried with back-off by the job queue. A periodic sweep
// re-enqueues events a crash left behind.
package subscribe

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Event is one thing that happened to a shopper. Values must hold every
// source of the scene (Scenes).
type Event struct {
	Scene     Scene
	ShopperID int64
	Ref       string // what the event is about, shown in the console's log: an order number
	Values    Values
}

// Emitter records events in the caller's transaction; *Service is one.
// Wants lets an emitter skip gathering values for a scene nobody mapped.
type Emitter interface {
	Wants(ctx context.Context, s Scene) bool
	Emit(ctx context.Context, e Event) error
}

// Message is one subscribe message as WeChat's subscribeMessage.send takes it.
type Message struct {
	OpenID, TemplateID, Page string
	Data                     map[string]string // keyword → value
}

// Sender calls subscribeMessage.send; the app adapts the mini-program
// client to it. It talks over the network and is never called inside a
// transaction. A *Refused error is WeChat's errcode answer.
type Sender interface {
	SendSubscribe(ctx context.Context, m Message) error
}

// Refused is WeChat answering a send with an errcode.
type Refused struct {
	Code    int
	Message string
}

func (e *Refused) Error() string { return "wechat refused the subscribe message: " + e.Message }

// Event states (subscribe_events.status).
const (
	StatusPending = "pending" // recorded; no credit taken yet
	StatusSending = "sending" // a credit is held; the send is under way or waits for a retry
	StatusSent    = "sent"
	StatusSkipped = "skipped" // no credit (the shopper did not accept), or WeChat's 43101
	StatusFailed  = "failed"  // WeChat refused it for good, or the retries ran out
)

// Statuses lists the states, in the console's order.
var Statuses = []string{StatusSent, StatusSkipped, StatusFailed, StatusSending, StatusPending}

// Deps are the service's collaborators.
type Deps struct {
	DB        *database.DB
	Customers *customer.Service // the shopper's openid
	Audit     *audit.Log
	Sender    Sender
	// Schedule enqueues the send of events just committed; if it fails the
	// sweep (Due) finds them, as their rows say they are open.
	Schedule func(ctx context.Context, eventIDs []int64)
	Log      *slog.Logger
	Clock    *clock.Clock
	// MappingTTL is how long a replica reuses the scene → template mapping
	// before reading it again (another replica's change shows within it).
	MappingTTL time.Duration
}

// Service is the subscribe-message use cases.
type Service struct {
	db        *database.DB
	customers *customer.Service
	audit     *audit.Log
	sender    Sender
	schedule  func(ctx context.Context, eventIDs []int64)
	log       *slog.Logger
	clock     *clock.Clock

	ttl     time.Duration
	mu      sync.Mutex
	mapping map[Scene]Template // enabled templates, read at readAt
	readAt  time.Time
}

// New builds the service.
func New(d Deps) *Service {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Service{db: d.DB, customers: d.Customers, audit: d.Audit, sender: d.Sender, schedule: d.Schedule,
		log: d.Log, clock: d.Clock, ttl: d.MappingTTL}
}

// noteNoCredit is what the log says of an event skipped without asking
// WeChat: the shopper holds no credit for its template.
var noteNoCredit = i18n.M("subscribe.log.no_credit")
