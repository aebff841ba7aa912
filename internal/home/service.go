// Package home is the mini program's home page as the merchant curates it:
// a carousel of banners linking to a product, a category, a flash sale or a
// page; a notice line; and ordered sections of products (picked by hand or
// by a rule: newest, best sellers, a category), flash sales and claimable
// coupons. Banners and sections can be scheduled and switched off; the
// shopper sees only the live ones, and only products on sale.
//
// It sits above catalog, coupons and flash sales, whose services fill the
// sections; every change the merchant makes is audited in its transaction.
package home

import (
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
)

// Errors of the home page editor.
var (
	ErrBannerNotFound  = errs.NotFound("banner_not_found", "home.banner_not_found")
	ErrSectionNotFound = errs.NotFound("section_not_found", "home.section_not_found")
)

// Service is the home page use cases.
type Service struct {
	db      *database.DB
	audit   *audit.Log
	catalog *catalog.Service
	coupons *coupon.Service
	flash   *flashsale.Service
	clock   *clock.Clock
}

// New builds the service.
func New(db *database.DB, log *audit.Log, cat *catalog.Service, coupons *coupon.Service, flash *flashsale.Service, clk *clock.Clock) *Service {
	return &Service{db: db, audit: log, catalog: cat, coupons: coupons, flash: flash, clock: clk}
}
