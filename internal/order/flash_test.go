package order_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/report"
)

// flashSale schedules a sale of units of sku, live from the world's now.
func (w *world) flashSale(t testing.TB, sku, units int64, limit int) flashsale.Sale {
	t.Helper()
	now := w.clock.Now()
	s, err := w.flash.Create(context.Background(), "merchant:1", flashsale.Input{
		Title: "Drop", StartsAt: now, EndsAt: now.Add(time.Hour), PerShopperLimit: limit, PayWindow: 5 * time.Minute,
		Items: []flashsale.ItemInput{{SKUID: sku, Price: 9900, Units: units}},
	})
	must(t, err)
	return s
}

func flashBuy(sale flashsale.Sale, sku int64, qty int) order.PlaceInput {
	id := sale.ID
	return order.PlaceInput{Items: []order.LineInput{line(sku, qty)}, AddressID: 1, FlashSaleID: &id}
}

// item reads the sale's item row.
func (w *world) item(t *testing.T, saleID int64) flashsale.Item {
	t.Helper()
	s, err := w.flash.Get(context.Background(), saleID)
	must(t, err)
	return s.Items[0]
}

// The offers shoppers see take the SKU's title, combination, image (else
// the product's) and regular price from the catalog, and the sale's price and
// units from the sale.
func TestFlashViewOffersCarryTheCatalogsSKU(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 19900, 100)
	must(t, w.db.Conn(ctx).Exec("UPDATE products SET main_image = '/p.jpg' WHERE id = (SELECT product_id FROM skus WHERE id = ?)", sku).Error)
	sale := w.flashSale(t, sku, 40, 2)
	v, err := w.flash.View(ctx, sale.ID)
	must(t, err)
	if len(v.Offers) != 1 {
		t.Fatalf("offers %+v", v.Offers)
	}
	o := v.Offers[0]
	if o.SKUID != sku || o.ItemID != sale.Items[0].ID || o.ProductID != sale.Items[0].ProductID || o.Title != "T-shirt" ||
		o.SpecText != "红 / M" || o.Image != "/p.jpg" || o.Price != 9900 || o.OriginalPrice != 19900 ||
		o.Allotted != 40 || o.Available != 40 {
		t.Fatalf("offer %+v", o)
	}
}

func TestFlashSaleStampedeSellsExactlyTheUnits(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 19900, 1000)
	sale := w.flashSale(t, sku, 50, 2)
	const shoppers, each = 120, 3
	ids := make([]int64, shoppers)
	for i := range ids {
		ids[i] = w.shopper(t, "fan"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	var (
		calls    []func()
		mu       sync.Mutex
		got      = map[int64]int{} // units per shopper
		outcomes = map[string]int{}
	)
	for _, id := range ids {
		for range each { // the same shopper fires several requests at once
			calls = append(calls, func() {
				o, _, err := w.orders.Place(context.Background(), id, flashBuy(sale, sku, 1), "")
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					outcomes[errs.As(err).Code]++
					return
				}
				outcomes["ok"]++
				got[id] += o.ItemCount
			})
		}
	}
	atOnce(calls...)
	t.Logf("outcomes: %v", outcomes)
	if outcomes["ok"] != 50 || outcomes["ok"]+outcomes["sold_out"]+outcomes["limit_reached"] != shoppers*each {
		t.Fatalf("outcomes %v: want exactly 50 orders and only sold_out / limit_reached refusals", outcomes)
	}
	for id, n := range got {
		if n > 2 {
			t.Fatalf("shopper %d holds %d units, limit 2", id, n)
		}
	}
	it := w.item(t, sale.ID)
	if it.Available != 0 || it.Held != 50 || it.SoldOutAt == nil {
		t.Fatalf("item after the stampede: %+v", it)
	}
	stock, ledger := w.stock(t, sku)
	if stock != 950 || ledger != stock {
		t.Fatalf("SKU stock %d, ledger %d: want 950 both (50 allotted to the sale)", stock, ledger)
	}
	if n := w.count(t, "orders"); n != 50 {
		t.Fatalf("%d orders in the database", n)
	}
}

