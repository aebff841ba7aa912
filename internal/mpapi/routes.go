// Package mpapi is the mini program's JSON API under /api/v1: thin handlers
// that bind the request, call one domain service method and answer with the
// response types of api/openapi.yaml.
package mpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/address"
	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/cart"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/couponshare"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/favorite"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/footprint"
	"github.com/kaidian/kaidian/internal/giftcard"
	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/report"
	"github.com/kaidian/kaidian/internal/review"
	"github.com/kaidian/kaidian/internal/search"
	"github.com/kaidian/kaidian/internal/share"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/subscribe"
	"github.com/kaidian/kaidian/internal/upload"
)

// Deps are the services the API calls.
type Deps struct {
	Tokens    *auth.Tokens
	Login     *auth.Login
	Catalog   *catalog.Service
	Cart      *cart.Service
	Addresses *address.Service
	Orders    *order.Service
	Payments  *payment.Service
	Coupons   *coupon.Service
	Flash     *flashsale.Service
	Shipping  *shipping.Service // parcels: an order's shipment and its tracking
	Reviews   *review.Service
	Messages  *subscribe.Service
	Search    *search.Service
	Uploads   *upload.Service
	Home      *home.Service
	Packs     *couponpack.Service // lucky coupon packs
	Share     *share.Service      // share cards and mini-program codes
	// Gifts is coupons friends give each other, and share-to-unlock.
	Gifts *couponshare.Service
	// GiftCards is gift cards (礼品卡) and the shopper's balance.
	GiftCards *giftcard.Service

	// Promoters and their commission (promoter_handlers.go).
	Promoters  *promoter.Service
	Commission *commission.Service

	// The shopper's own page, favourites and footprints. Footprints, when
	// not nil, records logged-in shoppers' product views (off the request's
	// path); AvatarCheck and Phone are the upload and WeChat sides of
	// PATCH /me and POST /me/phone.
	Customers   *customer.Service
	Reports     *report.Service
	Favorites   *favorite.Service
	Footprints  *footprint.Store
	Views       *footprint.Recorder
	AvatarCheck customer.AvatarCheck
	Phone       customer.PhoneExchange

	// Visits records visits and cart adds for attribution and the funnel.
	Visits *attribution.Recorder
	// Bindings are the customers bound to store associates (the promoter routes list them).
	Bindings *attribution.Service

	// CatalogCache holds public catalog answers for a moment (nil: off);
	// put CatalogCache.Handler() in front of any GET whose answer depends
	// only on its path and query.
	CatalogCache *httpx.Cache
	// ClientLimit limits every route per client address, ShopperLimit the
	// state-changing ones per shopper (nil: no limit).
	ClientLimit, ShopperLimit *httpx.Limiter
}

