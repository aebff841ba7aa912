package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/giftcard"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// giftCardDesign is a ¥500 card sold at ¥480, valid a year.
func giftCardDesign(t *testing.T, e *apptest.Env) giftcard.Design {
	t.Helper()
	d, err := e.App.GiftCards.CreateDesign(context.Background(), "merchant:1", giftcard.DesignInput{Name: "生日快乐", FaceValue: 50000,
		Price: 48000, Theme: "birthday", ValidDays: 365, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type myGiftCardsBody struct {
	Balance  int64 `json:"balance"`
	Bought   []giftCardBody
	Sent     []giftCardBody
	Received []giftCardBody
}

type giftCardBody struct {
	ID        int64  `json:"id"`
	Status    string `json:"status"`
	FaceValue int64  `json:"face_value"`
	Message   string `json:"message"`
}

func myGiftCards(t *testing.T, e *apptest.Env, tok string) myGiftCardsBody {
	t.Helper()
	r := e.Get("/api/v1/me/gift-cards", tok)
	if r.Status != http.StatusOK {
		t.Fatalf("my gift cards: %d %s", r.Status, r.Body)
	}
	var b myGiftCardsBody
	r.Decode(t, &b)
	return b
}

// buyAndPayGiftCards buys quantity cards for tok and pays through the
// sandbox, waiting for the notification; it answers the order number.
func buyAndPayGiftCards(t *testing.T, e *apptest.Env, tok string, designID int64, quantity int) string {
	t.Helper()
	r := e.Post("/api/v1/gift-cards", tok, map[string]any{"design_id": designID, "quantity": quantity, "message": "生日快乐！"})
	if r.Status != http.StatusCreated {
		t.Fatalf("buy gift cards: %d %s", r.Status, r.Body)
	}
	no := r.JSON(t)["order_no"].(string)
	pay := e.Post("/api/v1/orders/"+no+"/pay", tok, nil)
	if pay.Status != http.StatusOK {
		t.Fatalf("pay gift cards: %d %s", pay.Status, pay.Body)
	}
	prepayID := strings.TrimPrefix(pay.JSON(t)["package"].(string), "prepay_id=")
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	waitFor(t, "the gift-card order to be paid", func() bool {
		return e.Get("/api/v1/orders/"+no, tok).JSON(t)["status"] == "paid"
	})
	return no
}

// checkLedger: every shopper's balance is the sum of their entries.
func checkLedger(t *testing.T, e *apptest.Env) {
	t.Helper()
	var off []int64
	err := e.App.DB.Conn(context.Background()).Raw(`SELECT b.shopper_id FROM gift_card_balances b
		LEFT JOIN (SELECT shopper_id, SUM(amount) AS total FROM gift_card_entries GROUP BY shopper_id) s ON s.shopper_id = b.shopper_id
		WHERE b.balance <> COALESCE(s.total, 0)`).Scan(&off).Error
	if err != nil || len(off) > 0 {
		t.Fatalf("balances that are not the sum of their entries: %v %v", off, err)
	}
}

// A gift-card order is an order of kind gift_card with no lines, paid
// through the usual pay call; its cards exist only once paid, and a
// notification delivered again and again issues none twice.
func TestGiftCardsAreIssuedWhenPaidOnce(t *testing.T) {
	e := apptest.Start(t)
	d := giftCardDesign(t, e)
	tok := e.Login("alice")

	key := map[string]string{"Idempotency-Key": "buy-cards-1"}
	body := map[string]any{"design_id": d.ID, "quantity": 3, "message": "新年快乐"}
	first := e.Do(apptest.Request{Method: http.MethodPost, Path: "/api/v1/gift-cards", Token: tok, Body: body, Header: key})
	again := e.Do(apptest.Request{Method: http.MethodPost, Path: "/api/v1/gift-cards", Token: tok, Body: body, Header: key})
	o := first.JSON(t)
	if first.Status != http.StatusCreated || again.Status != http.StatusOK || again.JSON(t)["order_no"] != o["order_no"] {
		t.Fatalf("buy twice with one key: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	if o["kind"] != "gift_card" || o["pay_amount"].(float64) != 3*48000 || o["item_count"].(float64) != 3 || len(o["items"].([]any)) != 0 {
		t.Fatalf("gift-card order: %s", first.Body)
	}
	if m := myGiftCards(t, e, tok); len(m.Bought) != 0 {
		t.Fatalf("cards before payment: %+v", m)
	}
	no := o["order_no"].(string)
	pay := e.Post("/api/v1/orders/"+no+"/pay", tok, nil)
	if pay.Status != http.StatusOK {
		t.Fatalf("pay: %d %s", pay.Status, pay.Body)
	}
	prepayID := strings.TrimPrefix(pay.JSON(t)["package"].(string), "prepay_id=")
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "the first delivery", func() bool {
		ns := sandboxNotifications(t, e)
		return len(ns) == 1 && ns[0]["delivered"] == true
	})
	m := myGiftCards(t, e, tok)
	if len(m.Bought) != 3 || m.Bought[0].Status != "unsent" || m.Bought[0].FaceValue != 50000 || m.Bought[0].Message != "新年快乐" {
		t.Fatalf("cards once paid: %+v", m)
	}
	// Twenty deliveries of the same notification at once: still three cards.
	id := sandboxNotifications(t, e)[0]["id"].(string)
	var res struct{ Statuses []int }
	e.Post("/sandbox/wxpay/notifications/"+id+"/redeliver", "", map[string]any{"times": 20}).Decode(t, &res)
	for _, s := range res.Statuses {
		if s != http.StatusNoContent {
			t.Fatalf("a delivery was answered %d: %v", s, res.Statuses)
		}
	}
	var cards int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM gift_cards").Scan(&cards)
	if cards != 3 {
		t.Fatalf("%d cards after redelivery, want 3", cards)
	}
	// Issuing again for the same paid order (as a replay past the
	// notification record would) adds nothing.
	var shopper int64
	e.App.DB.Conn(context.Background()).Raw("SELECT shopper_id FROM orders WHERE order_no = ?", no).Scan(&shopper)
	paid, err := e.App.Orders.GetLines(context.Background(), shopper, no)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.App.GiftCards.OrderPaid(context.Background(), paid); err != nil {
		t.Fatal(err)
	}
	if m := myGiftCards(t, e, tok); len(m.Bought) != 3 {
		t.Fatalf("issued twice: %d cards", len(m.Bought))
	}
	// The order is never refunded as a whole: its cards could be claimed
	// and spent. Nothing changes.
	_, err = e.App.Payments.Refund(context.Background(), quiet(), owner, payment.RefundInput{OrderNo: no})
	var refunds int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM refunds").Scan(&refunds)
	if !errs.Is(err, payment.ErrGiftCardOrder.Code) || refunds != 0 {
		t.Fatalf("refunding a gift-card order: %v, %d refunds", err, refunds)
	}
	// Nor shipped: there is nothing to ship.
	_, err = e.App.Shipping.Ship(context.Background(), "staff:1:owner", shipping.Input{OrderNo: no, Carrier: "SF", TrackingNo: "SF1234567890"})
	if !errs.Is(err, order.ErrGiftCardNotShippable.Code) {
		t.Fatalf("shipping a gift-card order: %v", err)
	}
}

// Send, view, claim, take back, and the refusals: exactly one friend, the
// sender cannot claim their own, someone else's card is not found.
func TestGiftCardSendAndClaim(t *testing.T) {
	e := apptest.Start(t)
	d := giftCardDesign(t, e)
	alice, bob, carol := e.Login("alice"), e.Login("bob"), e.Login("carol")
	buyAndPayGiftCards(t, e, alice, d.ID, 2)
	cards := myGiftCards(t, e, alice).Bought
	one, two := cards[1].ID, cards[0].ID

	if r := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", one), bob, map[string]any{"message": "hi"}); r.Status != http.StatusNotFound || r.ErrorCode() != "gift_card_not_found" {
		t.Fatalf("sending someone else's card: %d %s", r.Status, r.Body)
	}
	if r := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", one), alice, map[string]any{"message": strings.Repeat("长", 10000)}); r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_field" {
		t.Fatalf("a 10,000-character message: %d %s", r.Status, r.ErrorCode())
	}
	r := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", one), alice, map[string]any{"message": "送你一张卡"})
	var link shareLinkBody
	r.Decode(t, &link)
	if r.Status != http.StatusOK || link.Path != "pages/gift-card/claim?token="+link.ShareToken {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	if again := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", one), alice, map[string]any{"message": "送你一张卡"}); again.JSON(t)["share_token"] != link.ShareToken {
		t.Fatalf("sending again answers another token: %s", again.Body)
	}
	v := e.Get("/api/v1/gift-card-shares/"+link.ShareToken, bob).JSON(t)
	if v["can_claim"] != true || v["message"] != "送你一张卡" || v["face_value"].(float64) != 50000 {
		t.Fatalf("bob's view: %v", v)
	}
	if v := e.Get("/api/v1/gift-card-shares/"+link.ShareToken, alice).JSON(t); v["can_claim"] != false || v["reason"] != "own" {
		t.Fatalf("the sender's view: %v", v)
	}
	if r := e.Post("/api/v1/gift-card-shares/"+link.ShareToken+"/claim", alice, nil); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "gift_card_own" {
		t.Fatalf("claiming one's own: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/gift-card-shares/"+link.ShareToken+"/claim", bob, nil); r.Status != http.StatusCreated || r.JSON(t)["status"] != "claimed" {
		t.Fatalf("bob claims: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/gift-card-shares/"+link.ShareToken+"/claim", carol, nil); r.Status != http.StatusConflict || r.ErrorCode() != "gift_card_claimed" {
		t.Fatalf("claiming a claimed card: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/send", "/send/cancel"} {
		if r := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d%s", one, path), alice, map[string]any{}); r.Status != http.StatusConflict || r.ErrorCode() != "gift_card_claimed" {
			t.Fatalf("%s a claimed card: %d %s", path, r.Status, r.Body)
		}
	}
	if m := myGiftCards(t, e, bob); m.Balance != 50000 || len(m.Received) != 1 {
		t.Fatalf("bob's cards: %+v", m)
	}
	if m := myGiftCards(t, e, alice); m.Balance != 0 || len(m.Sent) != 1 || len(m.Bought) != 1 {
		t.Fatalf("alice's cards: %+v", m)
	}

	// The second card: sent, then taken back before anyone claims it.
	if r := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send/cancel", two), alice, nil); r.Status != http.StatusConflict || r.ErrorCode() != "gift_card_not_sending" {
		t.Fatalf("taking back an unsent card: %d %s", r.Status, r.Body)
	}
	e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", two), alice, map[string]any{}).Decode(t, &link)
	if r := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send/cancel", two), bob, nil); r.Status != http.StatusNotFound {
		t.Fatalf("someone else taking it back: %d %s", r.Status, r.Body)
	}
	if r := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send/cancel", two), alice, nil); r.Status != http.StatusOK || r.JSON(t)["status"] != "unsent" {
		t.Fatalf("take back: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/gift-card-shares/"+link.ShareToken, bob); r.Status != http.StatusNotFound || r.ErrorCode() != "gift_card_share_not_found" {
		t.Fatalf("viewing a taken-back card: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/gift-card-shares/"+link.ShareToken+"/claim", carol, nil); r.Status != http.StatusNotFound {
		t.Fatalf("claiming a taken-back card: %d %s", r.Status, r.Body)
	}
	if m := myGiftCards(t, e, carol); m.Balance != 0 || len(m.Received) != 0 {
		t.Fatalf("carol got something: %+v", m)
	}
	checkLedger(t, e)
}

// Bad purchases change nothing: no order is placed.
func TestGiftCardBadPurchases(t *testing.T) {
	e := apptest.Start(t)
	d := giftCardDesign(t, e)
	tok := e.Login("alice")
	for _, c := range []struct {
		body   map[string]any
		status int
		code   string
	}{
		{map[string]any{"design_id": d.ID, "quantity": 0}, http.StatusBadRequest, "invalid_field"},
		{map[string]any{"design_id": d.ID, "quantity": 21}, http.StatusBadRequest, "invalid_field"},
		{map[string]any{"design_id": d.ID, "quantity": -1}, http.StatusBadRequest, "invalid_field"},
		{map[string]any{"design_id": d.ID, "quantity": 1.5}, http.StatusBadRequest, ""},
		{map[string]any{"design_id": d.ID + 1000, "quantity": 1}, http.StatusNotFound, "gift_card_design_not_found"},
		{map[string]any{"design_id": d.ID, "quantity": 1, "message": strings.Repeat("x", 10000)}, http.StatusBadRequest, "invalid_field"},
	} {
		r := e.Post("/api/v1/gift-cards", tok, c.body)
		if r.Status != c.status || c.code != "" && r.ErrorCode() != c.code {
			t.Errorf("%v %v: %d %s", c.body["quantity"], c.body["design_id"], r.Status, r.ErrorCode())
		}
	}
	if r := e.Get("/api/v1/gift-card-designs", ""); r.Status != http.StatusOK || len(r.JSON(t)["items"].([]any)) != 1 {
		t.Fatalf("designs: %d %s", r.Status, r.Body)
	}
	var orders int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM orders").Scan(&orders)
	if orders != 0 {
		t.Fatalf("%d orders after bad purchases", orders)
	}
}

// Twenty friends claim one card at once: exactly one gets it, and the
// balances are the sum of their entries.
func TestGiftCardClaimRace(t *testing.T) {
	e := apptest.Start(t)
	d := giftCardDesign(t, e)
	alice := e.Login("alice")
	buyAndPayGiftCards(t, e, alice, d.ID, 1)
	var link shareLinkBody
	e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", myGiftCards(t, e, alice).Bought[0].ID), alice, map[string]any{}).Decode(t, &link)
	toks := make([]string, 20)
	for i := range toks {
		toks[i] = e.Login(fmt.Sprintf("friend%d", i))
	}
	statuses := make([]int, len(toks))
	var wg sync.WaitGroup
	for i, tok := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.Post("/api/v1/gift-card-shares/"+link.ShareToken+"/claim", tok, nil).Status
		}()
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			won++
		case http.StatusConflict:
		default:
			t.Fatalf("a claim was answered %d: %v", s, statuses)
		}
	}
	var total int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COALESCE(SUM(balance), 0) FROM gift_card_balances").Scan(&total)
	if won != 1 || total != 50000 {
		t.Fatalf("%d claims won, balances total %d", won, total)
	}
	checkLedger(t, e)
}

