package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/promoter"
)

type promoterListData struct {
	Promoters []promoterRow
	Stores    []promoter.Store
	StoreName map[int64]string
	Kinds     []promoter.Kind
	Statuses  []promoter.Status
	Filters   *Form
	Query     url.Values
	Next      string
}

// promoterRow is a promoter with their balances.
type promoterRow struct {
	promoter.Promoter
	Balances  commission.Balances
	StoreName string
}

// promoterList: GET /console/promoters?kind=&status=&store_id=&cursor= —
// promoters newest first (applications waiting show as pending), with
// their balances, and the form that adds one.
func (h *handlers) promoterList(c *gin.Context) {
	h.promoterListPage(c, http.StatusOK, NewForm(c, url.Values{"kind": {"kol"}, "status": {"active"}}))
}

func (h *handlers) promoterListPage(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	filters := NewForm(c, c.Request.URL.Query())
	d := promoterListData{Filters: filters, Query: c.Request.URL.Query(), Kinds: []promoter.Kind{promoter.KindKOL, promoter.KindAssociate},
		Statuses: []promoter.Status{promoter.StatusPending, promoter.StatusActive, promoter.StatusDisabled}, StoreName: map[int64]string{}}
	q := promoter.Query{Kind: promoter.Kind(filters.Get("kind")), Status: promoter.Status(filters.Get("status"))}
	if s := filters.Get("store_id"); s != "" {
		q.StoreID, _ = strconv.ParseInt(s, 10, 64)
	}
	pg, err := listPage(c, "30")
	var ps []promoter.Promoter
	if err == nil {
		q.Page = pg
		ps, d.Next, err = h.d.Promoters.List(ctx, q)
	}
	if err == nil {
		d.Stores, err = h.d.Promoters.Stores(ctx)
	}
	var bal map[int64]commission.Balances
	if err == nil {
		ids := make([]int64, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		bal, err = h.d.Commission.BalancesOf(ctx, ids)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, st := range d.Stores {
		d.StoreName[st.ID] = st.Name
	}
	for _, p := range ps {
		row := promoterRow{Promoter: p, Balances: bal[p.ID]}
		if p.StoreID != nil {
			row.StoreName = d.StoreName[*p.StoreID]
		}
		d.Promoters = append(d.Promoters, row)
	}
	h.render(c, status, "promoters.html", View{Title: httpx.Printer(c).T("console.promoters.title"), Nav: "promoters", Form: form, Data: d})
}

// promoterCreate: POST /console/promoters {kind, name, phone, note,
// store_id, rate, commission_on_self} — a KOL the merchant invites, or an
// associate of a store; active at once.
func (h *handlers) promoterCreate(c *gin.Context) {
	form := postedForm(c)
	in, err := readPromoterForm(form)
	var p promoter.Promoter
	if err == nil {
		in.Kind, in.Status = promoter.Kind(form.Get("kind")), promoter.StatusActive
		p, err = h.d.Promoters.Create(c.Request.Context(), me(c).Actor(), in)
	}
	if err != nil {
		h.promoterListPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/promoters/"+strconv.FormatInt(p.ID, 10), httpx.Printer(c).T("console.promoters.created"))
}

// readPromoterForm reads what the promoter forms share.
func readPromoterForm(f *Form) (promoter.Input, error) {
	in := promoter.Input{Name: f.Get("name"), Phone: f.Get("phone"), Note: f.Get("note"),
		CommissionOnSelf: f.Get("commission_on_self") == "on"}
	rate, err := strconv.Atoi(strings.TrimSpace(f.Get("rate")))
	if err != nil {
		return in, errs.Field("rate", "invalid.whole_number")
	}
	in.RateBP = rate
	if s := strings.TrimSpace(f.Get("store_id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return in, errs.Field("store_id", "invalid.positive_id")
		}
		in.StoreID = &id
	}
	return in, nil
}
