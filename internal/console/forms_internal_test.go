package console

import (
	"net/url"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/errs"
)

func TestOrderFilterFormValidate(t *testing.T) {
	f := orderFilterForm{NewForm(nil, url.Values{"status": {"paid"}, "from": {"2026-01-30"}, "to": {"2026-01-31"}, "flash_sale": {" 7 "}})}
	q, err := f.Validate()
	if err != nil || q.Status != "paid" || q.FlashSale != 7 || !f.Filtered() {
		t.Fatalf("%+v %v", q, err)
	}
	// Both days included, in the shop's time zone.
	if !q.From.Equal(time.Date(2026, 1, 30, 0, 0, 0, 0, clock.China)) || !q.To.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, clock.China)) {
		t.Fatalf("from %v to %v", q.From, q.To)
	}
	for field, v := range map[string]url.Values{"flash_sale": {"flash_sale": {"-1"}}, "from": {"from": {"30/01/2026"}}, "to": {"to": {"tomorrow"}}} {
		if _, err := (orderFilterForm{NewForm(nil, v)}).Validate(); errs.As(err).Details["field"] != field {
			t.Errorf("%v: %v", v, err)
		}
	}
	if (orderFilterForm{NewForm(nil, url.Values{"cursor": {"x"}})}).Filtered() {
		t.Error("a cursor alone counts as a filter")
	}
}

func TestAdjustFormValidate(t *testing.T) {
	f := readAdjustForm(NewForm(nil, url.Values{"quantity": {" -3 "}, "reason": {"盘点"}, "_csrf": {"t"}}))
	if d, err := f.Validate(); err != nil || d != -3 || f.Get("reason") != "盘点" || f.Get("_csrf") != "" {
		t.Fatalf("%d %v %v", d, err, f.Values)
	}
	if _, err := readAdjustForm(NewForm(nil, url.Values{"quantity": {"1.5"}})).Validate(); errs.As(err).Details["field"] != "quantity" {
		t.Fatalf("1.5: %v", err)
	}
}
