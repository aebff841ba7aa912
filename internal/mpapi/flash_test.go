package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/flashsale"
)

func scheduleFlash(t *testing.T, e *apptest.Env, sku int64, start time.Time, units int64, limit int) flashsale.Sale {
	t.Helper()
	s, err := e.App.Flash.Create(context.Background(), "merchant:test", flashsale.Input{
		Title: "限量发售", StartsAt: start, EndsAt: start.Add(time.Hour), PerShopperLimit: limit,
		PayWindow: 5 * time.Minute, Items: []flashsale.ItemInput{{SKUID: sku, Price: 1990, Units: units}},
	})
	if err != nil {
		t.Fatalf("schedule flash sale: %v", err)
	}
	return s
}

type flashSaleBody struct {
	ID         int64     `json:"id"`
	Status     string    `json:"status"`
	ServerTime time.Time `json:"server_time"`
	Items      []struct {
		SKUID     int64 `json:"sku_id"`
		Price     int64 `json:"price"`
		Available int64 `json:"available"`
	} `json:"items"`
}

func TestFlashSaleOverHTTP(t *testing.T) {
	e := apptest.Start(t)
	const units, buyers = 5, 30
	sku := e.Product(t, apptest.SKU{Price: 9900, Stock: 100}).SKUs[0].ID
	live := scheduleFlash(t, e, sku, time.Now().UTC().Add(-time.Second), units, 1)
	soon := scheduleFlash(t, e, sku, time.Now().UTC().Add(time.Hour), 10, 1)

	var list struct {
		ServerTime time.Time       `json:"server_time"`
		Items      []flashSaleBody `json:"items"`
		NextCursor string          `json:"next_cursor"`
	}
	e.Get("/api/v1/flash-sales?limit=1", "").Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != live.ID || list.Items[0].Status != "live" || list.NextCursor == "" ||
		time.Since(list.ServerTime).Abs() > time.Minute {
		t.Fatalf("first page of flash sales: %+v", list)
	}
	e.Get("/api/v1/flash-sales?limit=1&cursor="+list.NextCursor, "").Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != soon.ID || list.Items[0].Status != "upcoming" || list.NextCursor != "" {
		t.Fatalf("second page of flash sales: %+v", list)
	}
	if r := e.Get("/api/v1/flash-sales/999999", ""); r.Status != http.StatusNotFound || r.ErrorCode() != "flash_sale_not_found" {
		t.Fatalf("unknown flash sale: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/flash-sales?limit=0", ""); r.Status != http.StatusBadRequest {
		t.Fatalf("bad limit: %d %s", r.Status, r.Body)
	}

	tok, addr := shopperWithAddress(t, e, "early-bird")
	buy := func(tok string, addr, sale int64) *apptest.Response {
		return e.Post("/api/v1/orders", tok, map[string]any{"flash_sale_id": sale, "address_id": addr,
			"items": []map[string]any{{"sku_id": sku, "quantity": 1}}})
	}
	if r := buy(tok, addr, soon.ID); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "not_started" {
		t.Fatalf("before the start: %d %s", r.Status, r.Body)
	}
	r := e.Post("/api/v1/orders/preview", tok, map[string]any{"flash_sale_id": live.ID, "address_id": addr,
		"items": []map[string]any{{"sku_id": sku, "quantity": 1}}})
	if r.Status != http.StatusOK || int64(r.JSON(t)["goods_amount"].(float64)) != 1990 {
		t.Fatalf("preview at the flash price: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/orders", tok, map[string]any{"flash_sale_id": live.ID, "address_id": addr, "cart_item_ids": []int64{1}}); r.Status != http.StatusBadRequest {
		t.Fatalf("flash sale from the cart: %d %s", r.Status, r.Body)
	}

	// The stampede: every buyer at once, more buyers than units.
	type buyer struct {
		tok  string
		addr int64
	}
	bs := make([]buyer, buyers)
	for i := range bs {
		bs[i].tok, bs[i].addr = shopperWithAddress(t, e, fmt.Sprint("fan", i))
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[string]int{}
		orders   []string
		winner   buyer
		start    = make(chan struct{})
	)
	for _, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := buy(b.tok, b.addr, live.ID)
			mu.Lock()
			defer mu.Unlock()
			statuses[fmt.Sprint(r.Status, " ", r.ErrorCode())]++
			if r.Status == http.StatusCreated {
				orders = append(orders, r.JSON(t)["order_no"].(string))
				winner = b
			}
		}()
	}
	close(start)
	wg.Wait()
	if statuses["201 "] != units || statuses["409 sold_out"] != buyers-units {
		t.Fatalf("statuses %v: want %d created and the rest sold_out", statuses, units)
	}
	waitFor(t, "the sale to show sold out", func() bool {
		var s flashSaleBody
		e.Get(fmt.Sprint("/api/v1/flash-sales/", live.ID), "").Decode(t, &s)
		return s.Status == "sold_out" && s.Items[0].Available == 0 && s.Items[0].Price == 1990
	})

	// A winner pays through the sandbox; the order says which sale it came from.
	no := orders[len(orders)-1]
	var o struct {
		FlashSaleID *int64 `json:"flash_sale_id"`
		ExpiresAt   time.Time
		CreatedAt   time.Time `json:"created_at"`
		Expires     time.Time `json:"expires_at"`
	}
	e.Get("/api/v1/orders/"+no, winner.tok).Decode(t, &o)
	if o.FlashSaleID == nil || *o.FlashSaleID != live.ID || o.Expires.Sub(o.CreatedAt) != 5*time.Minute {
		t.Fatalf("flash order: %+v", o)
	}
	pkg, _ := e.Post("/api/v1/orders/"+no+"/pay", winner.tok, nil).JSON(t)["package"].(string)
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": strings.TrimPrefix(pkg, "prepay_id="), "result": "success"}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	waitFor(t, "the flash order to be paid", func() bool {
		return e.Get("/api/v1/orders/"+no, winner.tok).JSON(t)["status"] == "paid"
	})
	got, err := e.App.Flash.Get(context.Background(), live.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it := got.Items[0]; it.Sold != 1 || it.Held != units-1 || it.Available != 0 {
		t.Fatalf("sale after one payment: %+v", it)
	}
}

