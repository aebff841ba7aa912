package payment

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
)

// shipped is an order of 3 cups (line 11, 1000 fen paid after its coupon
// share) and 2 mugs (line 12, 999 fen paid), shipped, with 800 fen shipping.
var shipped = order.Order{Status: order.StatusShipped, ShippingFee: 800, PayAmount: 2799, Items: []order.Item{
	{ID: 11, SKUID: 1, Title: "杯子", Quantity: 3, LineAmount: 1200, DiscountAmount: 200, PayAmount: 1000},
	{ID: 12, SKUID: 2, Title: "马克杯", Quantity: 2, LineAmount: 1000, DiscountAmount: 1, PayAmount: 999},
}}

func heldBy(status string, items ...RequestItem) RefundRequest {
	return RefundRequest{Status: status, Items: database.JSON[[]RequestItem]{V: items}}
}

// However a line's units are split across requests, their amounts add up
// to exactly what the line cost, to the fen.
func TestItemsShareWhatTheLinePaidExactly(t *testing.T) {
	for _, split := range [][]int64{{1, 1, 1}, {2, 1}, {1, 2}, {3}} {
		var earlier []RefundRequest
		var sum int64
		for _, q := range split {
			items, amount, err := chooseItems(shipped, earlier, []ItemInput{{OrderItemID: 11, Quantity: q}})
			if err != nil {
				t.Fatalf("split %v: %v", split, err)
			}
			sum += amount
			earlier = append(earlier, heldBy(RequestPending, items...))
		}
		if sum != 1000 {
			t.Errorf("split %v adds up to %d fen, want 1000", split, sum)
		}
	}
	items, amount, err := chooseItems(shipped, nil, []ItemInput{{OrderItemID: 11, Quantity: 1}, {OrderItemID: 12, Quantity: 1}})
	if err != nil || amount != 333+499 || items[0].Amount != 333 || items[1].Amount != 499 || items[1].Title != "马克杯" {
		t.Fatalf("one of each: %+v %d %v, want 333 + 499", items, amount, err)
	}
}

func TestItemsNeverBeyondWhatWasBought(t *testing.T) {
	cups := func(q int64) RequestItem { return RequestItem{OrderItemID: 11, SKUID: 1, Quantity: q} }
	for _, tc := range []struct {
		name    string
		earlier []RefundRequest
		in      []ItemInput
		code    string
	}{
		{"more than bought", nil, []ItemInput{{OrderItemID: 11, Quantity: 4}}, "refund_items_exceed"},
		{"held by a pending request", []RefundRequest{heldBy(RequestPending, cups(2))}, []ItemInput{{OrderItemID: 11, Quantity: 2}}, "refund_items_exceed"},
		{"held by a refunded return", []RefundRequest{heldBy(RequestRefunded, cups(3))}, []ItemInput{{OrderItemID: 11, Quantity: 1}}, "refund_items_exceed"},
		{"freed by a declined request", []RefundRequest{heldBy(RequestDeclined, cups(3))}, []ItemInput{{OrderItemID: 11, Quantity: 3}}, ""},
		{"freed by a cancelled request", []RefundRequest{heldBy(RequestCancelled, cups(3))}, []ItemInput{{OrderItemID: 11, Quantity: 3}}, ""},
		{"a line of another order", nil, []ItemInput{{OrderItemID: 99, Quantity: 1}}, "order_item_not_found"},
	} {
		_, _, err := chooseItems(shipped, tc.earlier, tc.in)
		if got := errs.As(err).Code; (err == nil) != (tc.code == "") || err != nil && got != tc.code {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.code)
		}
	}
}

// The shipping fee goes with the last units of an order that never shipped.
func TestShippingFeeGoesWithTheLastUnitsBeforeShipping(t *testing.T) {
	paid := shipped
	paid.Status = order.StatusPaid
	all := []ItemInput{{OrderItemID: 11, Quantity: 3}, {OrderItemID: 12, Quantity: 2}}
	if _, amount, _ := chooseItems(paid, nil, all); amount != 2799 {
		t.Errorf("everything before shipping: %d, want 2799 (goods and shipping)", amount)
	}
	if _, amount, _ := chooseItems(shipped, nil, all); amount != 1999 {
		t.Errorf("everything after shipping: %d, want 1999 (goods only)", amount)
	}
	if _, amount, _ := chooseItems(paid, nil, all[:1]); amount != 1000 {
		t.Errorf("some before shipping: %d, want 1000", amount)
	}
}

func TestShareCannotOverflow(t *testing.T) {
	want := new(big.Int).Div(new(big.Int).Mul(big.NewInt(math.MaxInt64), big.NewInt(2)), big.NewInt(3)).Int64()
	if got := share(math.MaxInt64, 3, 2); got != want {
		t.Errorf("share(max, 3, 2) = %d, want %d", got, want)
	}
	if got := share(math.MaxInt64, math.MaxInt64, math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("share of everything = %d", got)
	}
}

func TestAfterSaleInputIsCheckedFirst(t *testing.T) {
	nine := strings.Split(strings.Repeat("/uploads/x.jpg,", 10), ",")[:10]
	for _, tc := range []struct {
		name  string
		in    RequestInput
		field string
	}{
		{"unknown type", RequestInput{Type: "exchange"}, "type"},
		{"a return without items", RequestInput{Type: TypeReturnRefund}, "items"},
		{"an amount and items", RequestInput{Amount: 5, Items: []ItemInput{{OrderItemID: 1, Quantity: 1}}}, "amount"},
		{"ten photos", RequestInput{Photos: nine}, "photos"},
		{"zero units", RequestInput{Items: []ItemInput{{OrderItemID: 1, Quantity: 0}}}, "items"},
		{"negative units", RequestInput{Items: []ItemInput{{OrderItemID: 1, Quantity: -2}}}, "items"},
		{"no line", RequestInput{Items: []ItemInput{{Quantity: 1}}}, "items"},
		{"a line twice", RequestInput{Items: []ItemInput{{OrderItemID: 1, Quantity: 1}, {OrderItemID: 1, Quantity: 1}}}, "items"},
		{"an empty photo", RequestInput{Photos: []string{" "}}, "photos"},
	} {
		err := normalizeAfterSale(&tc.in)
		if field, _ := errs.As(err).Details["field"].(string); field != tc.field {
			t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
		}
	}
	in := RequestInput{}
	if err := normalizeAfterSale(&in); err != nil || in.Type != TypeRefundOnly {
		t.Errorf("no type: %v %q, want refund_only", err, in.Type)
	}
}
