package report

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/database"
)

// Me is what the mini program's "me" page shows a shopper about themselves.
type Me struct {
	Nickname, AvatarURL, Phone    string // Phone unmasked: the caller masks it
	PendingPayment, Paid, Shipped int64  // orders in each state
	AfterSale                     int64  // orders with an after-sale (refund) request still open
	Coupons                       int64  // coupons held, unused and valid now
}

// meSQL reads the shopper and every count in one statement, each count a
// subquery on a per-shopper index (orders_shopper_status; refund requests
// through the shopper's orders, as refund_requests is indexed by order;
// shopper_coupons_shopper): the page is opened
// on every visit to the "me" tab, and it is one round trip.
//
// A refund request is open until the merchant declines it (or the shopper
// cancels it) or its refund has succeeded; approved with the refund still
// under way, or approved awaiting a returned parcel, it is open.
const meSQL = `SELECT s.nickname, s.avatar_url, s.phone,
	(SELECT COUNT(*) FROM orders WHERE shopper_id = s.id AND status = 'pending_payment'),
	(SELECT COUNT(*) FROM orders WHERE shopper_id = s.id AND status = 'paid'),
	(SELECT COUNT(*) FROM orders WHERE shopper_id = s.id AND status = 'shipped'),
	(SELECT COUNT(DISTINCT rr.order_id) FROM orders o JOIN refund_requests rr ON rr.order_id = o.id
		WHERE o.shopper_id = s.id
		AND rr.status NOT IN ('declined', 'cancelled', 'canceled', 'closed')
		AND (rr.refund_id IS NULL OR NOT EXISTS
			(SELECT 1 FROM refunds f WHERE f.id = rr.refund_id AND f.status = 'succeeded'))),
	(SELECT COUNT(*) FROM shopper_coupons WHERE shopper_id = s.id AND status = 'unused'
		AND valid_from <= ? AND valid_until > ?)
	FROM shoppers s WHERE s.id = ?`

// Me reads the shopper's page; found is false for an unknown shopper.
func (s *Service) Me(ctx context.Context, shopperID int64) (m Me, found bool, err error) {
	now := s.clock.Now()
	err = s.db.Read(ctx, []database.Query{{SQL: meSQL, Args: []any{now, now, shopperID}}}, func(rows database.Rows) error {
		for rows.Next() {
			found = true
			if err := rows.Scan(&m.Nickname, &m.AvatarURL, &m.Phone, &m.PendingPayment, &m.Paid, &m.Shipped,
				&m.AfterSale, &m.Coupons); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Me{}, false, fmt.Errorf("report: me: %w", err)
	}
	return m, found, nil
}

// Profile is what the console's customer page shows of what a shopper told
// the shop: avatar, phone (unmasked: the page masks it), favourites kept.
type Profile struct {
	AvatarURL, Phone string
	Favorites        int64
}

// CustomerProfile reads a shopper's profile in one statement; found is
// false for an unknown shopper.
func (s *Service) CustomerProfile(ctx context.Context, shopperID int64) (p Profile, found bool, err error) {
	err = s.db.Read(ctx, []database.Query{{SQL: `SELECT s.avatar_url, s.phone,
		(SELECT COUNT(*) FROM favorites WHERE shopper_id = s.id) FROM shoppers s WHERE s.id = ?`, Args: []any{shopperID}}},
		func(rows database.Rows) error {
			for rows.Next() {
				found = true
				if err := rows.Scan(&p.AvatarURL, &p.Phone, &p.Favorites); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return Profile{}, false, fmt.Errorf("report: customer profile: %w", err)
	}
	return p, found, nil
}