// A friend who agreed to gift_received is told when they claim a card;
// one who did not is not.
func TestGiftCardReceivedMessage(t *testing.T) {
	e := apptest.Start(t)
	_, err := e.App.Messages.SaveTemplate(context.Background(), "staff:1:owner", subscribe.Template{Scene: subscribe.GiftReceived,
		TemplateID: "sandbox-gift-received", Enabled: true, Fields: fieldsOf("thing1", "product_name", "thing2", "sender", "time3", "received_at")})
	if err != nil {
		t.Fatal(err)
	}
	d := giftCardDesign(t, e)
	alice, bob, carol := e.Login("alice"), e.Login("bob"), e.Login("carol")
	bobOpenID := phoneAnswers(t, e, "bob", bob, map[string]string{"sandbox-gift-received": "accept"})
	buyAndPayGiftCards(t, e, alice, d.ID, 2)
	cards := myGiftCards(t, e, alice).Bought
	for i, friend := range []string{bob, carol} {
		var link shareLinkBody
		e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", cards[i].ID), alice, map[string]any{}).Decode(t, &link)
		if r := e.Post("/api/v1/gift-card-shares/"+link.ShareToken+"/claim", friend, nil); r.Status != http.StatusCreated {
			t.Fatalf("claim: %d %s", r.Status, r.Body)
		}
	}
	if ev := waitEvent(t, e, fmt.Sprintf("gift_card:%d", cards[0].ID), subscribe.GiftReceived); ev.Status != subscribe.StatusSent {
		t.Fatalf("bob's gift_received: %+v", ev)
	}
	if ev := waitEvent(t, e, fmt.Sprintf("gift_card:%d", cards[1].ID), subscribe.GiftReceived); ev.Status != subscribe.StatusSkipped {
		t.Fatalf("carol's gift_received: %+v", ev)
	}
	var got sandboxMessages
	e.Get("/sandbox/wx/messages?openid="+bobOpenID, "").Decode(t, &got)
	if len(got.Items) != 1 || got.Items[0].Data["thing1"]["value"] != d.Name || got.Items[0].TemplateID != "sandbox-gift-received" {
		t.Fatalf("bob's messages: %+v", got)
	}
}

