package subscribe

import (
	"context"
	"errors"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
)

// WeChat's errcodes of subscribeMessage.send that decide an event's fate.
const (
	ErrCodeNoConsent   = 43101 // the shopper has no credit for the template at WeChat
	errCodeBadOpenID   = 40003
	errCodeBadTemplate = 40037
	errCodeBadData     = 47003
	errCodeBadPage     = 41030
)

// refusedForGood are errcodes that sending the same message again cannot
// change: the merchant must fix the mapping.
var refusedForGood = map[int]bool{errCodeBadOpenID: true, errCodeBadTemplate: true, errCodeBadData: true, errCodeBadPage: true}

// lease is how long a claimed event is left to its runner before another
// may take it (the runner died mid-send): longer than one call to WeChat.
const lease = 2 * time.Minute

// Send delivers one event: it claims the event, spends one of the
// shopper's credits for its template (or, with none, marks it skipped),
// calls WeChat and records the outcome. The credit and the move to
// "sending" are one transaction with a guarded decrement, so two events
// racing for the last credit spend it once: one is sent, the other
// skipped. An event already holding a credit (a retry) does not take
// another. final says this is the job's last attempt: a failure then marks
// the event failed instead of asking for a retry. Only failures worth
// retrying are returned.
func (s *Service) Send(ctx context.Context, id int64, final bool) error {
	now := s.clock.Now()
	claim := s.db.Conn(ctx).Model(&Record{}).
		Where("id = ? AND status IN ? AND (lease_until IS NULL OR lease_until <= ?)", id, []string{StatusPending, StatusSending}, now).
		Updates(map[string]any{"lease_until": now.Add(lease), "attempts": database.Expr("attempts + 1"), "updated_at": now})
	if claim.Error != nil || claim.RowsAffected == 0 {
		return claim.Error // done, or another runner has it
	}
	var r Record
	spent := false
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
			return err
		}
		if r.Status != StatusPending {
			return nil // a retry: the credit is already held
		}
		res := s.db.Conn(ctx).Model(&Credit{}).Where("shopper_id = ? AND template_id = ? AND credits > 0", r.ShopperID, r.TemplateID).
			Updates(map[string]any{"credits": database.Expr("credits - 1"), "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		spent = res.RowsAffected == 1
		r.Status = StatusSkipped
		set := map[string]any{"status": StatusSkipped, "error": noteNoCredit, "lease_until": nil, "updated_at": now}
		if spent {
			r.Status = StatusSending
			set = map[string]any{"status": StatusSending, "updated_at": now}
		}
		return s.db.Conn(ctx).Model(&Record{}).Where("id = ? AND status = ?", id, StatusPending).Updates(set).Error
	})
	if err != nil || r.Status != StatusSending {
		if err == nil {
			s.log.Info("subscribe message skipped: no credit", "event", id, "scene", r.Scene, "template", r.TemplateID)
		}
		return err
	}
	shopper, err := s.customers.Get(ctx, r.ShopperID)
	if err != nil {
		return s.release(ctx, id, err)
	}
	sendErr := s.sender.SendSubscribe(ctx, Message{OpenID: shopper.OpenID, TemplateID: r.TemplateID, Page: r.Page, Data: r.Data.V})
	return s.record(ctx, r, sendErr, final)
}

// record notes how a send went.
func (s *Service) record(ctx context.Context, r Record, sendErr error, final bool) error {
	now := s.clock.Now()
	var refused *Refused
	errors.As(sendErr, &refused)
	set := map[string]any{"lease_until": nil, "updated_at": now}
	switch {
	case sendErr == nil:
		set["status"], set["sent_at"], set["error"], set["errcode"] = StatusSent, now, i18n.Msg{}, 0
	case refused != nil && refused.Code == ErrCodeNoConsent:
		// WeChat's ledger is the truth: it holds no credit for this
		// template, so neither does Kaidian. Nothing was consumed there and
		// nothing is retried.
		set["status"], set["errcode"], set["error"] = StatusSkipped, refused.Code,
			i18n.M("subscribe.log.wechat_no_consent", "code", refused.Code, "message", refused.Message)
		return s.db.Tx(ctx, func(ctx context.Context) error {
			if err := s.db.Conn(ctx).Model(&Credit{}).Where("shopper_id = ? AND template_id = ?", r.ShopperID, r.TemplateID).
				Updates(map[string]any{"credits": 0, "updated_at": now}).Error; err != nil {
				return err
			}
			return s.finish(ctx, r.ID, set)
		})
	case refused != nil && refusedForGood[refused.Code]:
		// WeChat turned the message down without using the shopper's
		// consent: the credit goes back for the next event.
		set["status"], set["errcode"], set["error"] = StatusFailed, refused.Code,
			i18n.M("subscribe.log.wechat_refused", "code", refused.Code, "message", refused.Message)
		return s.db.Tx(ctx, func(ctx context.Context) error {
			if err := s.db.Conn(ctx).Model(&Credit{}).Where("shopper_id = ? AND template_id = ?", r.ShopperID, r.TemplateID).
				Updates(map[string]any{"credits": database.Expr("credits + 1"), "updated_at": now}).Error; err != nil {
				return err
			}
			return s.finish(ctx, r.ID, set)
		})
	case final:
		// The message may have reached WeChat on an attempt whose answer
		// was lost, so the credit is not given back.
		set["status"], set["error"] = StatusFailed, i18n.M("subscribe.log.gave_up", "n", r.Attempts, "error", sendErr.Error())
		if refused != nil {
			set["errcode"] = refused.Code
		}
	default:
		set["error"] = i18n.Text(sendErr.Error())
		if refused != nil {
			set["errcode"] = refused.Code
		}
		if err := s.finish(ctx, r.ID, set); err != nil {
			return err
		}
		return sendErr // the job queue retries with back-off
	}
	return s.finish(ctx, r.ID, set)
}

func (s *Service) finish(ctx context.Context, id int64, set map[string]any) error {
	return s.db.Conn(ctx).Model(&Record{}).Where("id = ? AND status = ?", id, StatusSending).Updates(set).Error
}

// release lets go of a claimed event after a failure of Kaidian's own (the
// database), for the retry.
func (s *Service) release(ctx context.Context, id int64, cause error) error {
	if err := s.db.Conn(ctx).Model(&Record{}).Where("id = ?", id).Update("lease_until", nil).Error; err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// sweepAge is how old an open event must be before the sweep re-enqueues
// it: younger ones still have their own job coming.
const sweepAge = time.Minute

// Due lists open events no runner holds that are older than a minute,
// oldest first, for the sweep to enqueue again (their job was lost to a
// crash; one still waiting in the queue is not enqueued twice).
func (s *Service) Due(ctx context.Context, limit int) ([]int64, error) {
	now := s.clock.Now()
	var ids []int64
	err := s.db.Conn(ctx).Model(&Record{}).
		Where("status IN ? AND created_at <= ? AND (lease_until IS NULL OR lease_until <= ?)",
			[]string{StatusPending, StatusSending}, now.Add(-sweepAge), now).
		Order("created_at").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}
