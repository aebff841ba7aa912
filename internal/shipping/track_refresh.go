package shipping

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/order"
)

// trackLease is how long a claimed lookup is left to its runner before the
// sweep may take it over (the runner crashed mid-call).
const trackLease = 2 * time.Minute

// trackFor is how long after shipping a parcel is followed at most: one
// still not delivered by then is lost or returned, and the merchant deals
// with it by hand.
const trackFor = 30 * 24 * time.Hour

// DueTracking lists the shipments whose path is due to be read from WeChat,
// oldest first; none while the shop does not use WeChat's logistics tracking.
func (s *Service) DueTracking(ctx context.Context, limit int) ([]int64, error) {
	sh, err := s.settings.Get(ctx)
	if err != nil || !sh.WeChatTracking {
		return nil, err
	}
	var ids []int64
	err = s.db.Conn(ctx).Model(&Shipment{}).Where("track_state = ? AND next_track_at <= ?", TrackInTransit, s.clock.Now()).
		Order("next_track_at").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// RefreshTracking reads one parcel's path from WeChat and keeps it as the
// parcel's WeChat events. The shipment is claimed first with one guarded
// update (in transit and due), so the job, the sweep and other replicas
// never read it twice at once; the call to WeChat happens outside any
// transaction. A parcel signed for stops being followed, as does one whose
// order completed or closed or that has been on its way past trackFor.
// WeChat's failures are noted on the shipment and retried at the next
// interval; only database failures are returned.
func (s *Service) RefreshTracking(ctx context.Context, id int64) error {
	now := s.clock.Now()
	claim := s.db.Conn(ctx).Model(&Shipment{}).
		Where("id = ? AND track_state = ? AND next_track_at <= ?", id, TrackInTransit, now).
		Updates(map[string]any{"next_track_at": now.Add(trackLease), "updated_at": now})
	if claim.Error != nil || claim.RowsAffected == 0 {
		return claim.Error // not due, or someone else has it
	}
	var sh Shipment
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&sh).Error; err != nil {
		return err
	}
	o, err := s.orders.ByID(ctx, sh.OrderID)
	if err != nil {
		return err
	}
	if o.Status != order.StatusShipped || now.Sub(sh.CreatedAt) > trackFor {
		return s.setTrack(ctx, id, map[string]any{"track_state": TrackStopped, "next_track_at": nil})
	}
	shopper, err := s.customers.Get(ctx, o.ShopperID)
	if err != nil {
		return err
	}
	points, err := s.tracker.Track(ctx, TrackQuery{OrderNo: o.OrderNo, OpenID: shopper.OpenID, Carrier: sh.Carrier, TrackingNo: sh.TrackingNo})
	if err != nil {
		// Often WeChat has no path yet (40199: the courier has not scanned
		// the parcel); either way the next look is one interval away.
		return s.setTrack(ctx, id, map[string]any{"track_error": err.Error(), "next_track_at": now.Add(s.trackEvery)})
	}
	events, delivered := wechatEvents(id, points, now)
	set := map[string]any{"track_error": "", "tracked_at": now, "next_track_at": now.Add(s.trackEvery)}
	if delivered {
		set["track_state"], set["next_track_at"] = TrackDelivered, nil
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		// WeChat answers the whole path each time: it replaces the last one.
		if err := s.db.Conn(ctx).Where("shipment_id = ? AND source = ?", id, SourceWeChat).Delete(&Event{}).Error; err != nil {
			return err
		}
		if len(events) > 0 {
			if err := s.db.Conn(ctx).Create(&events).Error; err != nil {
				return err
			}
		}
		return s.setTrack(ctx, id, set)
	})
}

func (s *Service) setTrack(ctx context.Context, id int64, set map[string]any) error {
	set["updated_at"] = s.clock.Now()
	return s.db.Conn(ctx).Model(&Shipment{}).Where("id = ?", id).Updates(set).Error
}
