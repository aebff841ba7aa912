package console

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/share"
)

type promoterShowData struct {
	Promoter promoter.Promoter
	Store    *promoter.Store
	Stores   []promoter.Store
	Balances commission.Balances
	Entries  []commission.Entry
	OrderNo  map[int64]string
	Rules    []commission.Rule
	Months   []time.Time // the statement months offered besides this one: the eleven before
	Codes    codeLinks   // the promoter's mini-program code for the home page, in every print width
	Invite   string      // the open invite code of a promoter without an account
}

// promoterShow: GET /console/promoters/{id} — details and the edit form,
// the status actions, balances, their rules, recent ledger entries, their
// mini-program code and monthly statements.
func (h *handlers) promoterShow(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	p, err := h.d.Promoters.Get(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.promoterPage(c, http.StatusOK, p, NewForm(c, promoterValues(p)))
}

func promoterValues(p promoter.Promoter) url.Values {
	v := url.Values{"name": {p.Name}, "phone": {p.Phone}, "note": {p.Note}, "rate": {strconv.Itoa(p.RateBP)}}
	if p.StoreID != nil {
		v.Set("store_id", strconv.FormatInt(*p.StoreID, 10))
	}
	if p.CommissionOnSelf {
		v.Set("commission_on_self", "on")
	}
	return v
}

func (h *handlers) promoterPage(c *gin.Context, status int, p promoter.Promoter, form *Form) {
	ctx := c.Request.Context()
	d := promoterShowData{Promoter: p, OrderNo: map[int64]string{},
		Codes: links(share.KindHome, p.Ref())}
	var err error
	if p.StoreID != nil {
		st, serr := h.d.Promoters.Store(ctx, *p.StoreID)
		d.Store, err = &st, serr
	}
	if err == nil {
		d.Stores, err = h.d.Promoters.Stores(ctx)
	}
	if err == nil && p.ShopperID == nil {
		d.Invite, err = h.d.Promoters.InviteCode(ctx, p.ID)
	}
	if err == nil {
		d.Balances, err = h.d.Commission.Balances(ctx, p.ID)
	}
	if err == nil {
		d.Entries, _, err = h.d.Commission.Entries(ctx, p.ID, page.Request{Limit: 20})
	}
	if err == nil {
		d.Rules, err = h.d.Commission.Rules(ctx, p.ID)
	}
	if err == nil {
		var ids []int64
		for _, e := range d.Entries {
			if e.OrderID != nil {
				ids = append(ids, *e.OrderID)
			}
		}
		refs, rerr := h.d.Orders.Refs(ctx, ids)
		for id, r := range refs {
			d.OrderNo[id] = r.OrderNo
		}
		err = rerr
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	now := time.Now().In(clock.China)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, clock.China)
	for i := range 11 {
		d.Months = append(d.Months, first.AddDate(0, -i-1, 0))
	}
	h.render(c, status, "promoter.html", View{Title: p.Name, Nav: "promoters", Form: form, Data: d})
}

// promoterUpdate: POST /console/promoters/{id} {name, phone, note, store_id,
// rate, commission_on_self}
func (h *handlers) promoterUpdate(c *gin.Context) {
	form := postedForm(c)
	p, ok := pathRecord(h, c, h.d.Promoters.Get)
	if !ok {
		return
	}
	in, err := readPromoterForm(form)
	if err == nil {
		p, err = h.d.Promoters.Update(c.Request.Context(), me(c).Actor(), p.ID, promoter.Changes{Name: in.Name, Phone: in.Phone,
			Note: in.Note, StoreID: in.StoreID, RateBP: in.RateBP, CommissionOnSelf: in.CommissionOnSelf})
	}
	if err != nil {
		h.promoterPage(c, httpx.Status(err), p, form.Fail(err))
		return
	}
	redirect(c, "/console/promoters/"+strconv.FormatInt(p.ID, 10), httpx.Printer(c).T("console.promoters.saved"))
}