// While a stampede hits a flash sale, the rest of the shop keeps answering:
// catalog reads and cart writes made in the middle of it all succeed.
func TestShopKeepsAnsweringDuringAFlashStampede(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 9900, Stock: 1000}, apptest.SKU{Price: 500, Stock: 1000})
	sale := scheduleFlash(t, e, p.SKUs[0].ID, time.Now().UTC().Add(-time.Second), 50, 1)
	const stampede, browsers = 120, 10
	type buyer struct {
		tok  string
		addr int64
	}
	bs := make([]buyer, stampede)
	for i := range bs {
		bs[i].tok, bs[i].addr = shopperWithAddress(t, e, fmt.Sprint("crowd", i))
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		flash   = map[int]int{}
		others  = map[string]int{}
		start   = make(chan struct{})
		shopTok = e.Token("just-browsing")
	)
	for _, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := e.Post("/api/v1/orders", b.tok, map[string]any{"flash_sale_id": sale.ID, "address_id": b.addr,
				"items": []map[string]any{{"sku_id": p.SKUs[0].ID, "quantity": 1}}})
			mu.Lock()
			flash[r.Status]++
			mu.Unlock()
		}()
	}
	for i := range browsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			reads := []*apptest.Response{e.Get("/api/v1/products?limit=20", ""), e.Get(fmt.Sprint("/api/v1/products/", p.ID), ""),
				e.Get("/api/v1/categories", ""), e.Get(fmt.Sprint("/api/v1/flash-sales/", sale.ID), "")}
			add := e.Post("/api/v1/cart/items", shopTok, map[string]any{"sku_id": p.SKUs[1].ID, "quantity": 1 + i})
			mu.Lock()
			defer mu.Unlock()
			for _, r := range append(reads, add) {
				others[fmt.Sprint(r.Status)]++
			}
		}()
	}
	close(start)
	wg.Wait()
	if flash[http.StatusCreated] != 50 || flash[http.StatusConflict] != stampede-50 {
		t.Fatalf("flash statuses %v", flash)
	}
	if others["200"]+others["201"] != 5*browsers {
		t.Fatalf("catalog and cart during the stampede: %v, want every one answered 200/201", others)
	}
}
