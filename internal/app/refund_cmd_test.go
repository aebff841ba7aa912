package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
)

// An operator decides refund requests and refunds orders from the command
// line while Kaidian serves; the serving Kaidian's sandbox settles them.
func TestRefundsCommand(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.SandboxRefundDelay = 100 * time.Millisecond })
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	tok, asked := e.PaidOrder(t, "alice", sku, 1)
	_, other := e.PaidOrder(t, "bob", sku, 2)
	e.Post("/api/v1/orders/"+asked+"/refund-requests", tok, map[string]any{"reason": "尺码不合适"})

	cfg := e.App.Config
	cfg.Addr = strings.TrimPrefix(e.URL, "http://127.0.0.1")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	run := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := app.Refunds(context.Background(), cfg, log, args, &out); err != nil {
			t.Fatalf("kaidian refunds %v: %v", args, err)
		}
		return out.String()
	}
	list := run()
	id, _, _ := strings.Cut(list, "\t")
	pay := e.Get("/api/v1/orders/"+asked, tok).JSON(t)["pay_amount"].(float64)
	if !strings.Contains(list, "order "+asked+"\t") || !strings.Contains(list, fmt.Sprintf(" of %.0f fen", pay)) ||
		!strings.Contains(list, "尺码不合适") {
		t.Fatalf("list (order %s, paid %.0f): %q", asked, pay, list)
	}
	if got := run("approve", id, "restock"); !strings.Contains(got, "processing") {
		t.Fatalf("approve: %q", got)
	}
	if got := run(); !strings.Contains(got, "no refund requests waiting") {
		t.Fatalf("list after approval: %q", got)
	}
	if got := run("order", other, "500"); !strings.Contains(got, "500 fen") {
		t.Fatalf("partial refund: %q", got)
	}
	for _, bad := range [][]string{{"approve", id}, {"approve", "x"}, {"decline", id}, {"order", other, "-5"}, {"order", "NOPE"}, {"dance", "1"}} {
		if err := app.Refunds(context.Background(), cfg, log, bad, io.Discard); err == nil {
			t.Errorf("kaidian refunds %v accepted", bad)
		}
	}

	waitRefunded := func(no, tok string, want float64) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); e.Get("/api/v1/orders/"+no, tok).JSON(t)["refunded_amount"] != want; {
			if time.Now().After(deadline) {
				t.Fatalf("order %s never refunded %v", no, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitRefunded(asked, tok, e.Get("/api/v1/orders/"+asked, tok).JSON(t)["pay_amount"].(float64))
	waitRefunded(other, e.Login("bob"), 500)
}