func TestFlashSaleWindowAndInputRules(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku, other := w.sku(t, 19900, 100), w.sku(t, 500, 10)
	sale := w.flashSale(t, sku, 10, 2)

	w.advance(-time.Minute) // the shopper's request arrives before the start
	_, _, err := w.orders.Place(ctx, w.shop, flashBuy(sale, sku, 1), "")
	wantCode(t, err, "not_started")
	w.advance(time.Minute)

	_, _, err = w.orders.Place(ctx, w.shop, flashBuy(sale, other, 1), "")
	wantCode(t, err, "flash_sale_sku")
	_, _, err = w.orders.Place(ctx, w.shop, flashBuy(sale, sku, 3), "")
	wantCode(t, err, "limit_reached")
	missing := flashBuy(sale, sku, 1)
	missing.FlashSaleID = new(int64)
	*missing.FlashSaleID = sale.ID + 100
	_, _, err = w.orders.Place(ctx, w.shop, missing, "")
	wantCode(t, err, "flash_sale_not_found")
	twoLines := flashBuy(sale, sku, 1)
	twoLines.Items = append(twoLines.Items, line(other, 1))
	_, _, err = w.orders.Place(ctx, w.shop, twoLines, "")
	wantCode(t, err, "invalid_field")
	withCoupon := flashBuy(sale, sku, 1)
	withCoupon.CouponID = new(int64)
	*withCoupon.CouponID = 1
	_, _, err = w.orders.Place(ctx, w.shop, withCoupon, "")
	wantCode(t, err, "invalid_field")

	p, err := w.orders.Preview(ctx, w.shop, flashBuy(sale, sku, 2))
	must(t, err)
	if p.GoodsAmount != 2*9900 {
		t.Fatalf("preview at the flash price: %+v", p)
	}
	o, _, err := w.orders.Place(ctx, w.shop, flashBuy(sale, sku, 2), "k1")
	must(t, err)
	if o.GoodsAmount != 2*9900 || o.FlashSaleID == nil || !o.ExpiresAt.Equal(o.CreatedAt.Add(5*time.Minute)) {
		t.Fatalf("flash order: %+v", o)
	}
	again, replayed, err := w.orders.Place(ctx, w.shop, flashBuy(sale, sku, 2), "k1")
	must(t, err)
	if !replayed || again.OrderNo != o.OrderNo {
		t.Fatalf("the same key placed another order: %s vs %s", again.OrderNo, o.OrderNo)
	}
	_, _, err = w.orders.Place(ctx, w.shop, flashBuy(sale, sku, 1), "")
	wantCode(t, err, "limit_reached")

	w.advance(2 * time.Hour)
	_, _, err = w.orders.Place(ctx, w.shopper(t, "late"), flashBuy(sale, sku, 1), "")
	wantCode(t, err, "ended")
}

// A request for more units than the sale has left is answered sold_out
// with what is left, at once: it used to go round the lane again and again,
// reading the row until the sale ended, and its shopper waited that long.
func TestFlashSaleRequestBeyondWhatIsLeftIsAnsweredAtOnce(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 19900, 100)
	sale := w.flashSale(t, sku, 3, 2)
	bob, carol := w.shopper(t, "bob"), w.shopper(t, "carol")
	_, _, err := w.orders.Place(ctx, bob, flashBuy(sale, sku, 2), "")
	must(t, err)
	done := make(chan error, 1)
	go func() {
		_, _, err := w.orders.Place(ctx, carol, flashBuy(sale, sku, 2), "")
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("a request for 2 of the 1 unit left is still waiting after a minute")
	}
	wantCode(t, err, "sold_out")
	if got := errs.As(err).Details["available"]; got != int64(1) {
		t.Fatalf("available in the answer: %v (%T)", got, got)
	}
	// The unit left is still for sale, to a request that fits.
	_, _, err = w.orders.Place(ctx, carol, flashBuy(sale, sku, 1), "")
	must(t, err)
	if it := w.item(t, sale.ID); it.Available != 0 || it.Held != 3 {
		t.Fatalf("after the sale: %+v", it)
	}
}

