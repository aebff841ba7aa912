package loadgen

import (
	"context"
	"fmt"
	"time"
)

// checkTaken runs right after the race: never more orders than units, and
// every unit taken once the shop said sold out (or demand covered them).
// The sale's row and its API view must agree.
func (l *load) checkTaken(ctx context.Context, r *Report, fr *flashRun) {
	accepted := int64(len(fr.orders))
	nos := fr.orderNos(func(*flashOrder) bool { return true })
	// Orders may close during a race longer than the pay window, giving
	// their units back to be sold again: count them out.
	var closed int64
	db, dbErr := l.database(ctx)
	if dbErr == nil {
		var err error
		if closed, err = countStatus(ctx, db, nos, "closed"); err != nil {
			r.check("exactly K units sold or held", false, "query: %v", err)
			return
		}
	}
	k, taken := fr.available, accepted-closed
	mustSellOut := fr.soldOut.Load() || (fr.demand >= k && fr.unfinished.Load() == 0)
	pass := taken <= k && (!mustSellOut || taken == k)
	r.check("exactly K units sold or held", pass, "%d orders accepted (%d closed since) for K = %d units; demand %d, sold out answered: %t",
		accepted, closed, k, fr.demand, fr.soldOut.Load())
	if dbErr == nil {
		var held, sold int64
		err := db.Conn(ctx).Raw("SELECT held, sold FROM flash_sale_items WHERE flash_sale_id = ? AND sku_id = ?",
			fr.sale.ID, fr.item.SKUID).Row().Scan(&held, &sold)
		before := fr.item.Allotted - fr.item.Available // held or sold before this run
		r.check("sale row holds what was accepted (database)", err == nil && held+sold-before == taken,
			"held %d + sold %d (%d before the run) for %d orders taken (%v)", held, sold, before, taken, err)
	} else {
		r.skip("sale row holds what was accepted (database)", dbErr.Error())
	}
	l.checkAvailableAPI(ctx, r, fr, k-taken, "units left after the race (API)")
}

// checkAvailableAPI reads the sale as shoppers do until it shows want units
// left of the raced SKU (the shop serves a copy up to a second old), for at
// most three seconds.
func (l *load) checkAvailableAPI(ctx context.Context, r *Report, fr *flashRun, want int64, name string) {
	var got int64 = -1
	var err error
	for deadline := time.Now().Add(3 * time.Second); ; {
		var sale flashSale
		if sale, err = l.readSale(ctx, l.o.Targets[len(l.o.Targets)-1], fr.sale.ID); err == nil {
			for _, it := range sale.Items {
				if it.SKUID == fr.item.SKUID {
					got = it.Available
				}
			}
		}
		if got == want || time.Now().After(deadline) || sleep(ctx, 200*time.Millisecond) != nil {
			break
		}
	}
	r.check(name, err == nil && got == want, "available %d, expected %d (%v)", got, want, err)
}

// verifyFlash checks the sale once everything settled: the ledger from the
// database, each shopper's orders and the units left from the API, the
// payments, and (after waiting for expiry) the expiry jobs. A sale this run
// created is then ended and its ledger checked again.
func (l *load) verifyFlash(ctx context.Context, r *Report, fr *flashRun, shoppers []*shopper, expired bool) {
	open := l.checkShoppersAPI(ctx, r, fr, shoppers)
	if fr.sale.created {
		l.checkAvailableAPI(ctx, r, fr, fr.available-open, "units left at the end (API)")
	}
	db, err := l.database(ctx)
	if err != nil {
		r.skip("ledger checks (database)", err.Error())
		return
	}
	l.addLedgerChecks(ctx, r, fr, "")
	l.checkOrdersKnown(ctx, r, fr, shoppers)
	if paid := fr.orderNos(func(o *flashOrder) bool { return o.paid }); len(paid) > 0 {
		l.checkPaidOnce(ctx, r, paid)
	}
	if expired {
		checkExpireJobs(ctx, r, db, fr.orderNos(func(o *flashOrder) bool { return !o.paid }))
	}
	if fr.sale.created {
		if err := l.endSale(ctx, fr.sale.ID); err != nil {
			r.check("end the sale", false, "%v", err)
			return
		}
		l.addLedgerChecks(ctx, r, fr, " after end")
	}
}

func (l *load) addLedgerChecks(ctx context.Context, r *Report, fr *flashRun, suffix string) {
	db, _ := l.database(ctx)
	checks, err := ledgerChecks(ctx, db, fr.sale.ID, fr.sale.Limit, suffix)
	if err != nil {
		r.check("ledger checks"+suffix, false, "%v", err)
		return
	}
	r.Checks = append(r.Checks, checks...)
}

// checkOrdersKnown compares the sale's orders of this run's shoppers in the
// database with the orders the shoppers were answered: none lost, none
// made without the shopper being told. They are two checks because a crash
// excuses only the second: an order committed just before the process died
// has no answer, but an answered order must never be lost.
func (l *load) checkOrdersKnown(ctx context.Context, r *Report, fr *flashRun, shoppers []*shopper) {
	ids := make([]int64, len(shoppers))
	for i, s := range shoppers {
		ids[i] = s.id
	}
	db, _ := l.database(ctx)
	inDB, err := saleOrdersOf(ctx, db, fr.sale.ID, ids)
	if err != nil {
		r.check(checkAnsweredKept, false, "query: %v", err)
		return
	}
	answered := map[string]bool{}
	var missing, unknown []string
	for _, no := range fr.orderNos(func(*flashOrder) bool { return true }) {
		answered[no] = true
		if !inDB[no] {
			missing = append(missing, no)
		}
	}
	for no := range inDB {
		if !answered[no] {
			unknown = append(unknown, no)
		}
	}
	r.check(checkAnsweredKept, len(missing) == 0, "%d orders answered, %d in the database; answered but missing %d %v",
		len(answered), len(inDB), len(missing), first(missing, 5))
	r.check(checkNoUnanswered, len(unknown) == 0, "%d orders answered, %d in the database; never answered %d %v",
		len(answered), len(inDB), len(unknown), first(unknown, 5))
}

// Names of the two halves of "orders = answers".
const (
	checkAnsweredKept = "every answered order is in the database"
	checkNoUnanswered = "no order without an answer (database)"
)

// orderNos lists the run's orders that match keep.
func (fr *flashRun) orderNos(keep func(*flashOrder) bool) []string {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	var out []string
	for _, o := range fr.orders {
		if keep(o) {
			out = append(out, o.no)
		}
	}
	return out
}

// raceAnswers are the answers a flash buyer may get besides an order.
var raceAnswers = map[string]bool{"409 sold_out": true, "422 not_started": true, "422 limit_reached": true,
	"422 ended": true, "429 rate_limited": true, "429 busy": true}

// checkRaceAnswers: every order POST of the race and the sold-out phase got
// an order or one of the answers the contract names; a 5xx, a transport
// error or any other code fails the run even though the buyer retried.
func checkRaceAnswers(r *Report) {
	var odd []string
	for _, s := range r.Steps {
		if s.Name != "order" && s.Name != "sold_out_phase" {
			continue
		}
		for k, n := range s.Answers {
			if !raceAnswers[k] {
				odd = append(odd, fmt.Sprintf("%s: %d × %s", s.Name, n, k))
			}
		}
	}
	r.check("buyers got orders or contract answers", len(odd) == 0, "unexpected %v", odd)
}

func describeShopper(s *shopper) string { return fmt.Sprintf("%s (shopper %d)", s.name, s.id) }
