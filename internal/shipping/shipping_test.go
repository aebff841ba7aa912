package shipping

import (
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
)

func TestParseCSV(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		rows     []Row
		bad      []wantRow
	}{
		{name: "header, BOM and CRLF as Excel saves it", in: "\ufefforder_no,carrier,tracking_no\r\nA1,SF,SF1\r\n\r\nA2, 中通快递 ,ZT2\r\n",
			rows: []Row{{Line: 2, Input: Input{"A1", "SF", "SF1"}}, {Line: 4, Input: Input{"A2", "中通快递 ", "ZT2"}}}},
		{name: "Chinese header", in: "订单号,快递公司,运单号\nA1,中通快递,ZT1\n", rows: []Row{{Line: 2, Input: Input{"A1", "中通快递", "ZT1"}}}},
		{name: "no header", in: "A1,SF,SF1\n", rows: []Row{{Line: 1, Input: Input{"A1", "SF", "SF1"}}}},
		{name: "wrong column counts", in: "A1,SF\nA2,SF,SF2,extra\nA3,SF,SF3\n",
			rows: []Row{{Line: 3, Input: Input{"A3", "SF", "SF3"}}},
			bad: []wantRow{{Line: 1, OrderNo: "A1", Message: "has 2 columns; expected 3: order_no,carrier,tracking_no"},
				{Line: 2, OrderNo: "A2", Message: "has 4 columns; expected 3: order_no,carrier,tracking_no"}}},
		{name: "a broken quote", in: "A1,SF,\"SF1\nA2,SF,SF2\n", bad: []wantRow{{Line: 1, Message: `cannot be read as CSV: extraneous or missing " in quoted-field`}}},
		{name: "empty", in: "order_no,carrier,tracking_no\n", bad: []wantRow{{Message: "the file has no orders in it"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, bad := ParseCSV(strings.NewReader(tc.in))
			en := i18n.For(i18n.En)
			if len(rows) != len(tc.rows) || len(bad) != len(tc.bad) {
				t.Fatalf("rows %+v, bad %+v", rows, bad)
			}
			for i := range rows {
				if rows[i] != tc.rows[i] {
					t.Errorf("row %d: %+v, want %+v", i, rows[i], tc.rows[i])
				}
			}
			for i := range bad {
				if got := (wantRow{bad[i].Line, bad[i].OrderNo, en.Msg(bad[i].Message)}); got != tc.bad[i] {
					t.Errorf("error %d: %+v, want %+v", i, got, tc.bad[i])
				}
			}
		})
	}
	var big strings.Builder
	for range MaxRows + 1 {
		big.WriteString("A,SF,SF1\n")
	}
	if _, bad := ParseCSV(strings.NewReader(big.String())); len(bad) != 1 || !strings.Contains(en.Msg(bad[0].Message), "split it") ||
		zh.Msg(bad[0].Message) != "文件超过 5000 行，请拆分后再上传" {
		t.Fatalf("a file too long: %+v", bad)
	}
}

func TestInputIsNormalized(t *testing.T) {
	for _, tc := range []struct {
		in      Input
		carrier string
		field   string
	}{
		{Input{" A1 ", "sf", " SF123 "}, "SF", ""},
		{Input{"A1", "顺丰速运", "SF123456"}, "SF", ""},
		{Input{"A1", "zjs", "ZJS-0001"}, "ZJS", ""}, // a delivery id not in the list
		{Input{"", "SF", "SF1234"}, "", "order_no"},
		{Input{"A1", "", "SF1234"}, "", "carrier"},
		{Input{"A1", "顺丰", "SF1234"}, "", "carrier"},
		{Input{"A1", "SF", "SF 1234"}, "", "tracking_no"},
		{Input{"A1", "SF", "123"}, "", "tracking_no"},
		{Input{"A1", "SF", strings.Repeat("9", 129)}, "", "tracking_no"},
	} {
		in := tc.in
		err := in.normalize()
		field := ""
		if err != nil {
			field, _ = errsField(err)
		}
		if field != tc.field || (err == nil && (in.Carrier != tc.carrier || in.OrderNo != "A1" || strings.ContainsRune(in.TrackingNo, ' '))) {
			t.Errorf("%+v: %+v, %v", tc.in, in, err)
		}
	}
}

func TestWhatWeChatIsToldAboutTheParcel(t *testing.T) {
	items := []order.Item{{Title: "蓝色马克杯", Quantity: 2}, {Title: "白T恤", Quantity: 1}}
	if got := itemDesc(items); got != "蓝色马克杯 ×2, 白T恤 ×1" {
		t.Fatalf("itemDesc: %q", got)
	}
	long := itemDesc([]order.Item{{Title: strings.Repeat("长", 200), Quantity: 1}})
	if n := len([]rune(long)); n != 120 || !strings.HasSuffix(long, "…") {
		t.Fatalf("a long description has %d characters", n)
	}
	for in, want := range map[string]string{"13800138000": "138****8000", "+86 13800138000": "+86****8000", "12345": "****"} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRetriesBackOffToAnHour(t *testing.T) {
	s := &Service{retryAfter: 10 * time.Second}
	for n, want := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 5: 160 * time.Second, 12: time.Hour, 40: time.Hour} {
		if got := s.backoff(n); got != want {
			t.Errorf("after %d failures: %v, want %v", n, got, want)
		}
	}
}

func errsField(err error) (string, bool) {
	f, ok := errs.As(err).Details["field"].(string)
	return f, ok
}

// wantRow is a RowError as an English reader reads it.
type wantRow struct {
	Line             int
	OrderNo, Message string
}

var en, zh = i18n.For(i18n.En), i18n.For(i18n.ZhCN)
