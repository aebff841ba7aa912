package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
)

// TestSubscribeSendFollowsWeChatsRules drives the sandbox's
// subscribeMessage.send through the production client: a credit from the
// phone's accept delivers one message; without one it is 43101; bad
// template ids, openids and values are refused before any credit is used.
func TestSubscribeSendFollowsWeChatsRules(t *testing.T) {
	_, base := serveWithPayment(t)
	c := miniprogram.New(base, "wx0000000000sandbox", "sandbox-app-secret-not-for-production", nil)
	ctx := context.Background()
	phone := func(body string) map[string]any { return wxCall(t, http.MethodPost, base+"/wx/subscribe", body) }
	openID, _ := phone(`{"user":"alice","results":{"sandbox-order-paid":"accept"}}`)["openid"].(string)
	if len(openID) != 28 {
		t.Fatalf("phone answer without the openid: %q", openID)
	}
	for _, bad := range []string{`{"user":"alice","results":{}}`, `{"user":"alice","results":{"nope":"accept"}}`,
		`{"user":"alice","results":{"sandbox-order-paid":"yes"}}`, `{"openid":"x","results":{"sandbox-order-paid":"accept"}}`} {
		if phone(bad)["error"] == nil {
			t.Errorf("the phone's %s was taken", bad)
		}
	}
	good := map[string]string{"character_string1": "K20261206001", "thing2": "纯棉T恤", "amount3": "99.00元", "time4": "2026年12月6日 10:30"}
	msg := func(mod func(m *miniprogram.SubscribeMessage)) miniprogram.SubscribeMessage {
		m := miniprogram.SubscribeMessage{ToUser: openID, TemplateID: "sandbox-order-paid", Page: "pages/order/detail?order_no=K1", Data: map[string]string{}}
		for k, v := range good {
			m.Data[k] = v
		}
		if mod != nil {
			mod(&m)
		}
		return m
	}
	code := func(err error) int {
		var apiErr *miniprogram.APIError
		if errors.As(err, &apiErr) {
			return apiErr.ErrCode
		}
		if err != nil {
			t.Fatalf("not an errcode: %v", err)
		}
		return 0
	}
	for _, tc := range []struct {
		name string
		mod  func(m *miniprogram.SubscribeMessage)
		want int
	}{
		{"an unknown template", func(m *miniprogram.SubscribeMessage) { m.TemplateID = "nope" }, 40037},
		{"a bad openid", func(m *miniprogram.SubscribeMessage) { m.ToUser = "someone" }, 40003},
		{"a page from the root", func(m *miniprogram.SubscribeMessage) { m.Page = "/pages/x" }, 41030},
		{"a thing over 20 characters", func(m *miniprogram.SubscribeMessage) { m.Data["thing2"] = strings.Repeat("长", 21) }, 47003},
		{"a character_string with Chinese", func(m *miniprogram.SubscribeMessage) { m.Data["character_string1"] = "订单1" }, 47003},
		{"a character_string over 32", func(m *miniprogram.SubscribeMessage) { m.Data["character_string1"] = strings.Repeat("K", 33) }, 47003},
		{"an amount with words", func(m *miniprogram.SubscribeMessage) { m.Data["amount3"] = "九十九元" }, 47003},
		{"a time in no format", func(m *miniprogram.SubscribeMessage) { m.Data["time4"] = "yesterday" }, 47003},
		{"a keyword the template lacks", func(m *miniprogram.SubscribeMessage) { m.Data["thing9"] = "x" }, 47003},
		{"an empty value", func(m *miniprogram.SubscribeMessage) { m.Data["thing2"] = "" }, 47003},
	} {
		if got := code(c.SendSubscribeMessage(ctx, msg(tc.mod))); got != tc.want {
			t.Errorf("%s: errcode %d, want %d", tc.name, got, tc.want)
		}
	}
	// The credit is still there after all those refusals, and is spent
	// once, however many sends race for it.
	var wg sync.WaitGroup
	results := make([]int, 5)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = code(c.SendSubscribeMessage(ctx, msg(nil)))
		}()
	}
	wg.Wait()
	sent := 0
	for _, r := range results {
		switch r {
		case 0:
			sent++
		case 43101:
		default:
			t.Errorf("a racing send got %d", r)
		}
	}
	if sent != 1 {
		t.Fatalf("%d sends took one credit: %v", sent, results)
	}
	list := wxCall(t, http.MethodGet, base+"/wx/messages?openid="+openID, "")
	items, _ := list["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("messages: %v", list)
	}
	if other := wxCall(t, http.MethodGet, base+"/wx/messages?openid=o-nobody", ""); len(other["items"].([]any)) != 0 {
		t.Fatalf("another openid's messages: %v", other)
	}
	// A wrong access token is refused before anything else.
	if r := wxCall(t, http.MethodPost, base+"/cgi-bin/message/subscribe/send?access_token=bad", `{}`); r["errcode"] != float64(40001) {
		t.Fatalf("a bad token: %v", r)
	}
}
