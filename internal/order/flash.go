package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Flash orders. A flash sale is tens of thousands of shoppers asking for the
// same few hundred units in the same second. Every order for one SKU of the
// sale must take units from one row, and a row lock is held until the
// commit is flushed, so one order per transaction caps the whole sale at
// roughly one commit flush per order (about 2,000–4,000 per second on
// PostgreSQL here, however many replicas) while every other buyer queues on
// the lock with a connection in hand and the rest of the shop starves.
//
// So orders are coalesced: the request goroutines hand their request to the
// desk's lane for that sale and SKU, and the lane's single goroutine takes
// everything that queued while the previous batch was committing and serves
// it in one transaction (admit the shoppers against their limit in one
// statement, insert all the orders, then take the units with one guarded
// update). The row is locked once per batch, not per shopper, and only from
// that last update to the commit; the ledger stays exact because the batch
// is one ordinary transaction, and on SQLite the single writer it needs comes
// for free. With several replicas each has its own lane and their batches
// overlap on everything but that one update.
//
// Once a lane sees its units gone it answers sold_out from memory, without
// touching the database, re-reading the count at most every soldOutRecheck
// in case closed orders gave units back (a close on this replica clears the
// flag at once).

// Tuning of the desk.
const (
	// Requests served by one transaction at most. A lane takes whatever
	// queued while its last batch committed, so the deeper the queue the
	// larger the batch; a batch's statements take its rows as arrays on
	// PostgreSQL and in chunks on SQLite, so the cap bounds only how long
	// one transaction runs (a few milliseconds per hundred orders).
	maxBatch       = 1024
	laneQueue      = 8192        // requests waiting per lane before new ones are turned away
	laneIdle       = time.Minute // a lane with no request for this long stops
	soldOutRecheck = 250 * time.Millisecond
)

// ErrBusy turns away a request when a lane's queue is full.
var ErrBusy = errs.New(errs.KindRateLimited, "busy", "order.busy")

// flashRequest is one shopper's request waiting in a lane.
type flashRequest struct {
	shopperID int64
	quantity  int
	addressID int64
	address   Address // read by the lane, with the batch's others (located)
	located   bool
	remark    string
	key, hash string
	offer     flashsale.Offer
	tries     int
	done      chan flashResult // buffered: the lane never blocks on a gone shopper
}

type flashResult struct {
	order    Order
	replayed bool
	err      error
}

// placeFlash places an order in a flash sale through the sale's lane.
func (s *Service) placeFlash(ctx context.Context, shopperID int64, in PlaceInput, key, hash string) (Order, bool, error) {
	if err := validateFlash(in); err != nil {
		return Order{}, false, err
	}
	if s.desk.stopped() { // this replica is shutting down: another one serves the retry
		return Order{}, false, ErrBusy.With("retry_after", 1)
	}
	line := in.Items[0]
	view, err := s.flash.View(ctx, *in.FlashSaleID)
	if err != nil {
		return Order{}, false, err
	}
	offer, err := view.Check(s.clock.Now(), line.SKUID, line.Quantity)
	if err != nil {
		return Order{}, false, err
	}
	l := s.desk.lane(view.ID, line.SKUID)
	if l == nil { // stopped since
		return Order{}, false, ErrBusy.With("retry_after", 1)
	}
	if l.stillSoldOut(ctx, s.flash) {
		s.metrics.FlashSoldOut.Inc()
		return Order{}, false, flashsale.ErrSoldOut.With("sku_id", line.SKUID)
	}
	// The address is read by the lane, with one query for its whole batch.
	req := &flashRequest{shopperID: shopperID, quantity: line.Quantity, addressID: in.AddressID, remark: in.Remark,
		key: key, hash: hash, offer: offer, done: make(chan flashResult, 1)}
	if !s.desk.submit(req, view.ID, line.SKUID) {
		return Order{}, false, ErrBusy.With("retry_after", 1)
	}
	select {
	case r := <-req.done:
		return r.order, r.replayed, r.err
	case <-ctx.Done():
		// The shopper went away; the lane still answers into the buffered
		// channel, and an order it placed is in the shopper's list.
		return Order{}, false, ctx.Err()
	}
}

