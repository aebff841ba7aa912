package i18n

import (
	"errors"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
)

func TestMatch(t *testing.T) {
	for in, want := range map[string]Lang{
		"":                               ZhCN,
		"zh-CN,zh;q=0.9":                 ZhCN,
		"zh":                             ZhCN,
		"zh-TW":                          ZhCN,
		"en-US,en;q=0.9":                 En,
		"en":                             En,
		"fr-FR":                          ZhCN,
		"fr-FR,en;q=0.5":                 En,
		"en;q=0.4,zh-CN;q=0.8":           ZhCN,
		"de;q=0.9, en-GB;q=0.8, *;q=0.1": En,
		"this is not a header,,;;":       ZhCN,
	} {
		if got := Match(in); got != want {
			t.Errorf("Match(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestWhenAndDay(t *testing.T) {
	at := time.Date(2026, 12, 6, 2, 7, 0, 0, time.UTC) // 10:07 in China
	if got := For(ZhCN).When(at); got != "2026年12月6日 10:07" {
		t.Errorf("zh When = %q", got)
	}
	if got := For(En).When(&at); got != "6 Dec 2026 10:07" {
		t.Errorf("en When = %q", got)
	}
	if got := For(ZhCN).Day(at); got != "2026年12月6日" {
		t.Errorf("zh Day = %q", got)
	}
	var none *time.Time
	if For(ZhCN).When(none) != "" || For(En).When(time.Time{}) != "" {
		t.Error("no time should print as nothing")
	}
}

func TestErrorText(t *testing.T) {
	internal := errors.New("pq: connection refused to 10.0.0.3")
	if got := For(ZhCN).Error(internal); got != "系统繁忙，请稍后再试" {
		t.Errorf("internal error in zh = %q", got)
	}
	if got := For(En).Error(internal); got != "Something went wrong on our side" {
		t.Errorf("internal error in en = %q", got)
	}
	e := &errs.Error{Kind: errs.KindInvalid, Code: "x", ID: "error.method_not_allowed", Args: map[string]any{"method": "PATCH"}}
	if got := For(ZhCN).Error(e); got != "该接口不支持 PATCH 请求" {
		t.Errorf("zh = %q", got)
	}
	if got := For(En).Error(e); got != "this route does not accept PATCH" {
		t.Errorf("en = %q", got)
	}
	if got := For(En).T("no.such.id"); got != "[no.such.id]" {
		t.Errorf("a missing id prints %q", got)
	}
}

func TestMsgRoundTrip(t *testing.T) {
	m := M("error.method_not_allowed", "method", "PUT")
	v, err := m.Value()
	if err != nil {
		t.Fatal(err)
	}
	var back Msg
	if err := back.Scan(v); err != nil {
		t.Fatal(err)
	}
	if got := For(En).Msg(back); got != "this route does not accept PUT" {
		t.Errorf("en = %q", got)
	}
	if got := For(ZhCN).Msg(back); got != "该接口不支持 PUT 请求" {
		t.Errorf("zh = %q", got)
	}
	var old Msg
	old.Scan([]byte("¥29.90 → ¥25.00"))
	if got := For(ZhCN).Msg(old); got != "¥29.90 → ¥25.00" {
		t.Errorf("an old plain-text row reads %q", got)
	}
}

// TestCountWithoutPluralForms: a message written as plain text reads the
// same for a count of one, in both languages (go-i18n alone would refuse
// it for want of a "one" form).
func TestCountWithoutPluralForms(t *testing.T) {
	for _, l := range Langs {
		if got := For(l).T("error.method_not_allowed", "method", "GET", "count", 1); got == "[error.method_not_allowed]" {
			t.Errorf("%s: count 1 gives %q", l, got)
		}
	}
}
