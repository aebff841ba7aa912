package mpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/footprint"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/mpapi"
	"github.com/kaidian/kaidian/internal/seed"
)

// BenchmarkProductDetailFootprints is the product page as browse serves it
// (the catalog cache on, 1,000 products), anonymous and logged in, with
// footprint recording off and on, in one run so the figures sit side by
// side:
//
//	go test -run '^$' -bench ProductDetailFootprints -benchmem ./internal/mpapi/
//
// What recording adds is verifying the token and a non-blocking send into
// the buffer; the database work happens in the recorder's goroutine.
func BenchmarkProductDetailFootprints(b *testing.B) {
	db := dbtest.Open(b)
	ctx := context.Background()
	if err := seed.Bulk(ctx, db, seed.Sizes{Products: 1000}); err != nil {
		b.Fatal(err)
	}
	clk := clock.New()
	cat := catalog.New(db, inventory.New(db, clk), clk)
	tokens := auth.NewTokens([]byte("bench-secret-bench-secret-bench-secret"), time.Hour, clk)
	sh, err := customer.New(db, clk).Login(ctx, customer.Identity{OpenID: "bench-shopper"})
	if err != nil {
		b.Fatal(err)
	}
	tok, _, err := tokens.Issue(sh.ID)
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	db.Conn(ctx).Raw("SELECT id FROM products WHERE on_shelf = ? ORDER BY id LIMIT 100", true).Scan(&ids)
	gin.SetMode(gin.ReleaseMode)

	for _, bc := range []struct {
		name   string
		record bool
		token  string
	}{
		{"anonymous", true, ""},
		{"logged_in_recording_off", false, tok},
		{"logged_in_recording_on", true, tok},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var rec *footprint.Recorder
			if bc.record {
				rec = footprint.NewRecorder(footprint.NewStore(db, cat, clk), clk, slog.New(slog.NewTextHandler(io.Discard, nil)), footprint.RecorderConfig{})
				rec.Start()
				defer rec.Stop(ctx)
			}
			r := gin.New()
			mpapi.Mount(r.Group("/api/v1"), mpapi.Deps{Catalog: cat, Tokens: tokens, Views: rec, CatalogCache: httpx.NewCache(time.Second)})
			reqs := make([]*http.Request, len(ids))
			for i, id := range ids {
				reqs[i] = httptest.NewRequest(http.MethodGet, "/api/v1/products/"+strconv.FormatInt(id, 10), nil)
				if bc.token != "" {
					reqs[i].Header.Set("Authorization", "Bearer "+bc.token)
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				w := httptest.NewRecorder()
				r.ServeHTTP(w, reqs[i%len(reqs)])
				if w.Code != http.StatusOK {
					b.Fatal(w.Code, w.Body.String())
				}
				i++
			}
			b.StopTimer()
			if rec != nil {
				rec.Stop(ctx)
				if bc.token != "" && rec.Recorded()+rec.Dropped() == 0 {
					b.Fatal("recording on, yet no view was recorded or dropped")
				}
				b.ReportMetric(float64(rec.Dropped()), "dropped")
			}
		})
	}
}
