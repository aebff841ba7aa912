package app

import (
	"context"

	"github.com/kaidian/kaidian/internal/address"
	"github.com/kaidian/kaidian/internal/cart"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
)

// cartAdapter lets checkout read and clear the shopper's cart without the
// order package importing the cart's types.
type cartAdapter struct{ c *cart.Service }

func (a cartAdapter) CheckoutLines(ctx context.Context, shopperID int64, ids []int64) ([]order.LineInput, error) {
	items, err := a.c.Lines(ctx, shopperID, ids)
	if err != nil {
		return nil, err
	}
	lines := make([]order.LineInput, len(items))
	for i, it := range items {
		lines[i] = order.LineInput{SKUID: it.SKUID, Quantity: it.Quantity}
	}
	return lines, nil
}

func (a cartAdapter) RemoveItems(ctx context.Context, shopperID int64, ids []int64) error {
	return a.c.RemoveItems(ctx, shopperID, ids)
}

// addressAdapter gives checkout the shopper's address as an order snapshots it.
type addressAdapter struct{ b *address.Service }

func (a addressAdapter) ShippingAddress(ctx context.Context, shopperID, id int64) (order.Address, error) {
	ad, err := a.b.Get(ctx, shopperID, id)
	if err != nil {
		return order.Address{}, err
	}
	return order.Address{Name: ad.Name, Phone: ad.Phone, Province: ad.Province, City: ad.City,
		District: ad.District, Detail: ad.Detail}, nil
}

// sessionAdapter lets login call WeChat's jscode2session without auth
// importing the WeChat client.
type sessionAdapter struct{ c *miniprogram.Client }

func (a sessionAdapter) Code2Session(ctx context.Context, code string) (customer.Identity, error) {
	s, err := a.c.Code2Session(ctx, code)
	if err != nil {
		return customer.Identity{}, err
	}
	return customer.Identity{OpenID: s.OpenID, UnionID: s.UnionID, SessionKey: s.SessionKey}, nil
}
