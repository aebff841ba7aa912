package share

import (
	"context"
	"strconv"
	"strings"

	"golang.org/x/sync/singleflight"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/setting"
)

// What the share service reads of the targets and the sources. The
// domain services satisfy these as they are.
type (
	// Products finds an on-shelf product (catalog.Service).
	Products interface {
		ProductDetail(ctx context.Context, id int64) (catalog.Product, error)
	}
	// FlashSales finds a flash sale with its offers (flashsale.Service).
	FlashSales interface {
		View(ctx context.Context, id int64) (flashsale.View, error)
	}
	// Coupons finds a coupon (coupon.Service).
	Coupons interface {
		Get(ctx context.Context, id int64) (coupon.Coupon, error)
	}
	// Shop reads the shop's settings, for its name (setting.Service).
	Shop interface {
		Get(ctx context.Context) (setting.Shop, error)
	}
	// Promoters finds promoters by code and by shopper (promoter.Service).
	Promoters interface {
		ByCode(ctx context.Context, code string) (promoter.Promoter, error)
		ByShopper(ctx context.Context, shopperID int64) (promoter.Promoter, error)
	}
	// Channels finds channels by code (channel.Service).
	Channels interface {
		ByCode(ctx context.Context, code string) (channel.Channel, error)
	}
	// CodeDrawer asks WeChat for a mini-program code (getwxacodeunlimit)
	// and answers its image; internal/app adapts the WeChat client.
	CodeDrawer interface {
		DrawCode(ctx context.Context, scene, page string, width int) ([]byte, error)
	}
)

// Deps are what the share service is built on.
type Deps struct {
	DB        *database.DB
	Scenes    *Scenes
	Products  Products
	Flash     FlashSales
	Coupons   Coupons
	Shop      Shop
	Promoters Promoters
	Channels  Channels
	Drawer    CodeDrawer
	Clock     *clock.Clock
}

// Service makes share cards and mini-program codes.
type Service struct {
	d       Deps
	drawing singleflight.Group // one WeChat call per (scene, width) at a time on this replica
}

// New builds the share service.
func New(d Deps) *Service { return &Service{d: d} }

// ErrBadRef answers a reference that is not a channel's or a promoter's.
var ErrBadRef = errs.Field("ref", "share.ref_invalid")

// RefFor is the reference a shopper's shares carry: their promoter code
// when they are an active promoter, else "share:<shopper id>"; none for
// an anonymous shopper (shopperID 0).
func (s *Service) RefFor(ctx context.Context, shopperID int64) (string, error) {
	if shopperID == 0 {
		return "", nil
	}
	p, err := s.d.Promoters.ByShopper(ctx, shopperID)
	switch {
	case err == nil && p.Active():
		return p.Ref(), nil
	case err != nil && !errs.Is(err, "promoter_not_found"):
		return "", err
	}
	return "share:" + strconv.FormatInt(shopperID, 10), nil
}

// CheckRef accepts a reference the merchant prints codes for: "" (none),
// "channel:<code>" or "promoter:<code>" of one that exists, whatever its
// status (a stopped channel's poster may still be reprinted).
func (s *Service) CheckRef(ctx context.Context, ref string) error {
	if ref == "" {
		return nil
	}
	kind, code, _ := strings.Cut(ref, ":")
	var err error
	switch kind {
	case "channel":
		_, err = s.d.Channels.ByCode(ctx, code)
	case "promoter":
		_, err = s.d.Promoters.ByCode(ctx, code)
	default:
		return ErrBadRef
	}
	return err
}