// An unsent card is refunded to WeChat Pay, its price; a card on its way
// or claimed, someone else's, or one refunded already is not.
func TestGiftCardRefund(t *testing.T) {
	e := apptest.Start(t)
	d := giftCardDesign(t, e)
	alice, bob := e.Login("alice"), e.Login("bob")
	no := buyAndPayGiftCards(t, e, alice, d.ID, 2)
	cards := myGiftCards(t, e, alice).Bought
	one, two := cards[1].ID, cards[0].ID
	refund := func(tok string, id int64) *apptest.Response {
		return e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/refund", id), tok, nil)
	}
	if r := refund(bob, one); r.Status != http.StatusNotFound {
		t.Fatalf("refunding someone else's card: %d %s", r.Status, r.Body)
	}
	if r := refund(alice, one); r.Status != http.StatusOK || r.JSON(t)["status"] != "refunded" {
		t.Fatalf("refund: %d %s", r.Status, r.Body)
	}
	if r := refund(alice, one); r.Status != http.StatusConflict || r.ErrorCode() != "gift_card_refunded" {
		t.Fatalf("refunding twice: %d %s", r.Status, r.Body)
	}
	if r := e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", one), alice, map[string]any{}); r.Status != http.StatusConflict || r.ErrorCode() != "gift_card_refunded" {
		t.Fatalf("sending a refunded card: %d %s", r.Status, r.Body)
	}
	var link shareLinkBody
	e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", two), alice, map[string]any{}).Decode(t, &link)
	if r := refund(alice, two); r.Status != http.StatusConflict || r.ErrorCode() != "gift_card_sending" {
		t.Fatalf("refunding a card on its way: %d %s", r.Status, r.Body)
	}
	e.Post("/api/v1/gift-card-shares/"+link.ShareToken+"/claim", bob, nil)
	if r := refund(alice, two); r.Status != http.StatusConflict || r.ErrorCode() != "gift_card_claimed" {
		t.Fatalf("refunding a claimed card: %d %s", r.Status, r.Body)
	}
	waitFor(t, "the card's refund to succeed", func() bool {
		return e.Get("/api/v1/orders/"+no, alice).JSON(t)["refunded_amount"].(float64) == 48000
	})
	var refunds int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM refunds").Scan(&refunds)
	if refunds != 1 {
		t.Fatalf("%d refunds, want 1", refunds)
	}
	checkLedger(t, e)
}
