package app_test

import (
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

func TestOperationsEndpoints(t *testing.T) {
	e := apptest.Start(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := e.Get(path, ""); r.Status != 200 {
			t.Errorf("%s = %d %s", path, r.Status, r.Body)
		}
	}
	r := e.Get("/metrics", "")
	if r.Status != 200 || !strings.Contains(string(r.Body), "kaidian_http_requests_total") {
		t.Errorf("/metrics = %d, missing request counter", r.Status)
	}
	if r := e.Get("/nope", ""); r.Status != 404 || r.ErrorCode() != "not_found" {
		t.Errorf("unknown route = %d %s", r.Status, r.Body)
	}
	if r := e.Delete("/healthz", ""); r.Status != 405 || r.ErrorCode() != "method_not_allowed" {
		t.Errorf("wrong method = %d %s", r.Status, r.Body)
	}
}

func TestRequestIDs(t *testing.T) {
	e := apptest.Start(t)
	mine := e.Do(apptest.Request{Method: "GET", Path: "/healthz", Header: map[string]string{"X-Request-ID": "trace-me-42"}})
	if got := mine.Header.Get("X-Request-ID"); got != "trace-me-42" {
		t.Errorf("caller's request id not kept: %q", got)
	}
	a, b := e.Get("/healthz", "").Header.Get("X-Request-ID"), e.Get("/healthz", "").Header.Get("X-Request-ID")
	if len(a) != 16 || a == b {
		t.Errorf("generated request ids %q, %q", a, b)
	}
}

func TestReadyzFailsWithoutTheDatabase(t *testing.T) {
	e := apptest.Start(t)
	e.App.DB.Close()
	if r := e.Get("/readyz", ""); r.Status != 503 {
		t.Errorf("/readyz with the database closed = %d %s", r.Status, r.Body)
	}
	if r := e.Get("/healthz", ""); r.Status != 200 {
		t.Errorf("/healthz = %d", r.Status)
	}
}
