package customer_test

import (
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/customer"
)

func TestNickname(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"  小明  ", "小明", true},
		{"Ming 小明", "Ming 小明", true},
		{strings.Repeat("长", customer.MaxNickname), strings.Repeat("长", customer.MaxNickname), true},
		{strings.Repeat("长", customer.MaxNickname+1), "", false},
		{strings.Repeat("长", 10000), "", false},
		{"   ", "", false},
		{"", "", false},
		{"小\n明", "", false},
		{"小\t明", "", false},
		{"小\u200b明", "", false}, // zero-width space
		{"小\u202e明", "", false}, // right-to-left override
		{"小\xff明", "", false},   // not UTF-8
	} {
		got, err := customer.Nickname(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Nickname(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"13812345678":   "138****5678",
		"61234567":      "****4567",
		"8613812345678": "861******5678",
		"12345":         "*****",
		"1234567":       "***4567",
	} {
		if got := customer.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
