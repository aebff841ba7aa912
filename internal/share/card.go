package share

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/i18n"
)

// Card is what the mini program hands onShareAppMessage and
// onShareTimeline: a title, the path a tap opens (carrying the sharer's
// reference) and an image; an empty image lets WeChat use a screenshot of
// the page, as it does when imageUrl is left out.
type Card struct {
	Title    i18n.Msg // merchant text as it is, inside Kaidian's words where there are any
	Path     string
	ImageURL string
	Target   Target
	Ref      string
}

// Card makes the share card of target for a shopper (0: anonymous): a
// malformed target is ErrBadTarget, one that does not exist (or is off
// the shelf) its domain's not-found error.
func (s *Service) Card(ctx context.Context, target string, shopperID int64) (Card, error) {
	t, err := ParseTarget(target)
	if err != nil {
		return Card{}, err
	}
	c := Card{Target: t}
	switch t.Kind {
	case KindProduct:
		p, err := s.d.Products.ProductDetail(ctx, t.ID)
		if err != nil {
			return Card{}, err
		}
		c.Title, c.ImageURL = i18n.Text(p.Title), p.MainImage
	case KindFlashSale:
		v, err := s.d.Flash.View(ctx, t.ID)
		if err != nil {
			return Card{}, err
		}
		c.Title = i18n.M("share.card.flash_sale", "title", v.Title)
		for _, o := range v.Offers {
			if o.Image != "" {
				c.ImageURL = o.Image
				break
			}
		}
	case KindCoupon:
		cp, err := s.d.Coupons.Get(ctx, t.ID)
		if err != nil {
			return Card{}, err
		}
		c.Title = i18n.M("share.card.coupon", "name", cp.Name, "value", cp.Value())
	default:
		shop, err := s.d.Shop.Get(ctx)
		if err != nil {
			return Card{}, fmt.Errorf("share card: shop settings: %w", err)
		}
		c.Title = i18n.Text(shop.Name)
	}
	if c.Ref, err = s.RefFor(ctx, shopperID); err != nil {
		return Card{}, err
	}
	c.Path = t.Path(c.Ref)
	return c, nil
}

// check finds out whether the target exists, as Card does, without making
// a card: a code is never drawn for something that is not there.
func (s *Service) check(ctx context.Context, t Target) error {
	var err error
	switch t.Kind {
	case KindProduct:
		_, err = s.d.Products.ProductDetail(ctx, t.ID)
	case KindFlashSale:
		_, err = s.d.Flash.View(ctx, t.ID)
	case KindCoupon:
		_, err = s.d.Coupons.Get(ctx, t.ID)
	}
	return err
}

// CheckTarget reads target and finds out whether it exists: the console
// asks before offering a target's codes for download.
func (s *Service) CheckTarget(ctx context.Context, target string) (Target, error) {
	t, err := ParseTarget(target)
	if err != nil {
		return Target{}, err
	}
	return t, s.check(ctx, t)
}