func TestFlashSaleUnitsComeBackWhileLiveAndGoToStockAfter(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 19900, 100)
	sale := w.flashSale(t, sku, 2, 1)
	bob, carol, dave := w.shopper(t, "bob"), w.shopper(t, "carol"), w.shopper(t, "dave")
	a, _, err := w.orders.Place(ctx, bob, flashBuy(sale, sku, 1), "")
	must(t, err)
	_, _, err = w.orders.Place(ctx, carol, flashBuy(sale, sku, 1), "")
	must(t, err)
	_, _, err = w.orders.Place(ctx, dave, flashBuy(sale, sku, 1), "")
	wantCode(t, err, "sold_out")
	_, _, err = w.orders.Place(ctx, dave, flashBuy(sale, sku, 1), "")
	wantCode(t, err, "sold_out") // from memory now

	// Bob cancels: his unit is on sale again at once, and his limit freed.
	_, err = w.orders.Cancel(ctx, bob, a.OrderNo)
	must(t, err)
	if it := w.item(t, sale.ID); it.Available != 1 || it.Held != 1 {
		t.Fatalf("after a cancel: %+v", it)
	}
	d, _, err := w.orders.Place(ctx, dave, flashBuy(sale, sku, 1), "")
	must(t, err)

	// Dave pays; the sale ends; Carol's order expires afterwards and its
	// unit goes straight back to the SKU's stock.
	_, err = w.orders.MarkPaid(ctx, order.Payment{OrderNo: d.OrderNo, TransactionID: "wx-1", Amount: d.PayAmount, PaidAt: time.Now()})
	must(t, err)
	w.advance(2 * time.Hour)
	if n, err := w.flash.EndDue(ctx); err != nil || n != 1 {
		t.Fatalf("EndDue: %d, %v", n, err)
	}
	if n, err := w.flash.EndDue(ctx); err != nil || n != 0 {
		t.Fatalf("EndDue again: %d, %v", n, err)
	}
	it := w.item(t, sale.ID)
	if it.Available != 0 || it.Held != 1 || it.Sold != 1 || it.Returned != 0 {
		t.Fatalf("after the end: %+v", it)
	}
	nos, err := w.orders.DueForExpiry(ctx, 10)
	must(t, err)
	for _, no := range nos {
		_, err := w.orders.Expire(ctx, no)
		must(t, err)
	}
	it = w.item(t, sale.ID)
	if it.Held != 0 || it.Sold != 1 || it.Returned != 1 {
		t.Fatalf("after the late expiry: %+v", it)
	}
	stock, ledger := w.stock(t, sku)
	if stock != 99 || ledger != 99 {
		t.Fatalf("SKU stock %d, ledger %d: want 99 (one sold)", stock, ledger)
	}
	var sold int64
	must(t, w.db.Conn(ctx).Raw("SELECT sold FROM skus WHERE id = ?", sku).Scan(&sold).Error)
	if sold != 1 {
		t.Fatalf("SKU sold count %d", sold)
	}
	got, err := w.flash.Get(ctx, sale.ID)
	must(t, err)
	st, err := report.New(w.db, w.clock).FlashSaleStats(ctx, got)
	must(t, err)
	if st.Sold != 1 || st.Returned != 1 || st.PaidOrders != 1 || st.Closed != 2 || st.Orders != 3 || st.Revenue != d.PayAmount {
		t.Fatalf("stats: %+v", st)
	}
}

func TestFlashSaleLimitHoldsWhenOneShopperFiresManyRequests(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 19900, 1000)
	sale := w.flashSale(t, sku, 100, 2)
	const shoppers, each = 15, 6
	var (
		calls []func()
		mu    sync.Mutex
		units = map[int64]int{}
		codes = map[string]int{}
	)
	for i := range shoppers {
		id := w.shopper(t, "eager"+string(rune('a'+i)))
		for range each {
			calls = append(calls, func() {
				o, _, err := w.orders.Place(context.Background(), id, flashBuy(sale, sku, 1), "")
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					codes[errs.As(err).Code]++
					return
				}
				units[id] += o.ItemCount
			})
		}
	}
	atOnce(calls...)
	if len(units) != shoppers || codes["limit_reached"] != shoppers*(each-2) || len(codes) != 1 {
		t.Fatalf("units per shopper %v, refusals %v: want every shopper at exactly the limit", units, codes)
	}
	for id, n := range units {
		if n != 2 {
			t.Fatalf("shopper %d holds %d units, limit 2", id, n)
		}
	}
	if it := w.item(t, sale.ID); it.Held != 2*shoppers || it.Available != 100-2*shoppers {
		t.Fatalf("item: %+v", it)
	}
}

