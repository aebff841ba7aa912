package apptest

import (
	"context"
	"net/http"
	"testing"
)

// Visit reports a launch of the mini program for the shopper (token) that
// arrived through ref ("promoter:<code>", "channel:<code>", "share:<id>"),
// as a shared path carries it, and waits until the visit is recorded: the
// shopper's next order is credited to that source (last touch).
func (e *Env) Visit(t testing.TB, token, ref string) {
	t.Helper()
	body := map[string]any{"ref": ref, "path": "pages/index/index", "entry": 1007}
	if r := e.Post("/api/v1/visits", token, body); r.Status != http.StatusAccepted {
		t.Fatalf("visit through %s: %d %s", ref, r.Status, r.Body)
	}
	if err := e.App.Attribution.Recorder().Sync(context.Background()); err != nil {
		t.Fatalf("record visits: %v", err)
	}
}
