package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/giftcard"
	"github.com/kaidian/kaidian/internal/httpx"
)

// giftCardData is the gift-card page: the overview, and a shopper's ledger
// when one was asked for.
type giftCardData struct {
	giftcard.Overview
	Shopper int64
	Balance int64
	Ledger  []giftcard.Entry
}

// giftCardList: GET /console/gift-cards?shopper_id= — designs with cards
// sold, on their way and claimed, the outstanding balance (liability), the
// unclaimed cards expiring within 30 days, the form for a new design and,
// with shopper_id, that shopper's balance ledger.
func (h *handlers) giftCardList(c *gin.Context) {
	h.giftCardPage(c, http.StatusOK, NewForm(c, url.Values{"valid_days": {"365"}}))
}

func (h *handlers) giftCardPage(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	var d giftCardData
	var err error
	if d.Overview, err = h.d.GiftCards.Overview(ctx); err != nil {
		h.fail(c, err)
		return
	}
	if q := c.Query("shopper_id"); q != "" {
		if d.Shopper, err = strconv.ParseInt(q, 10, 64); err != nil || d.Shopper < 1 {
			h.fail(c, errs.Field("shopper_id", "invalid.positive_id"))
			return
		}
		if d.Ledger, err = h.d.GiftCards.Ledger(ctx, d.Shopper); err == nil {
			d.Balance, err = h.d.GiftCards.Balance(ctx, d.Shopper)
		}
		if err != nil {
			h.fail(c, err)
			return
		}
	}
	h.render(c, status, "gift_cards.html", View{Title: httpx.Printer(c).T("giftcard.console.title"), Nav: "gift-cards", Form: form, Data: d})
}

// giftCardDesignCreate: POST /console/gift-cards/designs — amounts in
// yuan; audited by the service.
func (h *handlers) giftCardDesignCreate(c *gin.Context) {
	form := postedForm(c)
	in, err := readGiftCardDesign(form)
	var d giftcard.Design
	if err == nil {
		d, err = h.d.GiftCards.CreateDesign(c.Request.Context(), me(c).Actor(), in)
	}
	if err != nil {
		h.giftCardPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/gift-cards", httpx.Printer(c).T("giftcard.console.created", "name", d.Name))
}

// giftCardDesignSale: POST /console/gift-cards/designs/{id}/sale {on}
func (h *handlers) giftCardDesignSale(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	var d giftcard.Design
	if err == nil {
		d, err = h.d.GiftCards.SetOnSale(c.Request.Context(), me(c).Actor(), id, postedForm(c).Get("on") == "true")
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, "/console/gift-cards", httpx.Printer(c).T("giftcard.console.saved", "name", d.Name))
}

func readGiftCardDesign(f *Form) (giftcard.DesignInput, error) {
	in := giftcard.DesignInput{Name: f.Get("name"), Theme: f.Get("theme"), Cover: f.Get("cover"), Active: true}
	var err error
	if in.FaceValue, err = parseFen("face_value", f.Get("face_value")); err != nil {
		return in, err
	}
	if in.Price, err = parseFen("price", f.Get("price")); err != nil {
		return in, err
	}
	if in.ValidDays, err = strconv.Atoi(strings.TrimSpace(f.Get("valid_days"))); err != nil {
		return in, errs.Field("valid_days", "invalid.whole_number")
	}
	return in, nil
}
