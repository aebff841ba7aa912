package testkit

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/database"
)

// CreditOrder credits an order already placed and paid to a promoter
// (orders.source and orders.promoter_id), for fixtures that need a
// promoter's history without replaying it; tests of crediting itself go
// through a visit and placement (apptest's Env.Visit).
func CreditOrder(t testing.TB, db *database.DB, orderID, promoterID int64, source string) {
	t.Helper()
	Must(t, db.Conn(context.Background()).Exec("UPDATE orders SET promoter_id = ?, source = ? WHERE id = ?",
		promoterID, source, orderID).Error)
}
