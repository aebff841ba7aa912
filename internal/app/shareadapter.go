package app

import (
	"context"

	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
)

// codeDrawer draws mini-program codes through WeChat's getwxacodeunlimit
// for the share service.
type codeDrawer struct{ c *miniprogram.Client }

func (d codeDrawer) DrawCode(ctx context.Context, scene, page string, width int) ([]byte, error) {
	return d.c.UnlimitedCode(ctx, miniprogram.CodeRequest{Scene: scene, Page: page, Width: width})
}