// Two replicas' desks take turns on the same sale: the same shopper retrying
// with one Idempotency-Key through both gets one order, whichever lane
// commits first, and the other request replays it.
func TestFlashSaleKeysAcrossReplicas(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 19900, 1000)
	sale := w.flashSale(t, sku, 100, 1)
	other := w.replica()
	const shoppers = 12
	type answer struct {
		no       string
		replayed bool
	}
	var (
		calls []func()
		mu    sync.Mutex
		got   = map[int64][]answer{}
	)
	for i := range shoppers {
		id := w.shopper(t, "twice"+string(rune('a'+i)))
		for _, svc := range []*order.Service{w.orders, other} {
			calls = append(calls, func() {
				o, replayed, err := svc.Place(context.Background(), id, flashBuy(sale, sku, 1), "tap-1")
				if err != nil {
					t.Errorf("shopper %d: %v", id, err)
					return
				}
				mu.Lock()
				got[id] = append(got[id], answer{o.OrderNo, replayed})
				mu.Unlock()
			})
		}
	}
	atOnce(calls...)
	for id, as := range got {
		if len(as) != 2 || as[0].no != as[1].no || as[0].replayed == as[1].replayed {
			t.Fatalf("shopper %d got %+v: want one order, placed once and replayed once", id, as)
		}
	}
	if it := w.item(t, sale.ID); it.Held != shoppers {
		t.Fatalf("item: %+v", it)
	}
}

// A request that breaks its batch's transaction (here: a shopper the
// database does not know, refused by a foreign key) fails alone; the
// shoppers batched with it still get their orders.
func TestFlashSaleOneBadRequestDoesNotFailItsBatch(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 19900, 1000)
	sale := w.flashSale(t, sku, 100, 1)
	const good = 20
	var (
		calls  []func()
		mu     sync.Mutex
		placed int
		failed []error
	)
	ids := []int64{987654321} // no such shopper
	for i := range good {
		ids = append(ids, w.shopper(t, "batch"+string(rune('a'+i))))
	}
	for _, id := range ids {
		calls = append(calls, func() {
			_, _, err := w.orders.Place(context.Background(), id, flashBuy(sale, sku, 1), "")
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = append(failed, err)
				return
			}
			placed++
		})
	}
	atOnce(calls...)
	if placed != good || len(failed) != 1 {
		t.Fatalf("%d placed, failures %v: want %d placed and only the unknown shopper refused", placed, failed, good)
	}
	if it := w.item(t, sale.ID); it.Held != good || it.Available != 100-good {
		t.Fatalf("item: %+v", it)
	}
}

