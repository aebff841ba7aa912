package mpapi_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// fire sends n copies of the request at once and sorts the answers by status.
// Each 429 must carry Retry-After (whole seconds, at least 1) and the same
// number in details.retry_after; apptest checks it against the contract.
func fire(t *testing.T, e *apptest.Env, n int, req func(i int) apptest.Request) map[int]int {
	t.Helper()
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		wg       sync.WaitGroup
		start    = make(chan struct{})
	)
	for i := range n {
		wg.Go(func() {
			<-start
			r := e.Do(req(i))
			if r.Status == http.StatusTooManyRequests {
				secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
				details, _ := r.JSON(t)["error"].(map[string]any)["details"].(map[string]any)
				if err != nil || secs < 1 || r.ErrorCode() != "rate_limited" || details["retry_after"] != float64(secs) {
					t.Errorf("429 with Retry-After %q: %s", r.Header.Get("Retry-After"), r.Body)
				}
			}
			mu.Lock()
			statuses[r.Status]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	// A burst leaves connections the client dialled but never used; the
	// server's graceful stop would wait seconds for them to send something.
	http.DefaultClient.CloseIdleConnections()
	return statuses
}

func TestClientRateLimitAnswers429ToOneClientOnly(t *testing.T) {
	// 10 requests a second, bursts of 20; the test's own address is the load
	// balancer, so X-Forwarded-For names the client.
	e := apptest.Start(t, apptest.WithRateLimits(10, 0, "127.0.0.1/32"))
	from := func(client string) func(int) apptest.Request {
		return func(int) apptest.Request {
			return apptest.Request{Method: http.MethodGet, Path: "/api/v1/categories",
				Header: map[string]string{"X-Forwarded-For": client}}
		}
	}
	got := fire(t, e, 60, from("203.0.113.7"))
	if got[http.StatusTooManyRequests] == 0 || got[http.StatusOK] == 0 || got[http.StatusOK]+got[http.StatusTooManyRequests] != 60 {
		t.Fatalf("60 requests at once from one client: %v; want some 200 and some 429", got)
	}
	if other := fire(t, e, 5, from("203.0.113.8")); other[http.StatusOK] != 5 {
		t.Fatalf("another client behind the same balancer: %v, want all 200", other)
	}
}

func TestClientRateLimitIgnoresForwardedForFromUntrustedPeers(t *testing.T) {
	e := apptest.Start(t, apptest.WithRateLimits(10, 0)) // no trusted proxies
	got := fire(t, e, 60, func(i int) apptest.Request {
		return apptest.Request{Method: http.MethodGet, Path: "/api/v1/categories",
			Header: map[string]string{"X-Forwarded-For": "198.51.100." + strconv.Itoa(i)}}
	})
	if got[http.StatusTooManyRequests] == 0 {
		t.Fatalf("invented X-Forwarded-For addresses escaped the limit: %v", got)
	}
}

func TestShopperRateLimitAnswers429ToOneShopperOnly(t *testing.T) {
	// The default: 5 writes a second per shopper, bursts of 10; no per-client limit,
	// since every shopper here comes from the same address.
	e := apptest.Start(t, apptest.WithRateLimits(0, 5))
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 1000})
	alice, bob := e.Token("alice"), e.Token("bob")
	add := func(tok string) func(int) apptest.Request {
		return func(int) apptest.Request {
			return apptest.Request{Method: http.MethodPost, Path: "/api/v1/cart/items", Token: tok,
				Body: map[string]any{"sku_id": p.SKUs[0].ID, "quantity": 1}}
		}
	}
	got := fire(t, e, 20, add(alice))
	created := got[http.StatusCreated]
	if got[http.StatusTooManyRequests] == 0 || created == 0 || created+got[http.StatusTooManyRequests] != 20 {
		t.Fatalf("20 POSTs at once from one shopper: %v; want some 201 and some 429", got)
	}
	if other := fire(t, e, 3, add(bob)); other[http.StatusCreated] != 3 {
		t.Fatalf("another shopper: %v, want all 201", other)
	}
	// Refused requests did nothing, and reads are not limited per shopper.
	cart := getCart(t, e, "/api/v1/cart", alice)
	if len(cart.Items) != 1 || cart.TotalQuantity != created {
		t.Fatalf("alice's cart holds %d units in %d lines, want %d (one per 201)", cart.TotalQuantity, len(cart.Items), created)
	}
	if reads := fire(t, e, 20, func(int) apptest.Request {
		return apptest.Request{Method: http.MethodGet, Path: "/api/v1/cart", Token: alice}
	}); reads[http.StatusOK] != 20 {
		t.Fatalf("reads by a shopper over the write limit: %v", reads)
	}
}

func TestRateLimitsAreOffInTestsUnlessAsked(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("alice")
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 1000})
	got := fire(t, e, 30, func(int) apptest.Request {
		return apptest.Request{Method: http.MethodPost, Path: "/api/v1/cart/items", Token: tok,
			Body: map[string]any{"sku_id": p.SKUs[0].ID, "quantity": 1}}
	})
	if got[http.StatusCreated] != 30 {
		t.Fatalf("30 writes with the limits off: %v", got)
	}
}
