package i18n

import (
	"testing"

	"github.com/kaidian/kaidian/internal/errs"
)

func TestFieldErrorsNameTheField(t *testing.T) {
	price := errs.Field("skus[2].price", "invalid.price", "max", "¥99,999.99")
	for _, tc := range []struct {
		lang        Lang
		err         *errs.Error
		full, alone string
	}{
		{ZhCN, price, "第 3 个 SKU 的售价：须在 ¥0 到 ¥99,999.99 之间", "须在 ¥0 到 ¥99,999.99 之间"},
		{En, price, "SKU 3 price: must be ¥0 to ¥99,999.99", "must be ¥0 to ¥99,999.99"},
		// A field the request should not have sent has no label: it is quoted as sent.
		{ZhCN, errs.Invalid("unknown_field", "httpx.unknown_field").With("field", "colour"), "字段“colour”：不是可接受的字段", "不是可接受的字段"},
		{En, errs.Invalid("unknown_field", "httpx.unknown_field").With("field", "colour"), "colour: is not a known field", "is not a known field"},
	} {
		if got := For(tc.lang).Error(tc.err); got != tc.full {
			t.Errorf("%s Error = %q, want %q", tc.lang, got, tc.full)
		}
		if got := For(tc.lang).FieldError(tc.err); got != tc.alone {
			t.Errorf("%s FieldError = %q, want %q", tc.lang, got, tc.alone)
		}
	}
}

func TestMessagesQuoteErrorsInTheSameLanguage(t *testing.T) {
	inner := errs.Field("spec_dims[0].name", "catalog.spec_name", "max", 20)
	outer := errs.Field("spec_dims", "catalog.import_spec_dims", "title", "杯子", "problem", inner)
	if got := For(ZhCN).Error(outer); got != "规格项：“杯子”：第 1 个规格项的名称：不能为空、不能重复，最多 20 个字" {
		t.Errorf("zh = %q", got)
	}
	if got := For(En).Error(outer); got != `spec dimensions: "杯子": spec dimension 1 name: must be non-empty, distinct, at most 20 characters` {
		t.Errorf("en = %q", got)
	}
	m := M("shipping.not_paid", "status", M("order.status.pending_payment"))
	if got, want := For(ZhCN).Msg(m), "订单状态为“"+For(ZhCN).T("order.status.pending_payment")+"”，只有待发货的订单才能发货"; got != want {
		t.Errorf("nested Msg = %q, want %q", got, want)
	}
	if got := For(En).Msg(ErrorMsg(errs.Field("quantity", "invalid.quantity"))); got != "quantity: must be from 1 to 999" {
		t.Errorf("ErrorMsg = %q", got)
	}
}