// Two replicas' desks race for the last units: their batches overlap until
// the guarded take, and the one that finds the units gone serves its batch
// again holding the row. Exactly the units are sold.
func TestFlashSaleTwoReplicasSellExactlyTheUnits(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 19900, 1000)
	sale := w.flashSale(t, sku, 7, 1)
	replicas := []*order.Service{w.orders, w.replica()}
	const shoppers = 60
	var (
		calls []func()
		mu    sync.Mutex
		codes = map[string]int{}
	)
	for i := range shoppers {
		id := w.shopper(t, "rival"+string(rune('a'+i%26))+string(rune('a'+i/26)))
		svc := replicas[i%2]
		calls = append(calls, func() {
			_, _, err := svc.Place(context.Background(), id, flashBuy(sale, sku, 1), "")
			code := "ok"
			if err != nil {
				code = errs.As(err).Code
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	atOnce(calls...)
	if codes["ok"] != 7 || codes["sold_out"] != shoppers-7 {
		t.Fatalf("answers %v: want 7 orders and the rest sold_out", codes)
	}
	if it := w.item(t, sale.ID); it.Available != 0 || it.Held != 7 {
		t.Fatalf("item: %+v", it)
	}
	if n := w.count(t, "orders"); n != 7 {
		t.Fatalf("%d orders", n)
	}
}

// atOnce runs every call in its own goroutine, all released together, and
// waits for them: a stampede.
func atOnce(calls ...func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, call := range calls {
		wg.Go(func() {
			<-start
			call()
		})
	}
	close(start)
	wg.Wait()
}

// The lane reads the shipping addresses of a batch with one query; a
// request naming an address that is not its shopper's is answered
// address_not_found and takes no unit, and the rest of its batch is served.
func TestFlashAddressesAreReadByTheBatch(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 19900, 100)
	sale := w.flashSale(t, sku, 10, 1)
	ids := make([]int64, 4)
	for i := range ids {
		ids[i] = w.shopper(t, fmt.Sprint("addr", i))
	}
	held, release := make(chan struct{}), make(chan struct{})
	var hold sync.Once
	w.orders.HoldBatches(func() { hold.Do(func() { close(held); <-release }) })
	type answer struct {
		o   order.Order
		err error
	}
	answers := make([]answer, len(ids))
	var wg sync.WaitGroup
	place := func(i int, address int64) {
		wg.Go(func() {
			in := flashBuy(sale, sku, 1)
			in.AddressID = address
			o, _, err := w.orders.Place(context.Background(), ids[i], in, "")
			answers[i] = answer{o, err}
		})
	}
	place(0, 1)
	<-held // the lane holds the first request; the next three queue as one batch
	place(1, 2)
	place(2, 1)
	place(3, 7)
	for w.orders.Queued() < 3 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i, a := range answers {
		switch i {
		case 0, 2:
			must(t, a.err)
			if a.o.ReceiverName != "张三" || a.o.AddressDetail != "科技园 1 号" {
				t.Fatalf("order %d ships to %+v", i, a.o)
			}
		default:
			wantCode(t, a.err, "address_not_found")
		}
	}
	if it := w.item(t, sale.ID); it.Available != 8 || it.Held != 2 {
		t.Fatalf("item %+v: want 2 units held", it)
	}
	if n := w.count(t, "orders"); n != 2 {
		t.Fatalf("%d orders, want 2", n)
	}
}

// A deep queue is served as one large batch: 300 requests that queued
// while the lane committed are one transaction, past the old cap of 256.
func TestFlashDeepQueueIsOneBatch(t *testing.T) {
	w := newWorld(t)
	const queued = 300
	sku := w.sku(t, 19900, 1000)
	sale := w.flashSale(t, sku, 500, 1)
	ids := make([]int64, queued+1)
	for i := range ids {
		ids[i] = w.shopper(t, fmt.Sprint("deep", i))
	}
	held, release := make(chan struct{}), make(chan struct{})
	var hold sync.Once
	w.orders.HoldBatches(func() { hold.Do(func() { close(held); <-release }) })
	var wg sync.WaitGroup
	var failed sync.Map
	place := func(id int64) {
		wg.Go(func() {
			if _, _, err := w.orders.Place(context.Background(), id, flashBuy(sale, sku, 1), ""); err != nil {
				failed.Store(id, err)
			}
		})
	}
	place(ids[0])
	<-held
	for _, id := range ids[1:] {
		place(id)
	}
	for w.orders.Queued() < queued {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	failed.Range(func(id, err any) bool { t.Fatalf("shopper %v: %v", id, err); return false })
	if batches, requests := w.flashBatches(t); batches != 2 || requests != queued+1 {
		t.Fatalf("%d batches served %v requests, want 2 batches: the held one and the %d queued behind it", batches, requests, queued)
	}
	if it := w.item(t, sale.ID); it.Held != queued+1 {
		t.Fatalf("item %+v: want %d units held", it, queued+1)
	}
}
