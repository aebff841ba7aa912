package loadgen

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaidian/kaidian/internal/database"
)

// verifyPacks checks the answers against each other and the packs in the
// database: the run's own view first, then packChecks.
func (l *load) verifyPacks(ctx context.Context, r *Report, pr *packsRun, shoppers []*shopper) {
	st := r.Total
	other := int64(0)
	for k, n := range st.Answers {
		if k != "409 pack_empty" {
			other += n
		}
	}
	r.check("packs: every grab answered a coupon or pack_empty", other == 0, "%d grabs, not 2xx: %v", st.Count, st.Answers)
	r.check("packs: a shopper's grabs answer one coupon", pr.twice.Load() == 0,
		"%d shoppers were answered two different coupons", pr.twice.Load())
	var sum int64
	for _, g := range pr.grabbed {
		sum += g.amount
	}
	want := 0
	per := map[int]int{} // shoppers per pack
	for i := range shoppers {
		per[i%len(pr.packs)]++
	}
	for i, p := range pr.packs {
		want += min(p.Count, per[i])
	}
	r.check("packs: as many coupons as the packs hold or shoppers asked", len(pr.grabbed) == want,
		"%d shoppers got a coupon, want %d", len(pr.grabbed), want)
	db, err := l.database(ctx)
	if err != nil {
		r.skip("packs: database", err.Error())
		return
	}
	ids := make([]int64, len(pr.packs))
	for i, p := range pr.packs {
		ids[i] = p.ID
	}
	checks, grabbed, err := packChecks(ctx, db, ids)
	if err != nil {
		r.check("packs: database", false, "%v", err)
		return
	}
	r.Checks = append(r.Checks, checks...)
	r.check("packs: answered amounts = grabbed amounts in the database", sum == grabbed,
		"answers %d fen, database %d fen", sum, grabbed)
}

// packChecks reads the packs' slots and the coupons their grabs made, and
// checks each pack is exact; it answers the fen grabbed in all.
func packChecks(ctx context.Context, db *database.DB, packIDs []int64) ([]Check, int64, error) {
	var rows []struct {
		PackID    int64 `gorm:"column:pack_id"`
		Total     int64 `gorm:"column:total"`
		Count     int   `gorm:"column:count"`
		Slots     int   `gorm:"column:slots"`
		Sum       int64 `gorm:"column:sum"`
		Grabbed   int   `gorm:"column:grabbed"`
		Shoppers  int   `gorm:"column:shoppers"`
		Amount    int64 `gorm:"column:amount"`
		Coupons   int   `gorm:"column:coupons"` // grabs whose coupon is the grabber's, of the slot's amount
		Undersize int   `gorm:"column:undersize"`
	}
	err := db.Conn(ctx).Raw(`SELECT p.id AS pack_id, p.total, p.count, COUNT(s.id) AS slots, COALESCE(SUM(s.amount), 0) AS sum,
		    COUNT(s.shopper_id) AS grabbed, COUNT(DISTINCT s.shopper_id) AS shoppers,
		    COALESCE(SUM(CASE WHEN s.shopper_id IS NOT NULL THEN s.amount ELSE 0 END), 0) AS amount,
		    COUNT(c.id) AS coupons, SUM(CASE WHEN s.amount < 1 THEN 1 ELSE 0 END) AS undersize
		FROM coupon_packs p JOIN coupon_pack_slots s ON s.pack_id = p.id
		LEFT JOIN shopper_coupons h ON h.id = s.coupon_id AND h.shopper_id = s.shopper_id AND h.source = 'pack'
		LEFT JOIN coupons c ON c.id = h.coupon_id AND c.amount = s.amount
		WHERE p.id IN ? GROUP BY p.id, p.total, p.count ORDER BY p.id`, packIDs).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("read packs: %w", err)
	}
	var sums, twice, coupons []string
	var grabbed int64
	for _, p := range rows {
		grabbed += p.Amount
		if p.Slots != p.Count || p.Sum != p.Total || p.Undersize > 0 || p.Grabbed > p.Count {
			sums = append(sums, fmt.Sprintf("pack %d: %d slots of %d, %d fen of %d", p.PackID, p.Slots, p.Count, p.Sum, p.Total))
		}
		if p.Shoppers != p.Grabbed {
			twice = append(twice, fmt.Sprintf("pack %d: %d grabs by %d shoppers", p.PackID, p.Grabbed, p.Shoppers))
		}
		if p.Coupons != p.Grabbed {
			coupons = append(coupons, fmt.Sprintf("pack %d: %d grabs, %d matching coupons", p.PackID, p.Grabbed, p.Coupons))
		}
	}
	found := len(rows) == len(packIDs)
	return []Check{
		{Name: "packs: each pack's amounts sum to its total, count slots", Pass: found && len(sums) == 0,
			Detail: detail(fmt.Sprintf("%d packs read", len(rows)), sums)},
		{Name: "packs: nobody grabbed a pack twice", Pass: found && len(twice) == 0, Detail: detail("", twice)},
		{Name: "packs: every grab is a coupon of its amount in the grabber's wallet", Pass: found && len(coupons) == 0,
			Detail: detail("", coupons)},
	}, grabbed, nil
}

func detail(ok string, problems []string) string {
	if len(problems) == 0 {
		return ok
	}
	return strings.Join(problems[:min(len(problems), 5)], "; ")
}