// Mount registers every /api/v1 route on r.
func Mount(r *gin.RouterGroup, d Deps) {
	r.Use(d.ClientLimit.PerClient())
	cached := d.CatalogCache.Handler()

	a := &authHandlers{svc: d.Login}
	r.POST("/auth/login", a.login)

	cat := &catalogHandlers{svc: d.Catalog}
	r.GET("/categories", cached, cat.categories)
	r.GET("/products", recordSearches(d.Search, d.Tokens), cached, cat.products)
	r.GET("/products/:id", recordView(d.Tokens, d.Views), cached, cat.product)

	fl := &flashHandlers{svc: d.Flash}
	r.GET("/flash-sales", fl.list)
	r.GET("/flash-sales/:id", fl.get)

	me := r.Group("", requireShopper(d.Tokens), limitShopperWrites(d.ShopperLimit))

	vs := &visitHandlers{rec: d.Visits}
	r.POST("/visits", optionalShopper(d.Tokens), vs.record)

	ct := &cartHandlers{svc: d.Cart, visits: d.Visits}
	me.GET("/cart", ct.list)
	me.POST("/cart/items", ct.add)
	me.PATCH("/cart/items/:id", ct.update)
	me.DELETE("/cart/items/:id", ct.remove)

	ad := &addressHandlers{svc: d.Addresses}
	me.GET("/addresses", ad.list)
	me.POST("/addresses", ad.create)
	me.PUT("/addresses/:id", ad.update)
	me.DELETE("/addresses/:id", ad.remove)

	o := &orderHandlers{svc: d.Orders, parcels: d.Shipping}
	me.POST("/orders/preview", o.preview)
	me.POST("/orders", o.place)
	me.GET("/orders", o.list)
	me.GET("/orders/:order_no", o.get)
	me.POST("/orders/:order_no/cancel", o.cancel)
	me.POST("/orders/:order_no/confirm-receipt", o.confirmReceipt)

	pay := &payHandlers{svc: d.Payments}
	me.POST("/orders/:order_no/pay", pay.pay)
	me.POST("/orders/:order_no/refund-requests", pay.requestRefund)
	me.GET("/orders/:order_no/refund-requests", pay.refundRequests)

	// Parcels and after sale (parcel_handlers.go, aftersale_handlers.go).
	me.GET("/orders/:order_no/tracking", o.tracking)
	me.POST("/refund-requests/:id/return-shipment", pay.returnShipment)
	me.POST("/refund-requests/:id/cancel", pay.cancelRequest)
	me.GET("/me/refund-requests", pay.myRefundRequests)

	cp := &couponHandlers{svc: d.Coupons}
	me.GET("/coupons", cp.offers)
	me.POST("/coupons/:id/claim", cp.claim)
	me.GET("/me/coupons", cp.mine)
	// Lucky coupon packs: anyone the pack was shared with may open it; grabbing is a shopper's.
	pk := &couponPackHandlers{svc: d.Packs}
	r.GET("/coupon-packs/:token", optionalShopper(d.Tokens), pk.view)
	me.POST("/coupon-packs/:token/grab", pk.grab)
	me.GET("/me/coupon-packs", pk.mine)

	// Promoters: applying, and an active promoter's own page.
	pr := &promoterHandlers{promoters: d.Promoters, commission: d.Commission, orderSvc: d.Orders, shoppers: d.Customers, bindings: d.Bindings}
	me.POST("/promoter/apply", pr.apply)
	me.POST("/promoter/invites/accept", pr.acceptInvite)
	active := me.Group("/promoter", pr.requireActive)
	active.GET("/me", pr.me)
	active.GET("/orders", pr.orderList)
	active.GET("/commissions", pr.entryList)
	active.GET("/customers", pr.customerList)

	mine := &meHandlers{customers: d.Customers, reports: d.Reports, uploads: d.Uploads, avatar: d.AvatarCheck, phone: d.Phone}
	me.GET("/me", mine.get)
	me.POST("/me/phone", mine.bindPhone) // PATCH /me: mountProfile, beside /uploads
	fav := &favoriteHandlers{svc: d.Favorites}
	me.GET("/me/favorites", fav.list)
	me.GET("/me/favorites/:product_id", fav.get)
	me.PUT("/me/favorites/:product_id", fav.put)
	me.DELETE("/me/favorites/:product_id", fav.remove)
	fp := &footprintHandlers{store: d.Footprints}
	me.GET("/me/footprints", fp.list)
	me.DELETE("/me/footprints", fp.clear)
	sub := &subscriptionHandlers{svc: d.Messages}
	r.GET("/subscriptions/templates", sub.templates)
	me.POST("/subscriptions", sub.record)
	sr := &searchHandlers{svc: d.Search}
	r.GET("/search/hot", cached, sr.hot)
	r.GET("/search/suggest", cached, sr.suggest)
	me.GET("/me/search-history", sr.history)
	me.DELETE("/me/search-history", sr.clearHistory)

	// Home page and coupon picker (issue 15): the home page is the same for
	// every shopper, cached per language; a product's coupons are per shopper.
	hm := &homeHandlers{svc: d.Home}
	r.GET("/home", d.CatalogCache.PerLanguage(), hm.home)
	pc := &productCouponHandlers{catalog: d.Catalog, coupons: d.Coupons}
	r.GET("/products/:id/coupons", optionalShopper(d.Tokens), pc.list)
	// Reviews: the product's list is public and read fresh (its names are
	// in the reader's language); writing them is the shopper's.
	rv := &reviewHandlers{svc: d.Reviews}
	r.GET("/products/:id/reviews", rv.product)
	me.POST("/orders/:order_no/reviews", rv.submit)
	me.GET("/orders/:order_no/reviews", rv.mine)
	me.POST("/orders/:order_no/reviews/:review_id/follow-up", rv.followUp)
	// Share cards and mini-program codes (issue 16): public, and carrying
	// the shopper's reference when a token is sent.
	sh := &shareHandlers{svc: d.Share}
	r.GET("/share", optionalShopper(d.Tokens), sh.card)
	r.GET("/share/code", optionalShopper(d.Tokens), sh.code)
	// Coupons friends give each other (issue 17 §1, gift_handlers.go): a
	// share is open to anyone who has its token; claiming needs a login.
	gf := &giftHandlers{svc: d.Gifts}
	me.POST("/me/coupons/:id/share", gf.give)
	me.POST("/me/coupons/:id/share/cancel", gf.cancel)
	r.GET("/coupon-shares/:token", optionalShopper(d.Tokens), gf.view)
	me.POST("/coupon-shares/:token/claim", gf.claim)
	// Share-to-unlock campaigns (unlock_handlers.go).
	ul := &unlockHandlers{svc: d.Gifts}
	me.POST("/unlock-campaigns/:id/start", ul.start)
	me.GET("/unlock-campaigns/:id/progress", ul.progress)
	r.GET("/unlock-shares/:token", optionalShopper(d.Tokens), ul.invitation)
	me.POST("/unlock-shares/:token/claim", ul.claim)
	// Gift cards (issue 17 §3, giftcard_handlers.go): bought like an order
	// and paid through /orders/{order_no}/pay; a sent card's link is open
	// to anyone who has its token, claiming needs a login.
	gc := &giftCardHandlers{svc: d.GiftCards}
	r.GET("/gift-card-designs", gc.designs)
	me.POST("/gift-cards", gc.buy)
	me.GET("/me/gift-cards", gc.mine)
	me.POST("/gift-cards/:id/send", gc.send)
	me.POST("/gift-cards/:id/send/cancel", gc.takeBack)
	me.POST("/gift-cards/:id/refund", gc.refund)
	r.GET("/gift-card-shares/:token", optionalShopper(d.Tokens), gc.view)
	me.POST("/gift-card-shares/:token/claim", gc.claim)
}
