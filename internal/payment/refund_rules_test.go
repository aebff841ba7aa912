package payment

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/order"
)

// paid is an order of 3 cups (SKU 1) and 2 mugs (SKU 2), 5000 fen paid through WeChat Pay.
var paid = order.Order{Status: order.StatusPaid, TransactionID: "4200000001", PayAmount: 5000, Items: []order.Item{{SKUID: 1, Quantity: 3}, {SKUID: 2, Quantity: 2}}}

func earlier(status string, amount int64, restock ...inventory.Line) Refund {
	return Refund{Status: status, Amount: amount, Restock: database.JSON[[]inventory.Line]{V: restock}}
}

func TestRefundableIsThePaymentLessRefundsNotFailed(t *testing.T) {
	for _, tc := range []struct {
		name    string
		earlier []Refund
		want    int64
	}{
		{"none yet", nil, 5000},
		{"one succeeded", []Refund{earlier(RefundSucceeded, 1200)}, 3800},
		{"processing ones may yet succeed", []Refund{earlier(RefundProcessing, 1000), earlier(RefundSucceeded, 500)}, 3500},
		{"failed ones give the money back", []Refund{earlier(RefundFailed, 4000), earlier(RefundSucceeded, 500)}, 4500},
		{"all of it", []Refund{earlier(RefundSucceeded, 3000), earlier(RefundProcessing, 2000)}, 0},
	} {
		if got := refundable(paid, tc.earlier); got != tc.want {
			t.Errorf("%s: refundable = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestRestockLinesSplitWhatTheOrderSold(t *testing.T) {
	cups := func(q int64) inventory.Line { return inventory.Line{SKUID: 1, Quantity: q} }
	mugs := func(q int64) inventory.Line { return inventory.Line{SKUID: 2, Quantity: q} }
	for _, tc := range []struct {
		name    string
		earlier []Refund
		in      RefundInput
		want    []inventory.Line
		code    string // the error's code, "" for none
	}{
		{"nothing asked", nil, RefundInput{}, nil, ""},
		{"some of one SKU", nil, RefundInput{Restock: []inventory.Line{cups(2)}}, []inventory.Line{cups(2)}, ""},
		{"all of both", nil, RefundInput{Restock: []inventory.Line{cups(3), mugs(2)}}, []inventory.Line{cups(3), mugs(2)}, ""},
		{"more than sold", nil, RefundInput{Restock: []inventory.Line{mugs(3)}}, nil, "restock_exceeds_sold"},
		{"a SKU the order lacks", nil, RefundInput{Restock: []inventory.Line{{SKUID: 9, Quantity: 1}}}, nil, "restock_exceeds_sold"},
		{"in slices past what was sold", nil, RefundInput{Restock: []inventory.Line{cups(2), cups(2)}}, nil, "restock_exceeds_sold"},
		{"zero units", nil, RefundInput{Restock: []inventory.Line{cups(0)}}, nil, "invalid_field"},
		{"negative units", nil, RefundInput{Restock: []inventory.Line{cups(-1)}}, nil, "invalid_field"},
		{"less what earlier refunds put back", []Refund{earlier(RefundSucceeded, 100, cups(2))},
			RefundInput{Restock: []inventory.Line{cups(2)}}, nil, "restock_exceeds_sold"},
		{"a failed refund put nothing back", []Refund{earlier(RefundFailed, 100, cups(3))},
			RefundInput{Restock: []inventory.Line{cups(3)}}, []inventory.Line{cups(3)}, ""},
		{"all: every unit left", []Refund{earlier(RefundProcessing, 100, cups(1))},
			RefundInput{RestockAll: true}, []inventory.Line{cups(2), mugs(2)}, ""},
		{"all: nothing left of a SKU", []Refund{earlier(RefundSucceeded, 100, mugs(2))},
			RefundInput{RestockAll: true}, []inventory.Line{cups(3)}, ""},
		{"all: nothing left at all", []Refund{earlier(RefundSucceeded, 100, cups(3), mugs(2))},
			RefundInput{RestockAll: true}, nil, ""},
	} {
		got, err := restockLines(paid, tc.earlier, tc.in)
		switch {
		case tc.code != "" && !errs.Is(err, tc.code):
			t.Errorf("%s: error %v, want code %s", tc.name, err, tc.code)
		case tc.code == "" && err != nil:
			t.Errorf("%s: error %v", tc.name, err)
		case tc.code == "" && !reflect.DeepEqual(got, tc.want):
			t.Errorf("%s: restock %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRestockAllCountsARepeatedSKUOnce(t *testing.T) {
	// Two lines of the same SKU (a flash unit and a regular one, say) give
	// back their sum once, not twice.
	o := order.Order{PayAmount: 300, Items: []order.Item{{SKUID: 1, Quantity: 1}, {SKUID: 1, Quantity: 2}}}
	got, err := restockLines(o, nil, RefundInput{RestockAll: true})
	if want := []inventory.Line{{SKUID: 1, Quantity: 3}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("restock %v %v, want %v", got, err, want)
	}
}

func TestTookMoneyTradeStates(t *testing.T) {
	for state, want := range map[string]bool{
		"SUCCESS": true, "REFUND": true, // refunded since still means the money came
		"NOTPAY": false, "USERPAYING": false, "CLOSED": false, "PAYERROR": false, "REVOKED": false, "": false,
	} {
		if got := tookMoney(state); got != want {
			t.Errorf("tookMoney(%q) = %v, want %v", state, got, want)
		}
	}
}

func TestDescribeRefundForTheAuditLog(t *testing.T) {
	for _, tc := range []struct {
		r    Refund
		want string
	}{
		{Refund{Amount: 1234, OutRefundNo: "RK1-01"}, "¥12.34 refund RK1-01"},
		{Refund{Amount: 5, OutRefundNo: "RK1-02", Reason: i18n.Text("broken")}, "¥0.05 refund RK1-02: broken"},
		{Refund{Amount: 100000, OutRefundNo: "RK1-03", Reason: i18n.Text("returned"),
			Restock: database.JSON[[]inventory.Line]{V: []inventory.Line{{SKUID: 1, Quantity: 2}, {SKUID: 2, Quantity: 1}}}},
			"¥1,000.00 refund RK1-03, 3 back on sale: returned"},
	} {
		if got := i18n.For(i18n.En).Msg(describeRefund(tc.r)); got != tc.want {
			t.Errorf("describeRefund = %q, want %q", got, tc.want)
		}
	}
}

// TestRefundReasonsForWeChat: the automatic refund's reason reaches WeChat
// in Chinese, within WeChat's 80 characters.
func TestRefundReasonsForWeChat(t *testing.T) {
	for why, id := range refundReasons {
		r := wechatText(i18n.M(id))
		if n := utf8.RuneCountInString(r); n == 0 || n > maxReasonRunes || strings.HasPrefix(r, "[") {
			t.Errorf("%s: %q (%d characters)", why, r, n)
		}
	}
	if r := wechatText(i18n.M(refundReasons[order.UnfulfillableSoldOut])); r != "订单已关闭且商品已售罄，款项原路退回" {
		t.Errorf("sold out: %q", r)
	}
	zh := i18n.For(i18n.ZhCN).Msg(describeRefund(Refund{Amount: 500, OutRefundNo: "RK1-04",
		Restock: database.JSON[[]inventory.Line]{V: []inventory.Line{{SKUID: 1, Quantity: 2}}}, Reason: i18n.Text("退一件")}))
	if zh != "退款 ¥5.00，退款单号 RK1-04，2 件退回库存：退一件" {
		t.Errorf("in Chinese: %q", zh)
	}
}
