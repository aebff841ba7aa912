package app

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/subscribe"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/worker"
)

// messageMappingTTL is how long a replica reuses the merchant's scene →
// template mapping: a change made on another replica reaches events within
// it, and the payment path reads the mapping once per interval, not once
// per order.
const messageMappingTTL = 30 * time.Second

// newMessages builds the subscribe-message service and reads its mapping
// once, so the first payments after start find it cached.
func (a *App) newMessages(ctx context.Context, mp *miniprogram.Client) (*subscribe.Service, error) {
	s := subscribe.New(subscribe.Deps{DB: a.DB, Customers: a.Customers, Audit: a.Audit, Sender: senderAdapter{mp},
		Schedule: a.scheduleMessages, Log: a.Log, Clock: a.Clock, MappingTTL: messageMappingTTL})
	_, err := s.Offers(ctx)
	return s, err
}

// senderAdapter lets the subscribe package send through the mini-program
// client without importing it.
type senderAdapter struct{ c *miniprogram.Client }

func (s senderAdapter) SendSubscribe(ctx context.Context, m subscribe.Message) error {
	err := s.c.SendSubscribeMessage(ctx, miniprogram.SubscribeMessage{ToUser: m.OpenID, TemplateID: m.TemplateID,
		Page: m.Page, Data: m.Data})
	if code, msg, ok := miniprogram.Refusal(err); ok {
		return &subscribe.Refused{Code: code, Message: msg}
	}
	return err
}

// scheduleMessages enqueues the sends of events just committed; if that
// fails the message sweep finds them, as their rows are still open.
func (a *App) scheduleMessages(ctx context.Context, eventIDs []int64) {
	if err := a.queue.Enqueue(ctx, worker.SendMessageJobs(eventIDs)...); err != nil {
		a.Log.Error("subscribe messages not enqueued; the message sweep will send them", "events", len(eventIDs), "error", err.Error())
	}
}
