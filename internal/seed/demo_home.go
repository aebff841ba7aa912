package seed

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/home"
)

// demoHome lays out the demo shop's home page: a notice, a banner to the
// first category, and the newest and best-selling products. It runs only
// right after the demo catalog was seeded, so a merchant who empties the
// home page later does not find the demo's back after a restart.
func demoHome(ctx context.Context, h *home.Service, cat *catalog.Service) error {
	on := home.Schedule{Enabled: true}
	if err := h.SetNotice(ctx, actor, "欢迎光临演示店：沙箱模式下的支付都是模拟的，不会扣款"); err != nil {
		return fmt.Errorf("demo home notice: %w", err)
	}
	cats, err := cat.Categories(ctx)
	if err != nil {
		return fmt.Errorf("demo home: %w", err)
	}
	if len(cats) > 0 {
		if _, err := h.SaveBanner(ctx, actor, 0, home.BannerDraft{Image: img("tee-black"), Title: "新品 T 恤",
			LinkType: home.LinkCategory, LinkID: cats[0].ID, Schedule: on}); err != nil {
			return fmt.Errorf("demo home banner: %w", err)
		}
	}
	for _, d := range []home.SectionDraft{
		{Kind: home.KindFlashSales, Title: "限时秒杀", ItemLimit: 3, Schedule: on},
		{Kind: home.KindCoupons, Title: "领券中心", ItemLimit: 3, Schedule: on},
		{Kind: home.KindProducts, Title: "新品上架", Rule: catalog.PickNewest, ItemLimit: 6, Schedule: on},
		{Kind: home.KindProducts, Title: "热销榜", Rule: catalog.PickBestSellers, ItemLimit: 6, Schedule: on},
	} {
		if _, err := h.SaveSection(ctx, actor, 0, d); err != nil {
			return fmt.Errorf("demo home section %s: %w", d.Title, err)
		}
	}
	return nil
}
