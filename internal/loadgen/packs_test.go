package loadgen

import (
	"context"
	"strings"
	"testing"
)

// TestPacks: 40 shoppers grab two packs of 8 coupons (every tenth twice at
// once): 16 coupons, each pack exact, beside a hello-world measured in the
// same run. Then the database checks are shown to fail on packs whose
// invariant was broken (nobody twice is held by a unique index, which no
// UPDATE can break).
func TestPacks(t *testing.T) {
	e := shop(t)
	o := options(e, "packs")
	o.Shoppers, o.Concurrency, o.Requests = 40, 8, 0
	o.Packs = PacksOptions{Packs: 2, Count: 8, Total: 800}
	r := run(t, o)
	requirePass(t, r)
	var text strings.Builder
	r.WriteText(&text)
	t.Log(text.String())
	f := r.Figures
	if f["grabbed_coupons"] != 16 || f["grabs_per_s"] <= 0 || f["hello_per_s"] <= 0 || f["grab_p99_ms"] <= 0 {
		t.Fatalf("figures %v", f)
	}

	ctx := context.Background()
	var ids []int64
	e.App.DB.Conn(ctx).Raw("SELECT id FROM coupon_packs ORDER BY id").Scan(&ids)
	for _, c := range []struct{ check, tamper string }{
		{"packs: each pack's amounts sum to its total, count slots", "UPDATE coupon_pack_slots SET amount = amount + 1 WHERE slot = 1"},
		{"packs: every grab is a coupon of its amount in the grabber's wallet",
			"UPDATE coupon_pack_slots SET coupon_id = NULL WHERE id = (SELECT MIN(id) FROM coupon_pack_slots WHERE shopper_id IS NOT NULL)"},
	} {
		t.Run(c.check, func(t *testing.T) {
			err := e.App.DB.Tx(ctx, func(ctx context.Context) error {
				if err := e.App.DB.Conn(ctx).Exec(c.tamper).Error; err != nil {
					return err
				}
				checks, _, err := packChecks(ctx, e.App.DB, ids)
				if err != nil {
					return err
				}
				requireFail(t, checks, c.check)
				return errRollback
			})
			if err != errRollback {
				t.Fatal(err)
			}
		})
	}
}
