// Package console is the merchant's web console under /console: pages
// rendered on the server with html/template from web/templates/console,
// plain forms, no third-party JavaScript. Every page but sign-in needs a
// console session; every form that changes something carries the session's
// CSRF token; owner-only pages refuse staff.
package console

import (
	"log/slog"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/couponshare"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/giftcard"
	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/report"
	"github.com/kaidian/kaidian/internal/review"
	"github.com/kaidian/kaidian/internal/search"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/share"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/internal/subscribe"
	"github.com/kaidian/kaidian/internal/upload"
)

// Deps are the services the console calls.
type Deps struct {
	Staff    *staff.Service
	Audit    *audit.Log
	Settings *setting.Service
	Reports  *report.Service
	// Attribution keeps the customers bound to store associates (moved here).
	Attribution *attribution.Service
	Catalog     *catalog.Service
	CatalogIO   *catalogio.Service
	Inventory   *inventory.Service
	Orders      *order.Service
	Payments    *payment.Service
	Shipping    *shipping.Service
	Customers   *customer.Service
	Coupons     *coupon.Service
	Packs       *couponpack.Service // lucky coupon packs (拼手气)
	Flash       *flashsale.Service
	Home        *home.Service
	Reviews     *review.Service
	Messages    *subscribe.Service
	Search      *search.Service
	// Promoters, stores, commission rules, statements and payouts
	// (promoter_*.go, store_*.go, commission_*.go, payout_*.go).
	Promoters  *promoter.Service
	Commission *commission.Service
	Images     *upload.Store // where uploaded images are kept
	// MaxBodyBytes caps the body of every console request but a product
	// form's, which carries images (KAIDIAN_MAX_BODY_BYTES).
	MaxBodyBytes int64
	Log          *slog.Logger
	Sandbox      bool // shows the sandbox banner on every page

	// Channels are the merchant's named traffic sources; Share draws their
	// (and promoters') mini-program codes.
	Channels *channel.Service
	Share    *share.Service
	// Gifts is share-to-unlock campaigns (issue 17 §1).
	Gifts *couponshare.Service
	// GiftCards is gift cards (issue 17 §3).
	GiftCards *giftcard.Service
}

type handlers struct {
	d       Deps
	pages   templates
	sandbox bool
}
