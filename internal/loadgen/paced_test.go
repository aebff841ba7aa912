package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// With -rate the load holds the rate, and a server slower than the rate
// shows it in the latencies (counted from when each request was due)
// instead of slowing the load down as a closed loop would.
func TestRateIsAnOpenLoop(t *testing.T) {
	url := baselineServer(t)
	r, err := Run(context.Background(), Options{Targets: []string{url}, Scenario: "hello", Shoppers: 1, Concurrency: 4,
		Requests: 100, Rate: 200})
	if err != nil {
		t.Fatal(err)
	}
	// 100 requests due over half a second: about 200 a second, not the
	// thousands a hello-world serves flat out.
	if !r.OK || r.Total.Count != 100 || r.Total.PerSecond > 260 || r.Total.PerSecond < 100 {
		t.Fatalf("at -rate 200: %d requests at %.0f/s", r.Total.Count, r.Total.PerSecond)
	}

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(20 * time.Millisecond)
	}))
	defer slow.Close()
	// One worker serving 20 ms requests manages 50 a second; asked for 100
	// a second for 40 requests, the last is due at 0.39 s but sent at about
	// 0.8 s: the latest answers wait hundreds of milliseconds.
	r, err = Run(context.Background(), Options{Targets: []string{slow.URL}, Scenario: "hello", Shoppers: 1, Concurrency: 1,
		Requests: 40, Rate: 100})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Latency.Max < 200 {
		t.Fatalf("a server at half the rate: max latency %.1f ms; the queueing is not counted", r.Total.Latency.Max)
	}
}
