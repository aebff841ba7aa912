package sandbox_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"fmt"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"net/http"
	"strings"
)

// postJSON posts body and decodes a 200 answer; other statuses are errors.
func postJSON(url, body string) (map[string]any, error) {
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", res.StatusCode)
	}
	var m map[string]any
	return m, json.NewDecoder(res.Body).Decode(&m)
}

// serve runs a sandbox over real HTTP with its delivery loop, until the test
// ends, and returns its base URL (…/sandbox; WeChat Pay is also at /v3 of
// the root, as in `kaidian sandbox`). keys nil leaves WeChat Pay off; setup runs
// before the loop starts (retry scale, refund delay, clock).
func serve(t *testing.T, keys *sandbox.PayKeys, setup func(*sandbox.Server)) (*sandbox.Server, string) {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	sb := sandbox.New(dbtest.Open(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if keys != nil {
		sb.EnablePay(keys)
	}
	if setup != nil {
		setup(sb)
	}
	r := gin.New()
	sb.Mount(r.Group("/sandbox"))
	sb.MountPayRoot(r.Group("/"))
	srv := httptest.NewServer(r)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sb.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; srv.Close() })
	return sb, srv.URL + "/sandbox"
}
