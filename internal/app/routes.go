package app

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/console"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/mpapi"
	"github.com/kaidian/kaidian/internal/webhook"
	"github.com/kaidian/kaidian/web"
)

func (a *App) routes() (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// X-Forwarded-For names the client only when a configured load balancer
	// sent it (gin trusts everyone by default, letting clients pick their address).
	if err := r.SetTrustedProxies(a.Config.TrustedProxies); err != nil {
		return nil, fmt.Errorf("KAIDIAN_TRUSTED_PROXIES: %w", err)
	}
	r.Use(httpx.Recover(), httpx.Observe(a.Log, a.Metrics))
	r.NoRoute(httpx.NoRoute)
	r.NoMethod(httpx.NoMethod)

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", a.ready)
	if a.Config.MetricsToken != "" { // otherwise only on KAIDIAN_METRICS_ADDR (metrics.go)
		r.GET("/metrics", requireMetricsToken(a.Config.MetricsToken), gin.WrapH(a.metricsHandler()))
		r.GET("/debug/pprof/*any", requireMetricsToken(a.Config.MetricsToken), gin.WrapH(profiler()))
	}
	r.StaticFS("/static", http.FS(web.StaticFiles()))
	r.GET("/uploads/:name", mpapi.ServeUpload(a.Uploads.Store()))

	// Each group that reads bodies caps them where it is grouped: the API, the
	// webhooks and the sandbox at KAIDIAN_MAX_BODY_BYTES; the console by the
	// kind of form (console.Mount).
	limit := httpx.LimitBody(a.Config.MaxBodyBytes)
	api := mpapi.Deps{
		Tokens:    a.Tokens,
		Login:     a.Login,
		Catalog:   a.Catalog,
		Cart:      a.Cart,
		Addresses: a.Addresses,
		Orders:    a.Orders,
		Payments:  a.Payments,
		Coupons:   a.Coupons,
		Flash:     a.Flash,
		Shipping:  a.Shipping,
		Reviews:   a.Reviews,
		Messages:  a.Messages,
		Search:    a.Search,
		Uploads:   a.Uploads,
		Home:      a.Home,
		Share:     a.Share,
		Gifts:     a.CouponShares,
		Packs:     a.Packs,
		GiftCards: a.GiftCards,
		Promoters: a.Promoters, Commission: a.Commission,

		Customers:   a.Customers,
		Reports:     a.Reports,
		Favorites:   a.Favorites,
		Footprints:  a.Footprints,
		Views:       a.Views,
		Visits:      a.Attribution.Recorder(),
		Bindings:    a.Attribution,
		Phone:       a.phone,
		AvatarCheck: a.avatarCheck,

		CatalogCache: httpx.NewCache(a.Config.CatalogCacheTTL),
		ClientLimit:  httpx.NewLimiter(a.Config.RateClient),
		ShopperLimit: httpx.NewLimiter(a.Config.RateShopper),
	}
	mpapi.Mount(r.Group("/api/v1", limit), api)
	mpapi.MountUploads(r.Group("/api/v1", httpx.LimitBody(max(a.Config.MaxBodyBytes, mpapi.MaxUploadBody))), api)
	(&webhook.Handlers{Client: a.PayClient, Payments: a.Payments, Limit: httpx.NewLimiter(a.Config.RateWebhook)}).Mount(r.Group("/wechatpay", limit))
	if err := console.Mount(r.Group("/console"), console.Deps{Staff: a.Staff, Audit: a.Audit, Settings: a.Settings,
		Reports: a.Reports, Attribution: a.Attribution, Catalog: a.Catalog, CatalogIO: a.CatalogIO, Inventory: a.Inventory, Orders: a.Orders,
		Payments: a.Payments, Shipping: a.Shipping, Customers: a.Customers, Coupons: a.Coupons, Packs: a.Packs, Flash: a.Flash,
		Messages: a.Messages, Search: a.Search, Home: a.Home, Reviews: a.Reviews, Channels: a.Channels, Share: a.Share,
		Gifts: a.CouponShares, GiftCards: a.GiftCards,
		Promoters: a.Promoters, Commission: a.Commission,
		Images: a.Uploads.Store(), MaxBodyBytes: a.Config.MaxBodyBytes, Log: a.Log, Sandbox: a.Sandbox != nil}); err != nil {
		return nil, err
	}
	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, "/console") })
	if a.Sandbox != nil {
		a.Sandbox.Mount(r.Group("/sandbox", limit))
	}
	return r, nil
}

// ready answers 200 only while the database answers, so a load balancer
// stops sending traffic to a replica that lost it.
func (a *App) ready(c *gin.Context) {
	if err := a.DB.Ping(c.Request.Context()); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "database unreachable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "catalog_cache": a.catalogCache()})
}

// catalogCache is how long this replica reuses a public catalog answer
// (KAIDIAN_CATALOG_CACHE_TTL), or "off": /readyz says it so that a load
// test's report can tell cached figures from uncached ones.
func (a *App) catalogCache() string {
	if a.Config.CatalogCacheTTL <= 0 {
		return "off"
	}
	return a.Config.CatalogCacheTTL.String()
}
