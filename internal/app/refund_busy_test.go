package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/app/apptest"
)

// `kaidian refunds` opens the shop's database beside the serving Kaidian,
// as a second process does: on SQLite two connections to one file. While
// shoppers keep the shop writing, every refund it starts must wait its turn
// for the write lock, never fail with SQLITE_BUSY: a transaction that read
// first and wrote second (BEGIN DEFERRED) could not wait, and failed at once.
func TestRefundsCommandBesideABusyShop(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t, apptest.SKU{Price: 100, Stock: 1_000_000}).SKUs[0].ID
	var orders []string
	for range 5 {
		_, no := e.PaidOrder(t, "alice", sku, 1)
		orders = append(orders, no)
	}

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var writes, refused atomic.Int64
	for i := range 8 {
		tok := e.Login("busy-" + strconv.Itoa(i))
		body := `{"sku_id":` + strconv.FormatInt(sku, 10) + `,"quantity":1}`
		wg.Go(func() {
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "POST", e.URL+"/api/v1/cart/items", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode < 300 {
					writes.Add(1)
				} else {
					refused.Add(1)
				}
			}
		})
	}

	cfg := e.App.Config
	cfg.Addr = strings.TrimPrefix(e.URL, "http://127.0.0.1")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var failed []string
	for _, no := range orders {
		var out bytes.Buffer
		if err := app.Refunds(context.Background(), cfg, log, []string{"order", no, "1"}, &out); err != nil {
			failed = append(failed, no+": "+err.Error())
		} else if !strings.Contains(out.String(), "1 fen") {
			failed = append(failed, no+": "+out.String())
		}
	}
	stop()
	wg.Wait()
	if len(failed) > 0 {
		t.Errorf("kaidian refunds beside a busy shop failed %d of %d times: %v", len(failed), len(orders), failed)
	}
	if writes.Load() == 0 || refused.Load() > 0 {
		t.Errorf("the shop took %d cart writes and refused %d while the command ran", writes.Load(), refused.Load())
	}
}