func validateFlash(in PlaceInput) error {
	switch {
	case *in.FlashSaleID <= 0:
		return errs.Field("flash_sale_id", "invalid.positive_id")
	case len(in.CartItemIDs) > 0:
		return errs.Field("cart_item_ids", "order.flash_not_cart")
	case len(in.Items) != 1:
		return errs.Field("items", "order.flash_one_line")
	case named(in.CouponID) != nil: // coupon_id 0 says "no coupon", which a flash order has anyway
		return errs.Field("coupon_id", "order.flash_no_coupon")
	}
	return nil
}

// previewFlash prices a flash order without placing it.
func (s *Service) previewFlash(ctx context.Context, in PlaceInput) (Priced, error) {
	if err := validateFlash(in); err != nil {
		return Priced{}, err
	}
	line := in.Items[0]
	view, err := s.flash.View(ctx, *in.FlashSaleID)
	if err != nil {
		return Priced{}, err
	}
	offer, err := view.Check(s.clock.Now(), line.SKUID, line.Quantity)
	if err != nil {
		return Priced{}, err
	}
	if offer.Available < int64(line.Quantity) {
		return Priced{}, flashsale.ErrSoldOut.With("sku_id", line.SKUID)
	}
	shop, err := s.settings.Get(ctx)
	if err != nil {
		return Priced{}, err
	}
	return payable(price([]Item{flashItem(offer, line.Quantity)}, shop.ShippingFor, discount{}))
}

func flashItem(o flashsale.Offer, quantity int) Item {
	return Item{SKUID: o.SKUID, ProductID: o.ProductID, Title: o.Title, SpecText: o.SpecText, Image: o.Image,
		UnitPrice: o.Price, Quantity: quantity}
}

// serveBatch serves a lane's batch in one transaction and answers every
// request it settles. It returns the requests to try again in the next
// batch: a shopper's second request (one row per shopper per statement),
// and requests that did not fit the units left while others in the batch
// might still be refused by their limit.
func (s *Service) serveBatch(ctx context.Context, l *lane, batch []*flashRequest) (again []*flashRequest) {
	if l.stillSoldOut(ctx, s.flash) {
		s.metrics.FlashSoldOut.Add(float64(len(batch)))
		answerAll(batch, flashResult{err: flashsale.ErrSoldOut.With("sku_id", l.skuID)})
		return nil
	}
	if batch = s.locate(ctx, batch); len(batch) == 0 {
		return nil
	}
	s.metrics.FlashBatch.Observe(float64(len(batch)))
	var (
		results = make(map[*flashRequest]flashResult, len(batch))
		left    int64
	)
	serve := func(lock bool) error {
		return s.db.Tx(ctx, func(ctx context.Context) error {
			clear(results)
			again = again[:0]
			var err error
			left, err = s.fillBatch(ctx, l, batch, lock, results, &again)
			return err
		})
	}
	err := serve(false)
	if errors.Is(err, flashsale.ErrTakenMeanwhile) {
		err = serve(true) // another replica took units since the read: this time hold the row from the start
	}
	switch {
	case err == nil:
	case errs.As(err).Kind != errs.KindInternal:
		// The sale is not open (the cached view was stale): the same answer for all.
		answerAll(batch, flashResult{err: err})
		return nil
	case len(batch) > 1:
		// One request can break a batch (an order number or key taken by a
		// racing replica): serve each alone so the others are not refused.
		var retry []*flashRequest
		for _, r := range batch {
			retry = append(retry, s.serveBatch(ctx, l, []*flashRequest{r})...)
		}
		return retry
	case database.IsDuplicate(err) && batch[0].tries < 3:
		batch[0].tries++
		return batch // a racing replica took the key, or the number was drawn twice: next round replays or draws again
	default:
		answerAll(batch, flashResult{err: fmt.Errorf("flash order: %w", err)})
		return nil
	}
	for r, res := range results {
		r.done <- res
	}
	if n := countOrders(results); n > 0 {
		s.metrics.OrdersCreated.Add(float64(n))
	}
	if left == 0 {
		l.markSoldOut()
		answerAll(again, flashResult{err: flashsale.ErrSoldOut.With("sku_id", l.skuID)})
		return nil
	}
	return again
}

