package console

import (
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/i18n"
)

// A flash sale's spans in each language: 秒杀's sell-out times and pay windows.
func TestFlashDuration(t *testing.T) {
	zh, en := i18n.For(i18n.ZhCN), i18n.For(i18n.En)
	for d, want := range map[time.Duration][2]string{
		850 * time.Millisecond:             {"850 毫秒", "850ms"},
		4200 * time.Millisecond:            {"4.2 秒", "4.2s"},
		3*time.Minute + 5*time.Second:      {"3 分 05 秒", "3m 05s"},
		2*time.Hour + 10*time.Minute + 9e9: {"2 小时 10 分", "2h 10m"},
	} {
		if got := [2]string{flashDuration(zh, d), flashDuration(en, d)}; got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}
