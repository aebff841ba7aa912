// Package app is the one place where Kaidian is wired together: configuration,
// database, services, HTTP faces and background jobs. cmd/kaidian and the
// end-to-end tests both start Kaidian through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/kaidian/kaidian/internal/address"
	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/cart"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/couponshare"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/favorite"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/footprint"
	"github.com/kaidian/kaidian/internal/giftcard"
	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/jobs"
	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/report"
	"github.com/kaidian/kaidian/internal/review"
	"github.com/kaidian/kaidian/internal/search"
	"github.com/kaidian/kaidian/internal/seed"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/share"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/internal/subscribe"
	"github.com/kaidian/kaidian/internal/upload"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// App is a wired Kaidian, ready to serve.
type App struct {
	Config  config.Config
	Log     *slog.Logger
	DB      *database.DB
	Metrics *metrics.Metrics

	Tokens    *auth.Tokens
	Login     *auth.Login
	Customers *customer.Service
	Inventory *inventory.Service
	Catalog   *catalog.Service
	Cart      *cart.Service
	Addresses *address.Service
	Settings  *setting.Service
	Audit     *audit.Log
	Staff     *staff.Service
	Orders    *order.Service
	PayClient *wxpay.Client
	Payments  *payment.Service
	Shipping  *shipping.Service
	Sandbox   *sandbox.Server // nil unless in sandbox mode
	Reports   *report.Service
	Coupons   *coupon.Service
	Flash     *flashsale.Service
	Home      *home.Service
	CatalogIO *catalogio.Service
	Reviews   *review.Service
	// Favorites and Footprints are the shopper's saved and viewed products;
	// Views records views into Footprints (nil when KAIDIAN_FOOTPRINTS=off).
	Favorites  *favorite.Service
	Footprints *footprint.Store
	Views      *footprint.Recorder
	Uploads    *upload.Service
	Messages   *subscribe.Service // subscribe messages: scene mapping, credits, the outbox
	Search     *search.Service
	// Channels, Promoters and Scenes are where social traffic comes from:
	// named channels, KOLs and store associates, and the short keys their
	// mini-program codes carry.
	Channels  *channel.Service
	Promoters *promoter.Service
	Scenes    *share.Scenes
	// Packs are lucky coupon packs (拼手气): campaigns, packs given on
	// payment or for a channel, and grabs.
	Packs *couponpack.Service
	Share *share.Service // share cards and mini-program codes
	// CouponShares is coupons shoppers give friends, and share-to-unlock
	// campaigns (issue 17 §1).
	CouponShares *couponshare.Service
	// GiftCards is gift cards: designs, cards bought, sent and claimed, and
	// the balance ledger; payment issues a paid order's cards through it.
	GiftCards *giftcard.Service
	// Commission is the promoters' ledger, fed by payments and refunds.
	Commission *commission.Service
	// Attribution records visits (through its Recorder, off the request's
	// path), binds customers to associates and credits orders to sources.
	Attribution *attribution.Service
	// Clock is the time every service reads; tests move the whole shop
	// with Clock.Set.
	Clock *clock.Clock

	// FirstOwner is the console login generated on the embedded default's
	// first start (empty otherwise), for the command to print once.
	FirstOwner struct{ Username, Password string }

	phone   customer.PhoneExchange // WeChat's getPhoneNumber, for POST /api/v1/me/phone
	queue   *jobs.Queue            // made first: the services enqueue on it (see jobs.Queue)
	jobs    *jobs.Runner
	handler http.Handler
}

// New opens the database, applies migrations, seeds the demo shop when asked,
// and builds every service. selfURL is the base URL this process answers on,
// used for the sandbox's address in sandbox mode.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, selfURL string) (*App, error) {
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	a, err := build(ctx, cfg, log, db, selfURL)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// Migrate applies the migrations and exits (`kaidian migrate`).
func Migrate(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	db.Close()
	return nil
}