// locate reads the shipping address of every request that has none yet
// with one query, answers those whose address is not their shopper's, and
// returns the others.
func (s *Service) locate(ctx context.Context, batch []*flashRequest) []*flashRequest {
	var refs []AddressRef
	for _, r := range batch {
		if !r.located {
			refs = append(refs, AddressRef{ShopperID: r.shopperID, AddressID: r.addressID})
		}
	}
	if len(refs) == 0 {
		return batch
	}
	found, readErr := s.addresses.ShippingAddresses(ctx, refs)
	ready := make([]*flashRequest, 0, len(batch))
	for _, r := range batch {
		if !r.located {
			a, ok := found[AddressRef{ShopperID: r.shopperID, AddressID: r.addressID}]
			err := readErr
			if err == nil && !ok {
				// Not the shopper's (or gone): the address book says which error.
				a, err = s.addresses.ShippingAddress(ctx, r.shopperID, r.addressID)
			}
			if err != nil {
				r.done <- flashResult{err: err}
				continue
			}
			r.address, r.located = a, true
		}
		ready = append(ready, r)
	}
	return ready
}

// fillBatch serves a batch inside its transaction and reports the units
// left. Units are taken last, by one guarded update, so the item's row is
// locked only from that update to the commit rather than for the whole batch:
// replicas' batches overlap everywhere but on that row. If another replica
// took units between the read and the update, the update finds too few and
// the caller runs the batch again with lock=true, holding the row from the
// start, which always succeeds.
func (s *Service) fillBatch(ctx context.Context, l *lane, batch []*flashRequest, lock bool,
	results map[*flashRequest]flashResult, again *[]*flashRequest) (left int64, err error) {
	h, err := s.flash.Item(ctx, l.saleID, l.skuID, lock)
	if err != nil {
		return 0, err
	}
	switch h.Sale.PhaseAt(s.clock.Now()) {
	case flashsale.PhaseUpcoming:
		return 0, flashsale.ErrNotStarted.With("starts_at", h.Sale.StartsAt)
	case flashsale.PhaseEnded:
		return 0, flashsale.ErrEnded.With("ends_at", h.Sale.EndsAt)
	}
	pending, err := s.replays(ctx, batch, results)
	if err != nil {
		return 0, err
	}
	picked, rest := pick(pending, h.Item.Available)
	for _, r := range rest {
		// More units than the sale has left: no later batch can serve it
		// (units coming back reopen the lane for a new request), and sent
		// round again it would keep the lane reading the row until the sale
		// ends. Smaller requests wait for the next batch.
		if int64(r.quantity) > h.Item.Available {
			results[r] = flashResult{err: flashsale.ErrSoldOut.With("sku_id", l.skuID).With("available", h.Item.Available)}
			continue
		}
		*again = append(*again, r)
	}
	admitted, err := s.flash.Admit(ctx, h.Sale, wants(picked))
	if err != nil {
		return 0, err
	}
	var taking, refused []*flashRequest
	var units int64
	for _, r := range picked {
		if !admitted[r.shopperID] {
			refused = append(refused, r)
			continue
		}
		taking = append(taking, r)
		units += int64(r.quantity)
	}
	// A refused shopper may have been waiting on another replica's batch
	// holding their own earlier request with the same key: now committed,
	// that order is the answer rather than limit_reached.
	if refused, err = s.replays(ctx, refused, results); err != nil {
		return 0, err
	}
	for _, r := range refused {
		results[r] = flashResult{err: flashsale.ErrLimitReached.With("per_shopper_limit", h.Sale.PerShopperLimit)}
	}
	if len(taking) == 0 {
		return h.Item.Available, nil
	}
	if err := s.insertFlashOrders(ctx, h.Sale, taking, results); err != nil {
		return 0, err
	}
	return s.flash.Take(ctx, h.Item.ID, units)
}

