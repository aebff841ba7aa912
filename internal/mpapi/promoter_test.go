package mpapi_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/testkit"
)

// creditedPaidOrder has the shopper arrive through ref (the promoter's
// link) and order qty of the SKU, credited to the promoter at placement, and
// pays it through the
// sandbox, waiting for the notification; it returns the order number.
func creditedPaidOrder(t *testing.T, e *apptest.Env, token string, promoterID int64, ref string, skuID int64, qty int) string {
	t.Helper()
	addr := e.Post("/api/v1/addresses", token, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	e.Visit(t, token, ref)
	r := e.Post("/api/v1/orders", token, map[string]any{"items": []map[string]any{{"sku_id": skuID, "quantity": qty}}, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("order: %d %s", r.Status, r.Body)
	}
	no := r.JSON(t)["order_no"].(string)
	o, err := e.App.Orders.ByNo(context.Background(), no)
	testkit.Must(t, err)
	if o.PromoterID == nil || *o.PromoterID != promoterID || o.Source != ref {
		t.Fatalf("order %s credited to %v / %q, want promoter %d", no, o.PromoterID, o.Source, promoterID)
	}
	e.Pay(t, token, no)
	return no
}

// A shopper applies, is refused the promoter routes until the merchant
// approves them, then sees their code, balances, orders, ledger and
// customers, every amount computed by the server.
func TestPromoterAPI(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	kol := e.Login("promoter-kol")
	if r := e.Get("/api/v1/promoter/me", ""); r.Status != http.StatusUnauthorized {
		t.Fatalf("without login: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/api/v1/promoter/me", "/api/v1/promoter/orders", "/api/v1/promoter/commissions", "/api/v1/promoter/customers"} {
		if r := e.Get(path, kol); r.Status != http.StatusForbidden || r.ErrorCode() != "not_promoter" {
			t.Fatalf("GET %s as a shopper: %d %s", path, r.Status, r.Body)
		}
	}
	if r := e.Post("/api/v1/promoter/apply", kol, map[string]any{"name": " "}); r.Status != http.StatusBadRequest {
		t.Fatalf("apply without a name: %d %s", r.Status, r.Body)
	}
	r := e.Post("/api/v1/promoter/apply", kol, map[string]any{"name": "小红书达人阿May", "note": "粉丝 3 万"})
	if r.Status != http.StatusCreated || r.JSON(t)["status"] != "pending" {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	code := r.JSON(t)["code"].(string)
	if r := e.Post("/api/v1/promoter/apply", kol, map[string]any{"name": "again"}); r.Status != http.StatusConflict || r.ErrorCode() != "already_promoter" {
		t.Fatalf("second application: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/promoter/me", kol); r.Status != http.StatusForbidden {
		t.Fatalf("pending promoter: %d %s", r.Status, r.Body)
	}
	p, err := e.App.Promoters.ByCode(ctx, code)
	testkit.Must(t, err)
	_, err = e.App.Promoters.Approve(ctx, "staff:1:owner", p.ID, 1500)
	testkit.Must(t, err)

	sku := e.Product(t, apptest.SKU{Price: 9999, Stock: 10}).SKUs[0].ID
	buyer := e.Login("promoter-buyer")
	no := creditedPaidOrder(t, e, buyer, p.ID, p.Ref(), sku, 1)

	var me struct {
		Code     string `json:"code"`
		Status   string `json:"status"`
		RateBP   int    `json:"rate_bp"`
		Balances struct {
			Pending, Settled, Paid int64
		} `json:"balances"`
		CustomersCount int64 `json:"customers_count"`
	}
	e.Get("/api/v1/promoter/me", kol).Decode(t, &me)
	// 9999 × 15% = 1499.85 → 1499 fen, pending
	if me.Code != code || me.Status != "active" || me.RateBP != 1500 || me.Balances.Pending != 1499 || me.CustomersCount != 1 {
		t.Fatalf("me: %+v", me)
	}
	var orders struct {
		Items []struct {
			OrderNo    string `json:"order_no"`
			Buyer      string `json:"buyer"`
			Commission int64  `json:"commission"`
		} `json:"items"`
	}
	e.Get("/api/v1/promoter/orders", kol).Decode(t, &orders)
	if len(orders.Items) != 1 || orders.Items[0].OrderNo != no || orders.Items[0].Commission != 1499 || !strings.HasSuffix(orders.Items[0].Buyer, "**") {
		t.Fatalf("orders: %+v", orders)
	}
	var entries struct {
		Items []struct {
			State   string `json:"state"`
			Kind    string `json:"kind"`
			Amount  int64  `json:"amount"`
			OrderNo string `json:"order_no"`
		} `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	e.Get("/api/v1/promoter/commissions?limit=1", kol).Decode(t, &entries)
	if len(entries.Items) != 1 || entries.Items[0].Kind != "commission" || entries.Items[0].State != "pending" ||
		entries.Items[0].Amount != 1499 || entries.Items[0].OrderNo != no || entries.NextCursor != "" {
		t.Fatalf("commissions: %+v", entries)
	}
	if r := e.Get("/api/v1/promoter/commissions?cursor=nonsense", kol); r.Status != http.StatusBadRequest {
		t.Fatalf("bad cursor: %d", r.Status)
	}
	var customers struct {
		Items []struct {
			Buyer  string `json:"buyer"`
			Orders int64  `json:"orders"`
		} `json:"items"`
	}
	e.Get("/api/v1/promoter/customers", kol).Decode(t, &customers)
	if len(customers.Items) != 1 || customers.Items[0].Orders != 1 {
		t.Fatalf("customers: %+v", customers)
	}
	// The buyer, not a promoter, is refused; a disabled promoter is too.
	if r := e.Get("/api/v1/promoter/orders", buyer); r.Status != http.StatusForbidden {
		t.Fatalf("buyer: %d", r.Status)
	}
	_, err = e.App.Promoters.Disable(ctx, "staff:1:owner", p.ID)
	testkit.Must(t, err)
	if r := e.Get("/api/v1/promoter/me", kol); r.Status != http.StatusForbidden {
		t.Fatalf("disabled promoter: %d", r.Status)
	}
}

// A KOL invited in the console attaches their account with the invite
// code: of two shoppers racing for it one wins, the code is used up, a
// wrong code is 404 and a shopper who is a promoter already is refused.
func TestPromoterInvite(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	p, err := e.App.Promoters.Create(ctx, "staff:1:owner", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive,
		Name: "受邀达人", RateBP: 1000})
	testkit.Must(t, err)
	code, err := e.App.Promoters.Invite(ctx, "staff:1:owner", p.ID)
	testkit.Must(t, err)
	a, b := e.Login("invite-a"), e.Login("invite-b")
	if r := e.Post("/api/v1/promoter/invites/accept", a, map[string]any{"code": "ABCDEFGHJK"}); r.Status != http.StatusNotFound || r.ErrorCode() != "invite_not_found" {
		t.Fatalf("a wrong code: %d %s", r.Status, r.Body)
	}
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, tok := range []string{a, b} {
		wg.Go(func() {
			statuses[i] = e.Post("/api/v1/promoter/invites/accept", tok, map[string]any{"code": strings.ToLower(code)}).Status
		})
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case http.StatusOK:
			won++
		case http.StatusNotFound:
		default:
			t.Fatalf("accept: %v", statuses)
		}
	}
	if won != 1 {
		t.Fatalf("%d shoppers attached to one invite (%v)", won, statuses)
	}
	winner := a
	if statuses[1] == http.StatusOK {
		winner = b
	}
	if r := e.Get("/api/v1/promoter/me", winner); r.Status != http.StatusOK || r.JSON(t)["code"] != p.Code {
		t.Fatalf("the winner's page: %d %s", r.Status, r.Body)
	}
	if left, _ := e.App.Promoters.InviteCode(ctx, p.ID); left != "" {
		t.Fatalf("invite code left after use: %q", left)
	}
	other, err := e.App.Promoters.Create(ctx, "staff:1:owner", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive, Name: "另一位"})
	testkit.Must(t, err)
	code2, err := e.App.Promoters.Invite(ctx, "staff:1:owner", other.ID)
	testkit.Must(t, err)
	if r := e.Post("/api/v1/promoter/invites/accept", winner, map[string]any{"code": code2}); r.Status != http.StatusConflict || r.ErrorCode() != "already_promoter" {
		t.Fatalf("a promoter accepting a second invite: %d %s", r.Status, r.Body)
	}
	if _, err := e.App.Promoters.Invite(ctx, "staff:1:owner", p.ID); errs.As(err) == nil || errs.As(err).Code != "promoter_status" {
		t.Fatalf("inviting a promoter with an account: %v", err)
	}
}
