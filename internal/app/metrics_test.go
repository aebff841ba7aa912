package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
)

// getMetrics fetches url with the given Authorization header ("" for none).
func getMetrics(t *testing.T, url, authorization string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// Without KAIDIAN_METRICS_TOKEN, /metrics is not on the public listener at
// all; the metrics listener serves it.
func TestMetricsAreNotPublic(t *testing.T) {
	e := apptest.Start(t)
	if r := e.Get("/metrics", ""); r.Status != http.StatusNotFound || strings.Contains(string(r.Body), "kaidian_") {
		t.Fatalf("public /metrics = %d %.80s", r.Status, r.Body)
	}
	if status, body := getMetrics(t, e.MetricsURL+"/metrics", ""); status != http.StatusOK || !strings.Contains(body, "kaidian_http_requests_total") {
		t.Fatalf("metrics listener = %d %.80s", status, body)
	}
}

// With KAIDIAN_METRICS_TOKEN, the public listener serves /metrics only to
// the token's bearer.
func TestMetricsTokenOnTheMainListener(t *testing.T) {
	const token = "scrape-me-0123456789abcdef"
	e := apptest.Start(t, func(c *config.Config) { c.MetricsToken = token })
	for _, bad := range []string{"", "Bearer", "Bearer ", "Bearer scrape-me", "Bearer " + token + "x", "Basic " + token, token, "bearer " + token} {
		status, body := getMetrics(t, e.URL+"/metrics", bad)
		if status != http.StatusUnauthorized || !strings.Contains(body, `"code":"metrics_token_required"`) || strings.Contains(body, "kaidian_http") {
			t.Errorf("Authorization %q: %d %.120s", bad, status, body)
		}
	}
	if status, body := getMetrics(t, e.URL+"/metrics", "Bearer "+token); status != http.StatusOK || !strings.Contains(body, "kaidian_http_requests_total") {
		t.Fatalf("with the token: %d %.80s", status, body)
	}
	// The separate listener still answers without it.
	if status, _ := getMetrics(t, e.MetricsURL+"/metrics", ""); status != http.StatusOK {
		t.Fatalf("metrics listener = %d", status)
	}
}

// Graceful shutdown closes the metrics listener with the main one.
func TestShutdownClosesTheMetricsListener(t *testing.T) {
	e := apptest.Start(t)
	if status, _ := getMetrics(t, e.MetricsURL+"/metrics", ""); status != http.StatusOK {
		t.Fatalf("metrics listener = %d", status)
	}
	e.Stop()
	http.DefaultClient.CloseIdleConnections()
	if res, err := http.Get(e.MetricsURL + "/metrics"); err == nil {
		res.Body.Close()
		t.Fatalf("metrics listener still answers after shutdown: %d", res.StatusCode)
	}
}

// The profiler is served where /metrics is and as protected: on the metrics
// listener, and on the main listener only to the metrics token's bearer.
func TestProfilerBesideMetrics(t *testing.T) {
	e := apptest.Start(t)
	if r := e.Get("/debug/pprof/heap", ""); r.Status != http.StatusNotFound {
		t.Fatalf("public profiler without a token = %d", r.Status)
	}
	if status, body := getMetrics(t, e.MetricsURL+"/debug/pprof/heap?debug=1", ""); status != http.StatusOK || !strings.Contains(body, "heap profile") {
		t.Fatalf("metrics listener profiler = %d %.80s", status, body)
	}
	const token = "profile-me-0123456789abcdef"
	e = apptest.Start(t, func(c *config.Config) { c.MetricsToken = token })
	if status, _ := getMetrics(t, e.URL+"/debug/pprof/heap", ""); status != http.StatusUnauthorized {
		t.Fatalf("main listener profiler without the token = %d", status)
	}
	if status, body := getMetrics(t, e.URL+"/debug/pprof/goroutine?debug=1", "Bearer "+token); status != http.StatusOK || !strings.Contains(body, "goroutine profile") {
		t.Fatalf("main listener profiler with the token = %d %.80s", status, body)
	}
}
