package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/share"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// newSandbox builds the fake WeChat with its WeChat Pay keys, generated on
// first start under dataDir/sandbox, signing in KAIDIAN_SANDBOX_PAY_MODE.
func newSandbox(db *database.DB, log *slog.Logger, cfg config.Config) (*sandbox.Server, error) {
	keys, err := sandbox.LoadOrCreatePayKeys(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	sb := sandbox.New(db, log)
	sb.EnablePay(keys)
	sb.SetPayMode(sandbox.PayMode(cfg.SandboxPayMode))
	sb.SetDuplicateForm(sandbox.DuplicateForm(cfg.SandboxDuplicateForm))
	sb.SetRetryScale(cfg.SandboxRetryScale)
	sb.SetRefundDelay(cfg.SandboxRefundDelay)
	sb.SetRateLimit(cfg.SandboxRate)
	sb.SetBlockedWords(cfg.SandboxBlockedWords)
	sb.SetPages(share.Pages()) // the released mini program: the pages shares open
	return sb, nil
}

// ServeSandbox runs only the WeChat sandbox (`kaidian sandbox`), for setups
// where several Kaidians, or a mini-program developer tool, share one fake
// WeChat: point them at it with KAIDIAN_WECHAT_API_BASE=<url>/sandbox. It
// also serves WeChat Pay v3 at /v3 of its root, where WeChat does, so any
// WeChat Pay client is pointed at it by base URL alone. It keeps its state
// in its own database (KAIDIAN_DATA_DIR or KAIDIAN_DATABASE_URL).
func ServeSandbox(ctx context.Context, cfg config.Config, log *slog.Logger, ln net.Listener) error {
	// A fake WeChat lets anyone log in as anyone: never beside a production
	// configuration, where it could be mistaken for (or proxied as) the shop.
	if !cfg.Sandbox() {
		ln.Close()
		return errors.New("sandbox: refusing to run the fake WeChat where real WeChat credentials (or KAIDIAN_SANDBOX=off) are configured")
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// As in the main server: X-Forwarded-For names the client (for the rate
	// limit) only when a configured load balancer sent it.
	if err := r.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return fmt.Errorf("KAIDIAN_TRUSTED_PROXIES: %w", err)
	}
	r.Use(httpx.Recover(), httpx.Observe(log, metrics.New()), httpx.LimitBody(cfg.MaxBodyBytes))
	r.NoRoute(httpx.NoRoute)
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	sb, err := newSandbox(db, log, cfg)
	if err != nil {
		return err
	}
	sb.Mount(r.Group("/sandbox"))
	sb.MountPayRoot(r.Group("/"))
	go sb.Run(ctx)

	srv := sandboxHTTPServer(r)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Warn("WECHAT SANDBOX serving on its own: point Kaidian at it with KAIDIAN_WECHAT_API_BASE", "addr", ln.Addr().String())
	select {
	case <-ctx.Done():
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// sandboxHTTPServer bounds every phase of a connection as the main server
// does, so a slow or idle client cannot hold the sandbox's connections (and
// goroutines) open indefinitely, and caps header size well below net/http's
// 1 MiB default: WeChat Pay's headers are a few hundred bytes.
func sandboxHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
