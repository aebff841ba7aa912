package catalogio

import (
	"fmt"
	"testing"
)

func TestYuanCell(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // fen, "nil" for an empty cell, "error"
	}{
		{"59.90", "5990"}, {"59.9", "5990"}, {"59", "5900"}, {"¥1,299.00", "129900"}, {"￥0.5", "50"},
		{"", "nil"}, {"0", "0"}, {"100000", "10000000"},
		{"100000.01", "error"}, {"1.234", "error"}, {"-1", "error"}, {"abc", "error"}, {".5", "error"}, {"1e3", "error"},
	} {
		fen, err := yuanCell(tc.in)
		got := "nil"
		switch {
		case err != nil:
			got = "error"
		case fen != nil:
			got = fmt.Sprint(*fen)
		}
		if got != tc.want {
			t.Errorf("yuanCell(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"颜色:红;尺码:M", "[{颜色 红} {尺码 M}]"},
		{" 颜色 ： 红 ；尺码：M；", "[{颜色 红} {尺码 M}]"},
		{"规格:a:b", "[{规格 a:b}]"},
		{"", "[]"},
		{"颜色", "error"},
		{"颜色:", "error"},
		{"颜色:红;颜色:蓝", "error"},
		{"a:1;b:2;c:3;d:4", "error"},
	} {
		pairs, err := parseSpec(tc.in)
		got := fmt.Sprint(pairs)
		if err != nil {
			got = "error"
		}
		if got != tc.want {
			t.Errorf("parseSpec(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestOnSaleCell(t *testing.T) {
	for in, want := range map[string]string{"1": "true", "YES": "true", "上架": "true", "0": "false", "否": "false", "off": "false", "": "nil", "2": "error"} {
		v, err := onSaleCell(in)
		got := "nil"
		switch {
		case err != nil:
			got = "error"
		case v != nil:
			got = fmt.Sprint(*v)
		}
		if got != want {
			t.Errorf("onSaleCell(%q) = %s, want %s", in, got, want)
		}
	}
}

// Export guards cells against spreadsheet formulas; import takes the guard off again.
func TestCellGuardRoundTrip(t *testing.T) {
	for _, s := range []string{"=SUM(A1)", "+86", "-5 off", "@home", "'quoted", "plain", ""} {
		if got := uncell(cell(s)); got != s {
			t.Errorf("uncell(cell(%q)) = %q", s, got)
		}
	}
	if cell("=1+1") != "'=1+1" {
		t.Error("a formula is not guarded")
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{`C:\Users\lily\库存.csv`: "库存.csv", "../../etc/passwd": "passwd", "a\nb.csv": "ab.csv", "": "upload.csv"} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
