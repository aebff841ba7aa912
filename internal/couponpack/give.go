package couponpack

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// errGiverRace is a concurrent pack for the same giver taking the seq this
// one counted; GiveForOrder counts again.
var errGiverRace = errors.New("couponpack: giver seq taken")

// GiveForOrder gives the buyer of an order just paid one pack of every live
// campaign that gives packs on payment and whose minimum the order reached,
// while the buyer has fewer than the campaign's per-shopper limit. Payment
// calls it inside the transaction that marks the order paid, so a paid
// order never lacks its pack, and a notification applied twice gives none
// twice (one pack per campaign and order, held by a unique index). Each
// pack is written in a savepoint: on PostgreSQL a unique violation would
// otherwise abort the payment's transaction.
func (s *Service) GiveForOrder(ctx context.Context, orderID, shopperID, paid int64) error {
	now := s.clock.Now()
	cs, err := s.campaignsOnPaid(ctx, now, paid)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := s.giveOne(ctx, c, orderID, shopperID); err != nil {
			return err
		}
	}
	return nil
}

// giveOne gives the shopper one pack of c for the order, unless the order
// already has one or the shopper reached the limit.
func (s *Service) giveOne(ctx context.Context, c Campaign, orderID, shopperID int64) error {
	for attempt := 0; attempt < 5; attempt++ {
		var given struct {
			N       int64 `gorm:"column:n"`
			ByOrder int64 `gorm:"column:by_order"`
		}
		err := s.db.Conn(ctx).Raw(`SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN order_id = ? THEN 1 ELSE 0 END), 0) AS by_order
			FROM coupon_packs WHERE campaign_id = ? AND giver_id = ?`, orderID, c.ID, shopperID).Scan(&given).Error
		if err != nil {
			return fmt.Errorf("couponpack: packs given: %w", err)
		}
		if given.ByOrder > 0 || given.N >= int64(c.PerShopper) {
			return nil
		}
		ref, err := s.refs.RefFor(ctx, shopperID)
		if err != nil {
			return err
		}
		seq := int(given.N) + 1
		p := Pack{GiverID: &shopperID, GiverSeq: &seq, OrderID: &orderID, Ref: ref, Actor: "order:" + strconv.FormatInt(orderID, 10)}
		err = s.db.Savepoint(ctx, func(ctx context.Context) error {
			_, err := s.insertPack(ctx, c, p)
			if database.IsDuplicate(err) {
				return errGiverRace
			}
			return err
		})
		if !errors.Is(err, errGiverRace) {
			return err
		}
	}
	return fmt.Errorf("couponpack: campaign %d, shopper %d: packs kept being given concurrently", c.ID, shopperID)
}

// IssueForChannel makes a pack of a live campaign for a channel, from the
// console: no giver; its share carries the channel's ref, so what its
// grabbers buy is credited to the channel. The merchant posts its path in
// the channel's group.
func (s *Service) IssueForChannel(ctx context.Context, actor string, campaignID, channelID int64) (Pack, error) {
	var p Pack
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		c, err := s.lockCampaign(ctx, campaignID)
		if err != nil {
			return err
		}
		switch c.StatusAt(s.clock.Now()) {
		case StatusStopped:
			return ErrStopped
		case StatusUpcoming, StatusEnded:
			return ErrNotLive
		}
		ch, err := s.channels.Get(ctx, channelID)
		if errs.Is(err, channel.ErrNotFound.Code) {
			return errs.Field("channel_id", "couponpack.channel_unknown")
		}
		if err != nil {
			return err
		}
		if p, err = s.insertPack(ctx, c, Pack{Ref: ch.Ref(), Actor: actor}); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "coupon_pack.issue", "coupon_pack_campaign", c.ID,
			i18n.M("record.audit.coupon_pack_issued", "name", c.Name, "channel", ch.Name, "code", ch.Code,
				"total", money.Short(p.Total), "count", p.Count, "token", p.Token))
	})
	return p, err
}

// insertPack writes a pack of the campaign's current split and its slots,
// the amounts drawn now.
func (s *Service) insertPack(ctx context.Context, c Campaign, p Pack) (Pack, error) {
	now := s.clock.Now()
	p.CampaignID, p.Token, p.Total, p.Count = c.ID, shortcode.New(TokenLength), c.Total, c.Count
	p.ExpiresAt, p.CreatedAt = now.Add(hours(c.PackHours)), now
	if err := s.db.Conn(ctx).Create(&p).Error; err != nil {
		return Pack{}, fmt.Errorf("couponpack: pack: %w", err)
	}
	amounts := Split(c.Total, c.Count, c.MinAmount)
	slots := make([]Slot, len(amounts))
	for i, a := range amounts {
		slots[i] = Slot{PackID: p.ID, Slot: i + 1, Amount: a}
	}
	if err := s.db.Conn(ctx).CreateInBatches(slots, MaxCount).Error; err != nil {
		return Pack{}, fmt.Errorf("couponpack: slots: %w", err)
	}
	return p, nil
}

// Channels lists the active channels a pack can be issued for, newest
// first, for the console's issue form.
func (s *Service) Channels(ctx context.Context) ([]channel.Channel, error) {
	all, err := s.channels.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []channel.Channel
	for _, ch := range all {
		if ch.Active {
			out = append(out, ch)
		}
	}
	return out, nil
}
