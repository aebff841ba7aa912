package console_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/internal/testkit"
)

// The merchant in a real browser: approve a KOL's application at 15%, see
// the commission of an order she brought on her monthly statement once it
// settled, put it in a payout batch and mark the batch paid.
func TestBrowserPromoterApprovalToPayout(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	zh := i18n.For(i18n.ZhCN)
	b := e.Browser(t)
	b.SetLanguage("zh-CN")
	acceptDialogs(b)
	e.StaffAccount(t, "boss", staff.RoleOwner)
	testkit.Must(t, e.App.Settings.UpdateCommissionSettleDays(ctx, "test", 0))
	kol := e.Login("browser-kol")
	if r := e.Post("/api/v1/promoter/apply", kol, map[string]any{"name": "穿搭达人小美"}); r.Status != 201 {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}

	b.SignIn("boss", "password-boss")
	b.Open("/console/promoters?status=pending")
	b.MustSee("穿搭达人小美", zh.T("console.promoter_status.pending"))
	b.Submit("open the application", `main table tbody a[href^="/console/promoters/"]`)
	b.Run("set her rate", chromedp.SetValue(`form[action$="/approve"] input[name=rate]`, "1500", chromedp.ByQuery))
	b.Submit("approve", `form[action$="/approve"] button[type=submit]`)
	b.MustSee(zh.T("console.promoters.approved"), zh.T("console.promoter_status.active"), "1500")

	p, err := e.App.Promoters.ByShopper(ctx, shopperOf(t, e, kol))
	testkit.Must(t, err)
	sku := e.Product(t, apptest.SKU{Price: 8800, Stock: 5}).SKUs[0].ID
	buyer := e.Login("browser-buyer")
	no := creditedPaidOrder(t, e, buyer, p, sku)
	completeOrder(t, e, no, shopperOf(t, e, buyer))
	_, err = e.App.Commission.SettleDue(ctx)
	testkit.Must(t, err)

	// 8800 × 15% = ¥13.20, settled, on this month's statement.
	b.Submit("open this month's statement", `a[href$="/statement"]`)
	b.MustSee(zh.T("console.statement.closing"), "¥13.20")
	b.Open("/console/payouts")
	b.MustSee("穿搭达人小美", "¥13.20")
	b.Submit("create the batch", `form[action="/console/payouts"] button[type=submit]`)
	b.MustSee(zh.T("console.payouts.created"), "¥13.20")
	b.Run("enter the transfer's reference", chromedp.SendKeys(`input[name=reference]`, "CMB-0001", chromedp.ByQuery))
	b.Submit("mark it paid", `form[action$="/paid"] button[type=submit]`)
	b.MustSee(zh.T("console.payouts.paid"), zh.T("console.payout_status.paid"), "CMB-0001")
	b.Screenshot("promoter-payout-paid")
	if bal, _ := e.App.Commission.Balances(ctx, p.ID); bal.Paid != 1320 || bal.Settled != 0 {
		t.Fatalf("balances after the payout: %+v", bal)
	}
}

func shopperOf(t *testing.T, e *apptest.Env, token string) int64 {
	t.Helper()
	id, err := e.App.Tokens.Verify(token)
	testkit.Must(t, err)
	return id
}
