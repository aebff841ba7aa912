package app

import (
	"context"

	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
)

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