// pick takes requests in arrival order while their units fit: each shopper
// once, the rest (a shopper's further requests, anything beyond the units
// left) kept for the next batch.
func pick(batch []*flashRequest, available int64) (picked, rest []*flashRequest) {
	seen := map[int64]bool{}
	var units int64
	for _, r := range batch {
		if seen[r.shopperID] || units+int64(r.quantity) > available {
			rest = append(rest, r)
			continue
		}
		seen[r.shopperID] = true
		units += int64(r.quantity)
		picked = append(picked, r)
	}
	return picked, rest
}

func wants(rs []*flashRequest) []flashsale.Want {
	w := make([]flashsale.Want, len(rs))
	for i, r := range rs {
		w[i] = flashsale.Want{ShopperID: r.shopperID, Units: r.quantity}
	}
	return w
}

// replays answers requests whose Idempotency-Key already placed an order
// with the first order (or key_reused), and returns the others.
func (s *Service) replays(ctx context.Context, batch []*flashRequest, results map[*flashRequest]flashResult) ([]*flashRequest, error) {
	var keyed []*flashRequest
	var uses []keyUse
	for _, r := range batch {
		if r.key != "" {
			keyed = append(keyed, r)
			uses = append(uses, r.keyUse())
		}
	}
	if len(keyed) == 0 {
		return batch, nil
	}
	found, err := s.recallKeys(ctx, scopePlace, uses)
	if err != nil {
		return nil, err
	}
	answered := make(map[*flashRequest]bool, len(keyed))
	for i, r := range keyed {
		k := found[i]
		if k == nil {
			continue
		}
		answered[r] = true
		if err := uses[i].answers(k); err != nil {
			results[r] = flashResult{err: err}
			continue
		}
		o, err := s.byID(ctx, r.shopperID, k.ResourceID)
		results[r] = flashResult{order: o, replayed: true, err: err}
	}
	var pending []*flashRequest
	for _, r := range batch {
		if !answered[r] {
			pending = append(pending, r)
		}
	}
	return pending, nil
}

func (r *flashRequest) keyUse() keyUse {
	return keyUse{shopperID: r.shopperID, key: r.key, hash: r.hash}
}

// insertFlashOrders writes the batch's orders through insertOrders, each
// with its key, and records them as the requests' answers.
func (s *Service) insertFlashOrders(ctx context.Context, sale flashsale.Sale, rs []*flashRequest, results map[*flashRequest]flashResult) error {
	shop, err := s.desk.shop(ctx)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	batch := make([]newOrder, len(rs))
	for i, r := range rs {
		p := price([]Item{flashItem(r.offer, r.quantity)}, shop.ShippingFor, discount{})
		o := pending(r.shopperID, p, r.address, r.remark, now, now.Add(sale.PayWindow()))
		o.FlashSaleID = &sale.ID
		batch[i] = newOrder{order: o, reason: i18n.M("record.order.placed_flash_sale", "sale", sale.Title)}
		if r.key != "" {
			u := r.keyUse()
			batch[i].key = &u
		}
	}
	if err := s.credit(ctx, shop, now, batch); err != nil {
		return err
	}
	if err := s.insertOrders(ctx, batch); err != nil {
		return err
	}
	for i, r := range rs {
		results[r] = flashResult{order: batch[i].order}
	}
	return nil
}

func answerAll(rs []*flashRequest, res flashResult) {
	for _, r := range rs {
		r.done <- res
	}
}

func countOrders(results map[*flashRequest]flashResult) int {
	n := 0
	for _, r := range results {
		if r.err == nil && !r.replayed {
			n++
		}
	}
	return n
}

// flashUnit names the units a flash order holds.
func flashUnit(o Order) flashsale.Unit {
	return flashsale.Unit{SaleID: *o.FlashSaleID, SKUID: o.Items[0].SKUID, ShopperID: o.ShopperID,
		Quantity: int64(o.Items[0].Quantity), Ref: inventory.Ref{Type: "order", ID: o.OrderNo}}
}
