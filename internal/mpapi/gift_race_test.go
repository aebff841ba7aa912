package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// Twenty friends claim one gift at once while the giver takes it back and
// places an order with it: exactly one outcome wins (one friend has it, or
// the giver kept it), nothing is duplicated, and the shop's claimed count
// never moves. Several rounds, so both outcomes get their chance.
func TestGiftClaimRace(t *testing.T) {
	e := apptest.Start(t)
	alice := e.Token("alice")
	aliceID := shopperIDOf(t, e, alice)
	addr := e.Address(t, aliceID)
	sku := e.Product(t).SKUs[0].ID
	friends := make([]string, 20)
	for i := range friends {
		friends[i] = e.Token(fmt.Sprintf("friend%d", i))
	}
	db := e.App.DB.Conn(context.Background())
	outcomes := map[string]int{}
	for round := 0; round < 4; round++ {
		gift := giftableCoupon(t, e)
		held := claimHeld(t, e, alice, gift.ID)
		link := giveHeld(t, e, alice, held)

		var (
			wg               sync.WaitGroup
			mu               sync.Mutex
			claimed, refused int
			cancelStatus     int
			orderStatus      int
			orderCode        string
		)
		start := make(chan struct{})
		for _, f := range friends {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r := e.Post("/api/v1/coupon-shares/"+link.ShareToken+"/claim", f, nil)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case r.Status == http.StatusCreated:
					claimed++
				case r.Status == http.StatusConflict && (r.ErrorCode() == "coupon_share_claimed" || r.ErrorCode() == "coupon_share_cancelled"):
					refused++
				default:
					t.Errorf("round %d claim: %d %s", round, r.Status, r.Body)
				}
			}()
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			cancelStatus = e.Post(fmt.Sprintf("/api/v1/me/coupons/%d/share/cancel", held), alice, nil).Status
		}()
		go func() {
			defer wg.Done()
			<-start
			r := e.Post("/api/v1/orders", alice, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
				"address_id": addr, "coupon_id": gift.ID})
			orderStatus, orderCode = r.Status, r.ErrorCode()
		}()
		close(start)
		wg.Wait()

		var rows []struct {
			ShopperID int64  `gorm:"column:shopper_id"`
			Status    string `gorm:"column:status"`
			OrderID   *int64 `gorm:"column:order_id"`
		}
		if err := db.Raw("SELECT shopper_id, status, order_id FROM shopper_coupons WHERE coupon_id = ? ORDER BY id", gift.ID).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		var share struct{ Status string }
		db.Raw("SELECT status FROM coupon_shares WHERE token = ?", link.ShareToken).Scan(&share)
		c, _ := e.App.Coupons.Get(context.Background(), gift.ID)
		if c.Claimed != 1 {
			t.Fatalf("round %d: claimed count %d, want 1", round, c.Claimed)
		}
		switch {
		case claimed == 1:
			outcomes["claimed"]++
			if refused != 19 || cancelStatus != http.StatusConflict || orderStatus == http.StatusCreated ||
				share.Status != "claimed" || len(rows) != 2 || rows[0].Status != "gifted" || rows[1].Status != "unused" || rows[1].ShopperID == aliceID {
				t.Fatalf("round %d claimed: refused %d, cancel %d, order %d %s, share %s, rows %+v",
					round, refused, cancelStatus, orderStatus, orderCode, share.Status, rows)
			}
		case claimed == 0:
			outcomes["kept"]++
			wantHeld := "unused"
			if orderStatus == http.StatusCreated {
				wantHeld = "used" // the order ran after the take-back
			} else if orderCode != "coupon_gifting" {
				t.Fatalf("round %d: order refused with %d %s", round, orderStatus, orderCode)
			}
			if refused != 20 || cancelStatus != http.StatusOK || share.Status != "cancelled" || len(rows) != 1 || rows[0].Status != wantHeld {
				t.Fatalf("round %d kept: refused %d, cancel %d, order %d, share %s, rows %+v",
					round, refused, cancelStatus, orderStatus, share.Status, rows)
			}
		default:
			t.Fatalf("round %d: %d friends claimed one gift", round, claimed)
		}
	}
	t.Logf("outcomes: %v", outcomes)
}

// Ten requests sharing one coupon at once answer one token and open one
// share: sharing is idempotent under concurrency too.
func TestGiveTwiceAtOnce(t *testing.T) {
	e := apptest.Start(t)
	alice := e.Token("alice")
	gift := giftableCoupon(t, e)
	held := claimHeld(t, e, alice, gift.ID)
	tokens := make([]string, 10)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := e.Post(fmt.Sprintf("/api/v1/me/coupons/%d/share", held), alice, nil)
			if r.Status != http.StatusOK {
				t.Errorf("share: %d %s", r.Status, r.Body)
				return
			}
			tokens[i], _ = r.JSON(t)["share_token"].(string)
		}()
	}
	close(start)
	wg.Wait()
	for _, tok := range tokens {
		if tok != tokens[0] || tok == "" {
			t.Fatalf("tokens differ: %v", tokens)
		}
	}
	var n int64
	if err := e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM coupon_shares WHERE held_id = ?", held).Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("shares: %d %v", n, err)
	}
}
