package i18n

import (
	"errors"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
)

// roundTrip stores m as a column would and reads it back.
func roundTrip(t *testing.T, m Msg) Msg {
	t.Helper()
	v, err := m.Value()
	if err != nil {
		t.Fatal(err)
	}
	var back Msg
	if err := back.Scan([]byte(v.(string))); err != nil {
		t.Fatal(err)
	}
	return back
}

// TestNestedMsg: a message naming other messages (a product's changes, a
// SKU's label) is written wholly in the reader's language, before and after
// it is stored, and its numbers keep every digit.
func TestNestedMsg(t *testing.T) {
	m := M("record.audit.product_updated", "title", "保温杯", "changes", []Msg{
		M("record.audit.title_changed", "from", "杯子", "to", "保温杯"),
		M("record.audit.images_changed"),
	})
	stock := M("record.audit.sku_stock", "sku", M("record.audit.sku_label", "code", "CUP-1", "spec", "红色"),
		"from", int64(1000000), "to", int64(1000012), "reason", Text("供应商到货"))
	for name, m := range map[string]Msg{"fresh": m, "stored": roundTrip(t, m)} {
		if got := For(ZhCN).Msg(m); got != "保温杯：标题“杯子” → “保温杯”；图片已修改" {
			t.Errorf("%s zh = %q", name, got)
		}
		if got := For(En).Msg(m); got != `保温杯: title "杯子" → "保温杯"; images changed` {
			t.Errorf("%s en = %q", name, got)
		}
	}
	for name, m := range map[string]Msg{"fresh": stock, "stored": roundTrip(t, stock)} {
		if got := For(ZhCN).Msg(m); got != "CUP-1（红色）：库存 1000000 → 1000012（供应商到货）" {
			t.Errorf("%s zh = %q", name, got)
		}
		if got := For(En).Msg(m); got != "CUP-1 (红色): stock 1000000 → 1000012 (供应商到货)" {
			t.Errorf("%s en = %q", name, got)
		}
	}
}

// TestMsgPluralAndFlags: a stored count still picks the English plural, and
// stored booleans and zeros still steer a message's optional parts.
func TestMsgPluralAndFlags(t *testing.T) {
	for n, want := range map[int]string{1: "杯子: 1 SKU, from ¥9.90", 3: "杯子: 3 SKUs, from ¥9.90"} {
		m := roundTrip(t, M("record.audit.product_created", "title", "杯子", "count", n, "price", "¥9.90"))
		if got := For(En).Msg(m); got != want {
			t.Errorf("en %d = %q, want %q", n, got, want)
		}
	}
	if got := For(ZhCN).Msg(roundTrip(t, M("record.audit.product_created", "title", "杯子", "count", 3, "price", "¥9.90"))); got != "杯子：3 个规格，¥9.90 起" {
		t.Errorf("zh = %q", got)
	}
	paid := M("record.order.paid", "transaction", "4200001", "revived", false, "refunded_since", true)
	if got := For(En).Msg(roundTrip(t, paid)); got != "paid, transaction 4200001; WeChat Pay reports part or all of it refunded since, outside Kaidian: check the merchant platform before shipping" {
		t.Errorf("en paid = %q", got)
	}
	refund := M("record.audit.refund", "amount", "¥5.00", "refund", "R1-01", "units", int64(0), "reason", "")
	if got := For(ZhCN).Msg(roundTrip(t, refund)); got != "退款 ¥5.00，退款单号 R1-01" {
		t.Errorf("zh refund = %q", got)
	}
}

// TestErrorMsg: a kept error reads as Error writes it, field name first;
// an internal error keeps no cause.
func TestErrorMsg(t *testing.T) {
	e := &errs.Error{Kind: errs.KindInvalid, Code: "x", ID: "error.method_not_allowed", Args: map[string]any{"method": "PUT"}}
	if got := For(ZhCN).Msg(roundTrip(t, ErrorMsg(e))); got != "该接口不支持 PUT 请求" {
		t.Errorf("zh = %q", got)
	}
	plain := errs.Field("tracking_no", "shipping.tracking_no")
	if got, want := For(En).Msg(roundTrip(t, ErrorMsg(plain))), For(En).Error(plain); got != want {
		t.Errorf("en field error = %q, Error writes %q", got, want)
	}
	if got := For(ZhCN).Msg(ErrorMsg(errors.New("pq: connection refused"))); got != "系统繁忙，请稍后再试" {
		t.Errorf("internal = %q", got)
	}
	// A field with no label is quoted as sent; an error quoted in another is
	// kept as a message too: both read back as Error writes them.
	unknown := errs.Invalid("unknown_field", "httpx.unknown_field").With("field", "colour")
	inner := errs.Field("spec_dims[0].name", "catalog.spec_name", "max", 20)
	outer := errs.Field("spec_dims", "catalog.import_spec_dims", "title", "杯子", "problem", inner)
	for _, e := range []error{unknown, outer} {
		for _, l := range Langs {
			if got, want := For(l).Msg(roundTrip(t, ErrorMsg(e))), For(l).Error(e); got != want {
				t.Errorf("%s: kept %q, Error writes %q", l, got, want)
			}
		}
	}
}

func TestMoment(t *testing.T) {
	if got := Moment(time.Date(2026, 12, 6, 2, 7, 0, 0, time.UTC)); got != "2026-12-06 10:07" {
		t.Errorf("Moment = %q", got)
	}
}

// TestEmptyNestedMsg: a message naming an empty one writes nothing for it.
func TestEmptyNestedMsg(t *testing.T) {
	m := roundTrip(t, M("record.stock.after_flash_sale", "reason", Msg{}))
	if got := For(En).Msg(m); got != " after the flash sale ended" {
		t.Errorf("en = %q", got)
	}
}
