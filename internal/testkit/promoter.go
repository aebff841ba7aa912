package testkit

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/database"
)

// CreditOrder credits a placed order to a promoter, as attribution does at
// placement (orders.source and orders.promoter_id), for the commission
// tests to run before attribution writes them itself.
func CreditOrder(t testing.TB, db *database.DB, orderID, promoterID int64, source string) {
	t.Helper()
	Must(t, db.Conn(context.Background()).Exec("UPDATE orders SET promoter_id = ?, source = ? WHERE id = ?",
		promoterID, source, orderID).Error)
}
