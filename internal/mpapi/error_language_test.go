package mpapi_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
)

// An error's message is in the language the mini program asks for with
// Accept-Language (zh-CN when it asks for nothing), ready to show a shopper
// as it is; its code and details are the same in every language.
func TestErrorMessagesSpeakTheShoppersLanguage(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t, apptest.SKU{Price: 9900, Stock: 100}).SKUs[0].ID
	scarce := e.Product(t, apptest.SKU{Price: 2990, Stock: 2}).SKUs[0].ID
	sale := scheduleFlash(t, e, sku, time.Now().UTC().Add(-time.Second), 2, 5)
	tok, addr := shopperWithAddress(t, e, "late-fan")
	three := map[string]any{"flash_sale_id": sale.ID, "address_id": addr, "items": []map[string]any{{"sku_id": sku, "quantity": 3}}}
	noQuantity := map[string]any{"sku_id": sku, "quantity": 0}
	tooMany := map[string]any{"address_id": addr, "items": []map[string]any{{"sku_id": scarce, "quantity": 3}}}

	type errorBody struct {
		Error struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Details map[string]any `json:"details"`
		} `json:"error"`
	}
	ask := func(path string, body any, lang string) (*apptest.Response, errorBody) {
		t.Helper()
		r := apptest.Request{Method: http.MethodPost, Path: path, Token: tok, Body: body}
		if lang != "" {
			r.Header = map[string]string{"Accept-Language": lang}
		}
		res := e.Do(r)
		var b errorBody
		if err := json.Unmarshal(res.Body, &b); err != nil {
			t.Fatalf("%s in %q: %v %s", path, lang, err, res.Body)
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Language") {
			t.Errorf("%s in %q: Vary = %q, want Accept-Language", path, lang, res.Header.Get("Vary"))
		}
		return res, b
	}
	if got := i18n.For(i18n.ZhCN).T("flashsale.sold_out", "available", 2); got != "秒杀库存不足，仅剩 2 件" {
		t.Errorf("the catalog says %q", got)
	}
	for _, tc := range []struct {
		path, code string
		status     int
		body       any
		details    map[string]any
		zh, en     string
	}{
		{"/api/v1/orders", "sold_out", http.StatusConflict, three, map[string]any{"sku_id": float64(sku), "available": float64(2)},
			"秒杀库存不足，仅剩 2 件", "not enough flash-sale units: only 2 left"},
		{"/api/v1/orders", "out_of_stock", http.StatusConflict, tooMany, map[string]any{"sku_id": float64(scarce)},
			"库存不足，仅剩 2 件", "not enough stock: only 2 left"},
		{"/api/v1/cart/items", "invalid_field", http.StatusBadRequest, noQuantity, map[string]any{"field": "quantity"},
			"数量：须为 1 到 999 件", "quantity: must be from 1 to 999"},
	} {
		for lang, want := range map[string]string{"": tc.zh, "zh-CN": tc.zh, "zh-CN,zh;q=0.9,en;q=0.8": tc.zh, "zh-TW": tc.zh,
			"en": tc.en, "en-US,en;q=0.9": tc.en, "fr-FR,en;q=0.5": tc.en} {
			res, b := ask(tc.path, tc.body, lang)
			if res.Status != tc.status || b.Error.Code != tc.code || !reflect.DeepEqual(b.Error.Details, tc.details) {
				t.Errorf("%s in %q: %d %s, want %d %s with details %v", tc.path, lang, res.Status, res.Body, tc.status, tc.code, tc.details)
			}
			if b.Error.Message != want {
				t.Errorf("%s in %q: message %q, want %q", tc.path, lang, b.Error.Message, want)
			}
			wantLang := i18n.ZhCN
			if want == tc.en {
				wantLang = i18n.En
			}
			if got := res.Header.Get("Content-Language"); got != string(wantLang) {
				t.Errorf("%s in %q: Content-Language %q, want %s", tc.path, lang, got, wantLang)
			}
		}
	}
}
