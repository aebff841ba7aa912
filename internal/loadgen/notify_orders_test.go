package loadgen

import (
	"strings"
	"testing"
)

// Distinct orders, each paid by its own notification, delivered by the
// sandbox at the asked concurrency; the ceiling is measured beside them.
func TestNotifyOrders(t *testing.T) {
	e := shop(t)
	o := options(e, "notify-orders")
	o.Requests, o.Concurrency, o.Restock = 30, 8, 1000
	r := run(t, o)
	requirePass(t, r)
	if r.Figures["notifications"] != 30 || r.Figures["notifications_per_s"] <= 0 || r.Figures["notification_p99_ms"] <= 0 ||
		r.Figures["ceiling_notifications_per_s"] <= 0 || r.Figures["ratio_to_ceiling"] <= 0 {
		t.Fatalf("figures %v", r.Figures)
	}
	if c, ok := r.Check("paid exactly once (database)"); !ok || !c.Pass || !strings.HasPrefix(c.Detail, "30 orders,") {
		t.Fatalf("paid once: %+v", c)
	}
}
