package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
)

func TestOperationsEndpoints(t *testing.T) {
	e := apptest.Start(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := e.Get(path, ""); r.Status != 200 {
			t.Errorf("%s = %d %s", path, r.Status, r.Body)
		}
	}
	if r := e.Get("/readyz", ""); r.JSON(t)["catalog_cache"] != "off" {
		t.Errorf("/readyz with the cache off = %s", r.Body)
	}
	if r := apptest.Start(t, apptest.WithCatalogCache(1500*time.Millisecond)).Get("/readyz", ""); r.JSON(t)["catalog_cache"] != "1.5s" {
		t.Errorf("/readyz with the cache on = %s", r.Body)
	}
	if m := e.Metrics(); !strings.Contains(m, "kaidian_http_requests_total") {
		t.Errorf("/metrics is missing the request counter")
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

// A Kaidian whose WeChat is a separate `kaidian sandbox` process logs in through it.
func TestStandaloneSandbox(t *testing.T) {
	sandboxURL := startSandbox(t, config.Config{DataDir: t.TempDir(), ShutdownTimeout: time.Second, MaxBodyBytes: 1 << 20})
	e := apptest.Start(t, func(c *config.Config) { c.WechatAPIBase = sandboxURL + "/sandbox" })
	var code string
	for deadline := time.Now().Add(10 * time.Second); code == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := http.Post(sandboxURL+"/sandbox/wx/login", "application/json", strings.NewReader(`{"user":"dora"}`))
		if err != nil {
			continue
		}
		var body struct{ Code string }
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		code = body.Code
	}
	if r := e.Post("/api/v1/auth/login", "", map[string]any{"code": code}); r.Status != http.StatusOK {
		t.Fatalf("login through the standalone sandbox: %d %s", r.Status, r.Body)
	}
	// The code was minted by the other process: Kaidian's own sandbox does not know it.
	if r := e.Post("/api/v1/auth/login", "", map[string]any{"code": e.SandboxCode("dora")}); r.Status != http.StatusUnauthorized {
		t.Fatalf("a code from Kaidian's own sandbox worked against the standalone one: %d", r.Status)
	}
}

// `kaidian sandbox` refuses to serve a fake WeChat under a production configuration.
func TestStandaloneSandboxRefusesRealCredentials(t *testing.T) {
	for _, cfg := range []config.Config{{WechatAppID: "wx1", WechatAppSecret: "s"}, {SandboxMode: config.SandboxOff}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		cfg.DataDir, cfg.ShutdownTimeout = t.TempDir(), time.Second
		// Cancelled: were it to start serving, it would stop at once rather than hang.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err = app.ServeSandbox(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), ln)
		if err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
}
