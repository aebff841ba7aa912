package mpapi_test

import (
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
)

// A fresh demo shop opens on a home page: the notice, a banner to a
// category, and the newest and best-selling products (the demo's flash
// sale and coupon sections show once the merchant creates some).
func TestDemoShopHasAHomePage(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.Demo = true })
	var b struct {
		Notice  string `json:"notice"`
		Banners []struct {
			Link struct{ Type string } `json:"link"`
		} `json:"banners"`
		Sections []struct {
			Title    string       `json:"title"`
			Products []productRef `json:"products"`
		} `json:"sections"`
	}
	e.Get("/api/v1/home", "").Decode(t, &b)
	if b.Notice == "" || len(b.Banners) != 1 || b.Banners[0].Link.Type != "category" || len(b.Sections) != 2 ||
		b.Sections[0].Title != "新品上架" || len(b.Sections[0].Products) != 6 || len(b.Sections[1].Products) != 6 {
		t.Fatalf("the demo shop's home page: %+v", b)
	}
}

type productRef struct {
	ID int64 `json:"id"`
}
