package loadgen

import (
	"context"

	"github.com/kaidian/kaidian/internal/database"
)

// chunk bounds the ids one IN (…) carries, well below either engine's limit
// on parameters.
const chunk = 500

// paidOnce returns the orders among orderNos that are not paid with exactly
// one transition to 'paid' (a missing order counts as bad too).
func paidOnce(ctx context.Context, db *database.DB, orderNos []string) ([]string, error) {
	var bad []string
	for i := 0; i < len(orderNos); i += chunk {
		part := orderNos[i:min(i+chunk, len(orderNos))]
		var rows []struct {
			OrderNo string
			Status  string
			Paid    int64
		}
		err := db.Conn(ctx).Raw(`SELECT o.order_no, o.status,
		        (SELECT COUNT(*) FROM order_transitions t WHERE t.order_id = o.id AND t.to_status = 'paid') AS paid
		        FROM orders o WHERE o.order_no IN ?`, part).Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		seen := make(map[string]bool, len(rows))
		for _, r := range rows {
			seen[r.OrderNo] = true
			if r.Status != "paid" || r.Paid != 1 {
				bad = append(bad, r.OrderNo)
			}
		}
		for _, no := range part {
			if !seen[no] {
				bad = append(bad, no)
			}
		}
	}
	return bad, nil
}

// countStatus counts the orders among orderNos in the given status.
func countStatus(ctx context.Context, db *database.DB, orderNos []string, status string) (int64, error) {
	var total int64
	for i := 0; i < len(orderNos); i += chunk {
		var n int64
		err := db.Conn(ctx).Raw("SELECT COUNT(*) FROM orders WHERE order_no IN ? AND status = ?",
			orderNos[i:min(i+chunk, len(orderNos))], status).Scan(&n).Error
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// saleOrdersOf is the set of the sale's order numbers placed by the shoppers.
func saleOrdersOf(ctx context.Context, db *database.DB, saleID int64, shopperIDs []int64) (map[string]bool, error) {
	out := map[string]bool{}
	for i := 0; i < len(shopperIDs); i += chunk {
		var nos []string
		err := db.Conn(ctx).Raw("SELECT order_no FROM orders WHERE flash_sale_id = ? AND shopper_id IN ?",
			saleID, shopperIDs[i:min(i+chunk, len(shopperIDs))]).Scan(&nos).Error
		if err != nil {
			return nil, err
		}
		for _, no := range nos {
			out[no] = true
		}
	}
	return out, nil
}
