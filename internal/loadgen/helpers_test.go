package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// shop starts a Kaidian with two well-stocked SKUs in one product.
func shop(t *testing.T, opts ...apptest.Option) *apptest.Env {
	t.Helper()
	e := apptest.Start(t, opts...)
	e.Product(t, apptest.SKU{Price: 1990, Stock: 1000}, apptest.SKU{Price: 2990, Stock: 1000})
	return e
}

// options is a small run against the shop, checked through its database.
func options(e *apptest.Env, scenario string) Options {
	return Options{Targets: []string{e.URL}, Scenario: scenario, Shoppers: 3, Concurrency: 3,
		Requests: 60, Duration: time.Minute, DB: e.App.DB}
}

func run(t *testing.T, o Options) *Report {
	t.Helper()
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("run %s: %v", o.Scenario, err)
	}
	return r
}

// requirePass fails the test on any failed check, printing the report.
func requirePass(t *testing.T, r *Report) {
	t.Helper()
	for _, c := range r.Failed() {
		t.Errorf("FAIL %s: %s", c.Name, c.Detail)
	}
	if !r.OK || t.Failed() {
		var b strings.Builder
		r.WriteText(&b)
		t.Fatalf("report:\n%s", b.String())
	}
}

// requireFail asserts that the named check ran and failed.
func requireFail(t *testing.T, checks []Check, name string) {
	t.Helper()
	for _, c := range checks {
		if c.Name == name {
			if c.Pass || c.Skipped {
				t.Errorf("check %q passed on a broken shop: %s", name, c.Detail)
			}
			return
		}
	}
	t.Errorf("check %q did not run; checks: %+v", name, checks)
}

// faulty puts a proxy in front of target that answers every nth request
// matching match with 503 unavailable, as a failing replica would.
func faulty(t *testing.T, target string, every int64, match func(*http.Request) bool) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if match(r) && n.Add(1)%every == 0 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"error":{"code":"unavailable","message":"injected by the test"}}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
