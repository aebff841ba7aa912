package loadgen

import (
	"context"
	"errors"
	"testing"
)

// The crash drill's invariants are not vacuous: on a shop where checkouts
// and a flash sale ran they all hold, and each breach a crash could leave
// behind (a payment lost or applied twice, units reserved or sold twice,
// a ledger out of step) is caught by the invariant that names it. Both
// databases; each breach is made and read in one transaction, rolled back.
func TestCrashInvariantsCatchBreaches(t *testing.T) {
	e := shop(t, fastSweep)
	requirePass(t, run(t, options(e, "checkout")))
	fo := flashOptions(e)
	fo.Flash.PayFraction = 0.5 // paid and unpaid flash orders, a sale ended with units sold
	requirePass(t, run(t, fo))
	ctx := context.Background()
	db := e.App.DB
	if b, err := invariantBreaches(ctx, db); err != nil || len(b) > 0 {
		t.Fatalf("a healthy shop breaks invariants: %v %v", b, err)
	}

	const paidOrder = "(SELECT MIN(id) FROM orders WHERE status = 'paid')"
	const soldSKU = "(SELECT MIN(oi.sku_id) FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.status = 'paid' AND o.flash_sale_id IS NULL)"
	for _, c := range []struct {
		name, invariant, breach string
	}{
		{"payment lost", "every payment the sandbox took is applied to its order",
			"UPDATE orders SET status = 'pending_payment', transaction_id = '', paid_at = NULL WHERE id = " + paidOrder},
		{"paid without a payment", "no order is paid that the sandbox did not take payment for",
			"UPDATE sandbox_pay_orders SET trade_state = 'NOTPAY', transaction_id = '' WHERE out_trade_no = (SELECT order_no FROM orders WHERE id = " + paidOrder + ")"},
		{"paid twice", "every paid order went to paid exactly once, others never",
			`INSERT INTO order_transitions (order_id, from_status, to_status, actor, reason, created_at)
			 SELECT order_id, from_status, to_status, actor, reason, created_at FROM order_transitions
			 WHERE to_status = 'paid' AND order_id = ` + paidOrder},
		{"notification applied twice", "a payment notification is applied once per order",
			`INSERT INTO payment_notifications (notify_id, event_type, out_trade_no, transaction_id, trade_state, amount, outcome, detail, created_at)
			 SELECT notify_id || '-again', event_type, out_trade_no, transaction_id, trade_state, amount, outcome, detail, created_at
			 FROM payment_notifications WHERE id = (SELECT MIN(id) FROM payment_notifications WHERE outcome = 'applied')`},
		{"units sold twice", "an order's units are sold once",
			`INSERT INTO inventory_movements (sku_id, kind, quantity, stock_after, reason, ref_type, ref_id, actor, created_at)
			 SELECT sku_id, kind, quantity, stock_after, reason, ref_type, ref_id, actor, created_at FROM inventory_movements
			 WHERE id = (SELECT MIN(id) FROM inventory_movements WHERE kind = 'sell' AND ref_type = 'order')`},
		{"stock without its ledger", skuInvariant, "UPDATE skus SET stock = stock + 1 WHERE id = " + soldSKU},
		{"hold never released", skuInvariant, "UPDATE skus SET reserved = reserved + 1 WHERE id = " + soldSKU},
		{"sale counted twice", skuInvariant, "UPDATE skus SET sold = sold + 1 WHERE id = " + soldSKU},
		{"flash units held by no order", flashInvariant, "UPDATE flash_sale_items SET held = held + 1, allotted = allotted + 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := db.Tx(ctx, func(ctx context.Context) error {
				if err := db.Conn(ctx).Exec(c.breach).Error; err != nil {
					return err
				}
				b, err := invariantBreaches(ctx, db)
				if err != nil {
					return err
				}
				if len(b[c.invariant]) == 0 {
					t.Errorf("not caught; breaches seen: %v", b)
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatal(err)
			}
		})
	}
}

const (
	skuInvariant   = "per SKU: stock = sum of its ledger, reserved = units in unpaid orders, sold = units in paid orders less restocked"
	flashInvariant = "per flash sale item: allotted = available + held + sold + returned, held and sold = its orders' units"
)
