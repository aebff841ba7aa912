package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
)

// homeHandlers serve the home page: public and the same for every shopper,
// so it is cached like the catalog (per language: coupons carry a summary
// in words); a merchant's change shows within the cache's time.
type homeHandlers struct{ svc *home.Service }

type homeJSON struct {
	Notice     string            `json:"notice"`
	Banners    []bannerJSON      `json:"banners"`
	Sections   []homeSectionJSON `json:"sections"`
	ServerTime time.Time         `json:"server_time"`
}

type bannerJSON struct {
	ID    int64          `json:"id"`
	Image string         `json:"image"`
	Title string         `json:"title"`
	Link  bannerLinkJSON `json:"link"`
}

// bannerLinkJSON is where a banner leads: type none, product, category or
// flash_sale (with id), or page (a mini program path).
type bannerLinkJSON struct {
	Type home.LinkType `json:"type"`
	ID   int64         `json:"id"`
	Page string        `json:"page"`
}

type homeSectionJSON struct {
	ID         int64             `json:"id"`
	Kind       home.Kind         `json:"kind"`
	Title      string            `json:"title"`
	Rule       catalog.PickRule  `json:"rule"`
	Products   []homeProductJSON `json:"products"`
	FlashSales []flashSaleJSON   `json:"flash_sales"`
	Coupons    []couponJSON      `json:"coupons"`
}

// homeProductJSON is a product as lists show it (ProductSummary in
// api/openapi.yaml, as appendProductList writes it).
type homeProductJSON struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	Subtitle      string `json:"subtitle"`
	MainImage     string `json:"main_image"`
	CategoryID    int64  `json:"category_id"`
	Price         int64  `json:"price"`
	OriginalPrice int64  `json:"original_price"`
	InStock       bool   `json:"in_stock"`
	Sales         int64  `json:"sales"`
}

// home: GET /api/v1/home
func (h *homeHandlers) home(c *gin.Context) {
	p, err := h.svc.Live(c.Request.Context())
	reply(c, http.StatusOK, toHome(httpx.Printer(c), p), err)
}

func toHome(pr *i18n.Printer, p home.Page) homeJSON {
	out := homeJSON{Notice: p.Notice, ServerTime: p.At, Banners: make([]bannerJSON, len(p.Banners)),
		Sections: make([]homeSectionJSON, len(p.Sections))}
	for i, b := range p.Banners {
		out.Banners[i] = bannerJSON{ID: b.ID, Image: b.Image, Title: b.Title,
			Link: bannerLinkJSON{Type: b.LinkType, ID: b.LinkID, Page: b.LinkPage}}
	}
	for i, s := range p.Sections {
		js := homeSectionJSON{ID: s.ID, Kind: s.Kind, Title: s.Title, Rule: s.Rule,
			Products: make([]homeProductJSON, len(s.Products)), FlashSales: make([]flashSaleJSON, len(s.FlashSales)),
			Coupons: make([]couponJSON, len(s.Coupons))}
		for j, ps := range s.Products {
			js.Products[j] = homeProductJSON{ID: ps.ID, Title: ps.Title, Subtitle: ps.Subtitle, MainImage: ps.MainImage,
				CategoryID: ps.CategoryID, Price: ps.Price, OriginalPrice: ps.OriginalPrice, InStock: ps.InStock, Sales: ps.Sales}
		}
		for j, v := range s.FlashSales {
			js.FlashSales[j] = flashSaleView(v, p.At)
		}
		for j, cp := range s.Coupons {
			js.Coupons[j] = toCoupon(pr, cp)
		}
		out.Sections[i] = js
	}
	return out
}