// openMigrated opens the configured database and brings its schema up to date.
func openMigrated(ctx context.Context, cfg config.Config, log *slog.Logger) (*database.DB, error) {
	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func build(ctx context.Context, cfg config.Config, log *slog.Logger, db *database.DB, selfURL string) (*App, error) {
	key, err := auth.SigningKey(ctx, db, cfg.JWTSecret)
	if err != nil {
		return nil, fmt.Errorf("jwt key: %w", err)
	}
	a := &App{Config: cfg, Log: log, DB: db, Metrics: metrics.New(), Clock: clock.New(), queue: jobs.NewQueue()}
	clk := a.Clock
	a.Tokens = auth.NewTokens(key, cfg.JWTTTL, clk)
	a.Customers = customer.New(db, clk)
	a.Uploads = upload.New(db, upload.NewStore(cfg.DataDir), clk)
	a.Inventory = inventory.New(db, clk)
	a.Catalog = catalog.New(db, a.Inventory, clk)
	a.Cart = cart.New(db, a.Catalog, a.Customers, clk)
	a.Addresses = address.New(db, a.Customers, clk)
	a.Audit = audit.New(db, clk)
	a.Settings = setting.New(db, a.Audit)
	a.Staff = staff.New(db, a.Audit, clk)
	a.Coupons = coupon.New(db, a.Audit, a.Catalog, a.Customers, clk)
	a.Flash = flashsale.New(db, a.Inventory, a.Catalog, a.Audit, clk)
	a.Favorites, a.Footprints, a.Views = a.shopperLists(clk)
	a.Home = home.New(db, a.Audit, a.Catalog, a.Coupons, a.Flash, clk)
	a.CatalogIO = catalogio.New(db, a.Catalog, a.Inventory, a.Audit, clk, a.scheduleImport)
	mp := a.wechatClient(selfURL)
	if a.Messages, err = a.newMessages(ctx, mp); err != nil {
		return nil, err
	}
	a.Search = search.New(db, a.Catalog, a.Audit, clk)
	a.Channels = channel.New(db, a.Audit, clk)
	a.Promoters = promoter.New(db, a.Audit, clk)
	a.Scenes = share.NewScenes(db, clk)
	a.Share = share.New(share.Deps{DB: db, Scenes: a.Scenes, Products: a.Catalog, Flash: a.Flash, Coupons: a.Coupons,
		Shop: a.Settings, Promoters: a.Promoters, Channels: a.Channels, Drawer: codeDrawer{mp}, Clock: clk})
	a.CouponShares = couponshare.New(db, a.Audit, a.Coupons, a.Customers, a.Share, clk)
	a.Attribution = a.newAttribution(clk)
	a.Promoters.OnChange(a.Attribution.PromoterChanged)
	a.Packs = couponpack.New(db, a.Audit, a.Coupons, a.Customers, a.Channels, a.Share, clk)
	a.Orders = order.New(order.Deps{
		DB: db, Catalog: a.Catalog, Inventory: a.Inventory, Settings: a.Settings,
		Coupons: a.Coupons, Customers: a.Customers, Flash: a.Flash, Cart: a.Cart, Addresses: a.Addresses, Metrics: a.Metrics,
		Clock: clk, Messages: a.Messages, Attributor: a.Attribution,
	})
	a.phone = phoneAdapter{mp}.exchange
	a.Login = auth.NewLogin(sessionAdapter{mp}, a.Customers, a.Tokens)
	if cfg.Sandbox() {
		if a.Sandbox, err = newSandbox(db, log, cfg); err != nil {
			return nil, err
		}
	}
	a.Reports = report.New(db, clk)
	if cfg.Demo {
		if err := seed.DemoShop(ctx, a.Catalog, a.Home, log); err != nil {
			return nil, err
		}
	}
	if err := a.ensureOwner(ctx); err != nil {
		return nil, err
	}
	if a.PayClient, err = a.payClient(ctx, selfURL); err != nil {
		return nil, fmt.Errorf("wechat pay: %w", err)
	}
	a.Commission = commission.New(commission.Deps{DB: db, Orders: a.Orders, Catalog: a.Catalog, Promoters: a.Promoters,
		Settings: a.Settings, Audit: a.Audit, Clock: clk})
	a.GiftCards = giftcard.New(giftcard.Deps{DB: db, Orders: a.Orders, Audit: a.Audit, Messages: a.Messages,
		Shoppers: a.Customers, Clock: clk, Log: a.Log})
	a.Orders.UseBalances(a.GiftCards)
	a.Payments = payment.New(payment.Deps{DB: db, Orders: a.Orders, Customers: a.Customers,
		Gateway: gatewayAdapter{a.PayClient}, PollAfter: cfg.PayPollAfter, ScheduleReconcile: a.scheduleReconcile,
		Audit: a.Audit, Settings: a.Settings,
		Merchant: payment.Merchant{AppID: a.PayClient.AppID(), MchID: a.PayClient.MchID(),
			NotifyURL: a.notifyURL(selfURL, "transactions"), RefundNotifyURL: a.notifyURL(selfURL, "refunds")},
		Clock: clk, Photos: photoOwner{a.Uploads}, Messages: a.Messages, Commissions: a.Commission,
		Packs: a.Packs, GiftCards: a.GiftCards})
	// Payment credits commission in its transactions; the ledger asks payment
	// which refunds are still processing before settling (commission.UsePayments).
	a.Commission.UsePayments(a.Payments)
	a.GiftCards.UseRefunds(a.Payments)
	// The one setter left: payment is built on the order service, and the
	// order expiry asks payment to close WeChat's side first, a two-way
	// dependency between services (not a queue) that one of them must close.
	a.Orders.UsePaymentCloser(a.Payments)
	a.Shipping = shipping.New(shipping.Deps{DB: db, Orders: a.Orders, Customers: a.Customers, Refunds: a.Payments,
		Uploader: uploaderAdapter{mp}, RetryAfter: cfg.PayPollAfter, ScheduleUploads: a.scheduleUploads, Clock: clk,
		Tracker: trackerAdapter{mp}, Settings: a.Settings, Audit: a.Audit, Messages: a.Messages})
	a.Reviews = review.New(review.Deps{DB: db, Orders: a.Orders, Customers: a.Customers, Audit: a.Audit,
		Checker: textCheckAdapter{mp}, Photos: a.Uploads, ScheduleChecks: a.scheduleReviewChecks, Clock: clk})
	a.jobs, err = a.newJobs()
	if err != nil {
		return nil, err
	}
	if a.handler, err = a.routes(); err != nil {
		return nil, err
	}
	return a, nil
}

// ensureOwner gives the embedded default a console owner on its first
// start, so `go run ./cmd/kaidian` can be signed in to at once. On
// PostgreSQL (production) nothing is generated: `kaidian admin create`
// makes the first owner, and until then the log says so.
func (a *App) ensureOwner(ctx context.Context) error {
	if !a.Config.SQLite() {
		if n, err := a.Staff.List(ctx); err == nil && len(n) == 0 {
			a.Log.Warn("no console accounts yet; create the first owner with `kaidian admin create <username>`")
		}
		return nil
	}
	user, pw, err := a.Staff.EnsureOwner(ctx)
	a.FirstOwner.Username, a.FirstOwner.Password = user, pw
	return err
}

// wechatClient is the production mini-program client. In sandbox mode it
// carries the sandbox's credentials and, unless KAIDIAN_WECHAT_API_BASE says
// otherwise, calls this very process's /sandbox.
func (a *App) wechatClient(selfURL string) *miniprogram.Client {
	base, appID, secret := a.Config.WechatAPIBase, a.Config.WechatAppID, a.Config.WechatAppSecret
	if a.Config.Sandbox() {
		appID, secret = sandbox.AppID, sandbox.AppSecret
		if base == "" {
			base = selfURL + "/sandbox"
		}
	}
	if base == "" {
		base = miniprogram.DefaultBaseURL
	}
	return miniprogram.New(base, appID, secret, nil)
}

// Jobs is the background job queue, for enqueuing a job directly (tests of
// the workers; everything else enqueues through the services' schedulers).
func (a *App) Jobs() *jobs.Runner { return a.jobs }

// Handler is the whole HTTP surface: API, sandbox, operations.
func (a *App) Handler() http.Handler { return a.handler }

// Serve answers on ln, serves /metrics on metricsLn (nil: none; see
// ListenMetrics) and runs the background jobs until ctx is cancelled, then
// shuts down gracefully: in-flight requests and jobs are given
// Config.ShutdownTimeout to finish, and both listeners are closed.
func (a *App) Serve(ctx context.Context, ln, metricsLn net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	if err := a.jobs.Start(ctx); err != nil {
		ln.Close()
		if metricsLn != nil {
			metricsLn.Close()
		}
		return fmt.Errorf("start jobs: %w", err)
	}
	stopMetrics := a.serveMetrics(metricsLn)
	a.Views.Start()
	a.Attribution.Recorder().Start()
	if a.Sandbox != nil {
		sandboxCtx, stopSandbox := context.WithCancel(ctx)
		defer stopSandbox()
		go a.Sandbox.Run(sandboxCtx) // the fake WeChat's notification deliveries
	}
	searchCtx, stopSearch := context.WithCancel(ctx)
	defer stopSearch()
	go a.Search.Run(searchCtx, func(err error) { a.Log.Error("search counts not written", "error", err.Error()) })
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	a.Log.Info("kaidian listening", "addr", ln.Addr().String(), "database", a.DB, "sandbox", a.Config.Sandbox())
	if a.Sandbox != nil {
		a.Log.Warn("WECHAT SANDBOX MODE: no WeChat credentials configured (or KAIDIAN_SANDBOX=on); logins and payments go to the local fake WeChat under /sandbox on this server, where anyone can log in as anyone; no real money moves",
			"zh", i18n.For(i18n.ZhCN).T("operator.banner.sandbox", "path", "/sandbox"))
	}
	if a.Sandbox == nil && len(a.Config.TrustedProxies) == 0 {
		// Behind a load balancer every client would share the balancer's
		// address: one rate-limit bucket for WeChat Pay's notifications and
		// one sign-in throttle for every merchant, which anyone can fill.
		a.Log.Warn("KAIDIAN_TRUSTED_PROXIES is empty: rate limits and the console's sign-in throttle count clients by the address that connects; behind a load balancer or proxy, set it to the proxy's addresses")
	}

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	a.Log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.Config.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		a.Log.Error("http shutdown", "error", err)
	}
	stopMetrics(shutdownCtx)
	if err := a.Views.Stop(shutdownCtx); err != nil { // the footprints still buffered, once no request can add one
		a.Log.Error("footprints shutdown", "error", err)
	}
	if err := a.Attribution.Recorder().Stop(shutdownCtx); err != nil { // the visits still buffered, once no request can add one
		a.Log.Error("visits shutdown", "error", err)
	}
	if err := a.Search.Flush(shutdownCtx); err != nil { // the last second of searches, once no request can add any
		a.Log.Error("search counts not written", "error", err.Error())
	}
	if err := a.Orders.Stop(shutdownCtx); err != nil { // the flash desk's lanes, once no request can queue
		a.Log.Error("flash desk shutdown", "error", err)
	}
	if err := a.jobs.Stop(shutdownCtx); err != nil {
		a.Log.Error("jobs shutdown", "error", err)
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return nil
}

// Close releases the database.
func (a *App) Close() { a.DB.Close() }
