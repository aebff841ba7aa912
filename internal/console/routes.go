package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/web"
)

// Mount registers every console route on r (normally /console). This is
// the one list of them: each handler lives in a file named after its
// object and verb (product_list.go, order_ship.go, ...).
func Mount(r *gin.RouterGroup, d Deps) error {
	pages, err := parseTemplates(web.ConsoleTemplates())
	if err != nil {
		return err
	}
	h := &handlers{d: d, pages: pages, sandbox: d.Sandbox}
	r.Use(securityHeaders, h.loadSession)

	// Each group caps bodies before anything reads them (checkCSRF parses
	// the form): KAIDIAN_MAX_BODY_BYTES for forms and CSV imports, more for
	// product forms, which carry images.
	forms := httpx.LimitBody(d.MaxBodyBytes)
	signedIn := func(limit gin.HandlerFunc) *gin.RouterGroup {
		return r.Group("", limit, h.requireSession, h.checkCSRF, h.forcePasswordChange)
	}
	in := signedIn(forms)
	uploads := signedIn(limitProductForm(d.MaxBodyBytes))
	imports := signedIn(httpx.LimitBody(d.MaxBodyBytes))

	r.GET("/login", forms, h.loginPage)
	r.POST("/login", forms, h.login)

	in.POST("/logout", h.logout)
	in.POST("/language", h.languageSave)
	in.GET("/password", h.passwordPage)
	in.POST("/password", h.passwordSave)
	in.GET("", h.dashboard)
	in.GET("/", h.dashboard)

	// Products, SKUs, categories and images.
	in.GET("/products", h.productList)
	in.POST("/products/shelf", h.productShelf)
	in.GET("/products/new", h.productNew)
	uploads.POST("/products/new", h.productCreate)
	in.GET("/products/:id", h.productEdit)
	uploads.POST("/products/:id", h.productUpdate)
	in.GET("/categories", h.categoryList)
	in.POST("/categories", h.categoryCreate)
	in.POST("/categories/:id", h.categoryUpdate)
	in.POST("/categories/:id/delete", h.categoryDelete)

	// Stock, the ledger, adjustments, CSV import and export.
	in.GET("/inventory", h.inventoryList)
	in.GET("/inventory/export.csv", h.inventoryExport)
	in.GET("/inventory/import", h.importPage)
	imports.POST("/inventory/import", h.importUpload)
	in.GET("/inventory/import/template.csv", h.importTemplate)
	in.GET("/inventory/import/:id", h.importShow)
	in.GET("/inventory/:id", h.inventorySKU)
	in.POST("/inventory/:id/adjust", h.inventoryAdjust)

	// Coupons: the list with statistics, create and edit, a coupon's own
	// page, stopping one and issuing it to shoppers. Staff and owners alike
	// run coupons.
	in.GET("/coupons", h.couponList)
	in.GET("/coupons/new", h.couponNew)
	in.POST("/coupons", h.couponCreate)
	in.GET("/coupons/:id", h.couponShow)
	in.GET("/coupons/:id/edit", h.couponEdit)
	in.POST("/coupons/:id", h.couponUpdate)
	in.POST("/coupons/:id/stop", h.couponStop)
	in.POST("/coupons/:id/issue", h.couponIssue)
	// Lucky coupon packs (拼手气): campaigns, their packs, a pack for a channel.
	in.GET("/coupon-packs", h.packCampaignList)
	in.GET("/coupon-packs/new", h.packCampaignNew)
	in.POST("/coupon-packs", h.packCampaignCreate)
	in.GET("/coupon-packs/:id", h.packCampaignShow)
	in.GET("/coupon-packs/:id/edit", h.packCampaignEdit)
	in.POST("/coupon-packs/:id", h.packCampaignUpdate)
	in.POST("/coupon-packs/:id/stop", h.packCampaignStop)
	in.POST("/coupon-packs/:id/issue", h.packIssue)
	// Share-to-unlock campaigns (裂变券, issue 17 §1): staff and owners alike,
	// as for coupons.
	in.GET("/unlock-campaigns", h.unlockList)
	in.GET("/unlock-campaigns/new", h.unlockNew)
	in.POST("/unlock-campaigns", h.unlockCreate)
	in.POST("/unlock-campaigns/:id/stop", h.unlockStop)
	// Gift cards (礼品卡, issue 17 §3): designs, what was sold, the
	// outstanding balance and a shopper's ledger.
	in.GET("/gift-cards", h.giftCardList)
	in.GET("/gift-cards/ledger.csv", h.giftCardLedgerExport)
	in.POST("/gift-cards/designs", h.giftCardDesignCreate)
	in.POST("/gift-cards/designs/:id/sale", h.giftCardDesignSale)

	// Flash sales (秒杀): the list by phase, schedule and edit (before the
	// start), a sale's own page with its live numbers or results, and
	// ending one. Scheduling carves units out of stock and ending gives them
	// back, both through the ledger and the audit log under the merchant's
	// name; like coupons, staff and owners alike run them.
	in.GET("/flash-sales", h.flashList)
	in.GET("/flash-sales/new", h.flashNew)
	in.POST("/flash-sales", h.flashCreate)
	in.GET("/flash-sales/:id", h.flashShow)
	in.GET("/flash-sales/:id/edit", h.flashEdit)
	in.POST("/flash-sales/:id", h.flashUpdate)
	in.POST("/flash-sales/:id/end", h.flashEnd)

	// Hot search words: pin, unpin and reorder the words the mini program's
	// search page shows first, beside the most searched ones.
	in.GET("/search-words", h.searchWordList)
	in.POST("/search-words", h.searchWordPin)
	in.POST("/search-words/:id/unpin", h.searchWordUnpin)
	in.POST("/search-words/:id/move", h.searchWordMove)
	// The home page editor (首页装修): banners (their images through the
	// image upload, as products'), sections, the notice, order and preview.
	// Staff and owners alike, as for coupons and flash sales.
	in.GET("/home", h.homeShow)
	in.POST("/home/notice", h.homeNoticeSave)
	in.GET("/home/banners/new", h.homeBannerNew)
	uploads.POST("/home/banners", h.homeBannerCreate)
	in.GET("/home/banners/:id", h.homeBannerEdit)
	uploads.POST("/home/banners/:id", h.homeBannerUpdate)
	in.POST("/home/banners/:id/delete", h.homeBannerDelete)
	in.POST("/home/banners/:id/move", h.homeBannerMove)
	in.GET("/home/sections/new", h.homeSectionNew)
	in.POST("/home/sections", h.homeSectionCreate)
	in.GET("/home/sections/:id", h.homeSectionEdit)
	in.POST("/home/sections/:id", h.homeSectionUpdate)
	in.POST("/home/sections/:id/delete", h.homeSectionDelete)
	in.POST("/home/sections/:id/move", h.homeSectionMove)

	// Orders, shipping, refunds. None is owner-only: the owner refund limit
	// is enforced by the payment domain for each refund, whoever asks.
	in.GET("/orders", h.orderList)
	in.GET("/orders/export.csv", h.orderExport)
	in.GET("/orders/ship-csv", h.orderShipCSVPage)
	imports.POST("/orders/ship-csv", h.orderShipCSV)
	in.GET("/orders/:no", h.orderShow)
	in.POST("/orders/:no/ship", h.orderShip)
	in.POST("/orders/:no/cancel", h.orderCancel)
	in.POST("/orders/:no/refund", h.orderRefund)
	in.POST("/orders/:no/shipping/retry", h.orderRetryUpload)
	in.GET("/refunds", h.refundList)
	in.POST("/refunds/requests/:id/approve", h.refundApprove)
	in.POST("/refunds/requests/:id/decline", h.refundDecline)
	// After sale: a request's own page, a return's receipt and refund, the
	// parcel's events the merchant enters, the after-sale settings.
	in.GET("/refunds/requests/:id", h.refundRequestShow)
	in.POST("/refunds/requests/:id/receive", h.refundReceive)
	in.POST("/refunds/requests/:id/refund", h.refundReturn)
	in.POST("/orders/:no/parcel-events", h.parcelEvent)

	// Reviews: the list with its filters, the shop's reply, hiding and
	// showing, approving held ones; each audited under the merchant's name.
	in.GET("/reviews", h.reviewList)
	in.POST("/reviews/:id/reply", h.reviewReply)
	in.POST("/reviews/:id/hide", h.reviewHide)
	in.POST("/reviews/:id/unhide", h.reviewUnhide)
	in.POST("/reviews/:id/approve", h.reviewApprove)

	// Subscribe messages: the log for everyone; which template each scene
	// sends is the owner's (audited).
	in.GET("/messages", h.messageList)
	in.GET("/messages/templates", h.messageTemplates)
	in.GET("/messages/templates/:scene", h.requireOwner, h.messageTemplateEdit)
	in.POST("/messages/templates/:scene", h.requireOwner, h.messageTemplateSave)

	// Channels (渠道): the merchant's named traffic sources, audited
	// through the channel service, and the mini-program codes every page
	// that offers codes to print links to (promoters' pages too).
	in.GET("/channels", h.channelList)
	in.GET("/channels/new", h.channelNew)
	in.POST("/channels", h.channelCreate)
	in.GET("/channels/:id", h.channelEdit)
	in.POST("/channels/:id", h.channelUpdate)
	in.GET("/share/code.png", h.shareCode)
	// Attribution (issue 16): the funnel by source and day, with its CSV,
	// and the customers bound to store associates, moved when one leaves.
	in.GET("/funnel", h.funnelShow)
	in.GET("/funnel/export.csv", h.funnelExport)
	in.GET("/bindings", h.bindingList)
	in.POST("/bindings/move", h.bindingMove)
	in.POST("/bindings/move-all", h.bindingMoveAll)

	// Shoppers and their orders.
	in.GET("/customers", h.customerList)
	in.GET("/customers/:id", h.customerShow)

	// Promoters (推广员): KOLs and store associates, their applications,
	// stores, commission rules and campaigns, statements; audited under the
	// merchant's name. Payout batches move money: owners only.
	in.GET("/promoters", h.promoterList)
	in.POST("/promoters", h.promoterCreate)
	in.GET("/promoters/:id", h.promoterShow)
	in.POST("/promoters/:id", h.promoterUpdate)
	in.POST("/promoters/:id/approve", h.promoterApprove)
	in.POST("/promoters/:id/reject", h.promoterReject)
	in.POST("/promoters/:id/disable", h.promoterDisable)
	in.POST("/promoters/:id/enable", h.promoterEnable)
	in.POST("/promoters/:id/invite", h.promoterInvite)
	in.GET("/promoters/:id/statement", h.promoterStatement)
	in.GET("/stores", h.storeList)
	in.POST("/stores", h.storeCreate)
	in.POST("/stores/:id", h.storeUpdate)
	in.GET("/commission", h.commissionRules)
	in.POST("/commission/rules", h.commissionRuleSave)
	in.POST("/commission/rules/:id/delete", h.commissionRuleDelete)
	in.POST("/commission/campaigns", h.commissionCampaignSave)

	owner := in.Group("", h.requireOwner)
	owner.GET("/payouts", h.payoutList)
	owner.POST("/payouts", h.payoutCreate)
	owner.GET("/payouts/:id", h.payoutShow)
	owner.GET("/payouts/:id/export.csv", h.payoutExport)
	owner.POST("/payouts/:id/paid", h.payoutPaid)
	owner.POST("/payouts/:id/cancel", h.payoutCancel)
	owner.POST("/settings/commission", h.settingsCommissionSave)
	owner.GET("/staff", h.staffList)
	owner.GET("/staff/new", h.staffNew)
	owner.POST("/staff", h.staffCreate)
	owner.GET("/staff/:id", h.staffEdit)
	owner.POST("/staff/:id", h.staffUpdate)
	owner.GET("/audit", h.auditList)
	owner.GET("/settings", h.settingsPage)
	owner.POST("/settings", h.settingsSave)
	owner.POST("/settings/after-sale", h.settingsAfterSaleSave)
	owner.POST("/settings/attribution", h.settingsAttributionSave)
	return nil
}
