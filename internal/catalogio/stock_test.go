package catalogio_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// Merchants taking stock away at once never take more than there is: each
// refused adjustment names the quantity field, and the ledger and the audit
// log record exactly the ones that happened.
func TestConcurrentAdjustmentsNeverOversell(t *testing.T) {
	f := newFixture(t)
	f.mustImport(t, "one.csv", csvLines("sku_code,product_title,category,price,stock", "ONE,单品,类,10,10"))
	id := f.sku(t, "ONE").ID
	ctx := context.Background()
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := f.io.Adjust(ctx, id, -1, "damaged", actor)
			switch e := errs.As(err); {
			case err == nil:
				ok.Add(1)
			case e.Details["field"] == "quantity":
				refused.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 10 || refused.Load() != 10 || f.sku(t, "ONE").Stock != 0 {
		t.Fatalf("%d adjusted, %d refused, stock %d", ok.Load(), refused.Load(), f.sku(t, "ONE").Stock)
	}
	f.ledgerMatchesStock(t)
	if n := f.countRead(t, "(damaged)", "（damaged）", "SELECT detail FROM audit_log WHERE action = 'stock.adjust'"); n != 10 {
		t.Fatalf("%d audit entries", n)
	}
}

func TestAdjustValidation(t *testing.T) {
	f := newFixture(t)
	f.mustImport(t, "one.csv", csvLines("sku_code,product_title,category,price,stock", "ONE,单品,类,10,3"))
	id := f.sku(t, "ONE").ID
	for _, tc := range []struct {
		delta  int64
		reason string
		field  string
	}{
		{0, "count", "quantity"}, {5, "  ", "reason"}, {-4, "count", "quantity"}, {1, "a\nb", "reason"},
	} {
		_, err := f.io.Adjust(context.Background(), id, tc.delta, tc.reason, actor)
		if errs.As(err).Details["field"] != tc.field {
			t.Errorf("adjust %d %q: %v, want an error on %s", tc.delta, tc.reason, err, tc.field)
		}
	}
	if _, err := f.io.Adjust(context.Background(), id+100, 1, "x", actor); errs.As(err).Kind != errs.KindNotFound {
		t.Errorf("unknown SKU: %v", err)
	}
	if after, err := f.io.Adjust(context.Background(), id, -3, "count", actor); err != nil || after != 0 {
		t.Fatalf("taking all: %d %v", after, err)
	}
}

func TestStockListFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	f.mustImport(t, "skus.csv", csvLines(header,
		"红茶 100%,茶,TEA-1,,30,,2,1",
		"绿茶,茶,TEA-2,,30,,9,1",
		"Green_Tea,茶,GT-1,,30,,1,0",
		"乌龙,茶,OOLONG,,30,,50,1"))
	ctx := context.Background()
	codes := func(q catalogio.StockQuery) []string {
		t.Helper()
		rows, _, err := f.io.StockList(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Code)
		}
		return out
	}
	for _, tc := range []struct {
		q    catalogio.StockQuery
		want string
	}{
		{catalogio.StockQuery{}, "[OOLONG GT-1 TEA-2 TEA-1]"},
		{catalogio.StockQuery{LowStock: true, Threshold: 5}, "[TEA-1]"}, // GT-1 is off sale
		{catalogio.StockQuery{Q: "tea-"}, "[TEA-2 TEA-1]"},              // code prefix, any case
		{catalogio.StockQuery{Q: "茶"}, "[TEA-2 TEA-1]"},
		{catalogio.StockQuery{Q: "100%"}, "[TEA-1]"},
		{catalogio.StockQuery{Q: "n_t"}, "[GT-1]"}, // _ is literal
		{catalogio.StockQuery{Q: "%"}, "[TEA-1]"},
	} {
		if got := fmt.Sprint(codes(tc.q)); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.q, got, tc.want)
		}
	}
	var seen []string
	r := page.Request{Limit: 3}
	for {
		rows, next, err := f.io.StockList(ctx, catalogio.StockQuery{Page: r})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			seen = append(seen, row.Code)
		}
		if next == "" {
			break
		}
		if r, err = page.Parse(next, "3"); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(seen) != "[OOLONG GT-1 TEA-2 TEA-1]" {
		t.Fatalf("pages walked %v", seen)
	}
}
