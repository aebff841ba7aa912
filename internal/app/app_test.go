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
}
