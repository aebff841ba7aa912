package console

import (
	"html/template"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// TestTemplateMoney renders the template functions pages use for money, so
// negative amounts print with the sign in front in every one of them.
func TestTemplateMoney(t *testing.T) {
	for _, l := range i18n.Langs {
		tpl := template.Must(template.New("m").Funcs(funcs(i18n.For(l))).Parse(`{{range .}}{{yuan .}}|{{fenInput .}};{{end}}`))
		var b strings.Builder
		if err := tpl.Execute(&b, []int64{2990, 0, 5, -150, 123456789}); err != nil {
			t.Fatal(err)
		}
		if want := "¥29.90|29.90;¥0.00|0.00;¥0.05|0.05;-¥1.50|-1.50;¥1,234,567.89|1234567.89;"; b.String() != want {
			t.Errorf("%s: got %q, want %q", l, b.String(), want)
		}
	}
}

func TestParseFen(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64 // -1: refused
	}{
		{"12", 1200}, {"12.5", 1250}, {"12.50", 1250}, {"¥12.50", 1250}, {" ¥ 12 ", 1200}, {"0", 0}, {"12.", 1200},
		{"", -1}, {"-0", -1}, {"-0.01", -1}, {"-5", -1}, {"1.234", -1}, {"abc", -1}, {".5", -1},
		{"１.00", -1}, {"1,000", -1}, {"99999999999999999999", -1},
	} {
		got, err := parseFen("price", tc.in)
		if tc.want < 0 {
			if e := errs.As(err); err == nil || e.ID != "console.yuan" || e.Details["field"] != "price" {
				t.Errorf("parseFen(%q) = %d, %v; want the field error", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseFen(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}
