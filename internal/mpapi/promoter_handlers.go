package mpapi

import (
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/promoter"
)

// promoterHandlers serve /promoter/*: a shopper applying to be a KOL, and
// an active promoter's own page (their code, balances, orders, ledger and
// customers). Everything a promoter sees is read from the server's
// records; nothing about amounts or states is taken from the request.
type promoterHandlers struct {
	promoters  *promoter.Service
	commission *commission.Service
	orderSvc   *order.Service
	shoppers   *customer.Service
}

const promoterKey = "promoter"

// requireActive lets only an active promoter through (403 not_promoter
// otherwise) and keeps them for the handler.
func (h *promoterHandlers) requireActive(c *gin.Context) {
	p, err := h.promoters.ActiveByShopper(c.Request.Context(), shopperID(c))
	if err != nil {
		httpx.Fail(c, err)
		c.Abort()
		return
	}
	c.Set(promoterKey, p)
	c.Next()
}

func promoterOf(c *gin.Context) promoter.Promoter { return c.MustGet(promoterKey).(promoter.Promoter) }

type promoterApplyJSON struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Note  string `json:"note"`
}

type storeJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	City string `json:"city"`
}

type balancesJSON struct {
	Pending  int64 `json:"pending"`
	Settled  int64 `json:"settled"`
	Paid     int64 `json:"paid"`
	Clawback int64 `json:"clawback"`
}

type promoterJSON struct {
	Code           string       `json:"code"`
	Kind           string       `json:"kind"`
	Status         string       `json:"status"`
	Name           string       `json:"name"`
	RateBP         int          `json:"rate_bp"`
	Store          *storeJSON   `json:"store"`
	Balances       balancesJSON `json:"balances"`
	CustomersCount int64        `json:"customers_count"`
}

// apply: POST /api/v1/promoter/apply — 201 with the pending application;
// 409 already_promoter for a shopper who is one (or applied) already.
func (h *promoterHandlers) apply(c *gin.Context) {
	var in promoterApplyJSON
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	p, err := h.promoters.Apply(c.Request.Context(), shopperID(c), promoter.ApplyInput{Name: in.Name, Phone: in.Phone, Note: in.Note})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	reply(c, http.StatusCreated, promoterJSON{Code: p.Code, Kind: string(p.Kind), Status: string(p.Status), Name: p.Name, RateBP: p.RateBP}, nil)
}

type inviteJSON struct {
	Code string `json:"code"`
}

// acceptInvite: POST /api/v1/promoter/invites/accept {code} — a promoter
// the merchant invited attaches the shopper's account; 404
// invite_not_found, 409 already_promoter.
func (h *promoterHandlers) acceptInvite(c *gin.Context) {
	var in inviteJSON
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	p, err := h.promoters.AcceptInvite(c.Request.Context(), shopperID(c), in.Code)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	reply(c, http.StatusOK, promoterJSON{Code: p.Code, Kind: string(p.Kind), Status: string(p.Status), Name: p.Name, RateBP: p.RateBP}, nil)
}

// me: GET /api/v1/promoter/me — the active promoter's code, store,
// balances by state and how many customers bought through them.
func (h *promoterHandlers) me(c *gin.Context) {
	ctx, p := c.Request.Context(), promoterOf(c)
	out := promoterJSON{Code: p.Code, Kind: string(p.Kind), Status: string(p.Status), Name: p.Name, RateBP: p.RateBP}
	if p.StoreID != nil {
		st, err := h.promoters.Store(ctx, *p.StoreID)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		out.Store = &storeJSON{ID: st.ID, Name: st.Name, City: st.City}
	}
	b, err := h.commission.Balances(ctx, p.ID)
	if err == nil {
		out.Balances = balancesJSON{Pending: b.Pending, Settled: b.Settled, Paid: b.Paid, Clawback: b.Clawback}
		out.CustomersCount, err = h.orderSvc.PromoterBuyerCount(ctx, p.ID)
	}
	reply(c, http.StatusOK, out, err)
}

type promoterOrderJSON struct {
	OrderNo     string     `json:"order_no"`
	Status      string     `json:"status"`
	Buyer       string     `json:"buyer"`
	ItemCount   int        `json:"item_count"`
	GoodsAmount int64      `json:"goods_amount"`
	PayAmount   int64      `json:"pay_amount"`
	Refunded    int64      `json:"refunded_amount"`
	Commission  int64      `json:"commission"`
	CreatedAt   time.Time  `json:"created_at"`
	PaidAt      *time.Time `json:"paid_at"`
}

// orderList: GET /api/v1/promoter/orders — orders credited to the promoter,
// newest first, with what each earns them now; buyers masked.
func (h *promoterHandlers) orderList(c *gin.Context) {
	ctx := c.Request.Context()
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	os, next, err := h.orderSvc.ByPromoter(ctx, promoterOf(c).ID, pg)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	ids := make([]int64, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	earned, err := h.commission.OrderCommissions(ctx, ids)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	names := h.maskedBuyers(c, os)
	reply(c, http.StatusOK, listOf(os, next, func(o order.Order) promoterOrderJSON {
		return promoterOrderJSON{OrderNo: o.OrderNo, Status: string(o.Status), Buyer: names[o.ShopperID], ItemCount: o.ItemCount,
			GoodsAmount: o.GoodsAmount, PayAmount: o.PayAmount, Refunded: o.RefundedAmount, Commission: earned[o.ID],
			CreatedAt: o.CreatedAt, PaidAt: o.PaidAt}
	}), nil)
}

type commissionEntryJSON struct {
	ID        int64     `json:"id"`
	State     string    `json:"state"`
	Kind      string    `json:"kind"`
	Amount    int64     `json:"amount"`
	OrderNo   string    `json:"order_no"`
	RateBP    int       `json:"rate_bp"`
	CreatedAt time.Time `json:"created_at"`
}

// entryList: GET /api/v1/promoter/commissions — the promoter's ledger,
// newest first.
func (h *promoterHandlers) entryList(c *gin.Context) {
	ctx := c.Request.Context()
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	es, next, err := h.commission.Entries(ctx, promoterOf(c).ID, pg)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var ids []int64
	for _, e := range es {
		if e.OrderID != nil {
			ids = append(ids, *e.OrderID)
		}
	}
	refs, err := h.orderSvc.Refs(ctx, ids)
	reply(c, http.StatusOK, listOf(es, next, func(e commission.Entry) commissionEntryJSON {
		j := commissionEntryJSON{ID: e.ID, State: string(e.State), Kind: string(e.Kind), Amount: e.Amount, RateBP: e.RateBP, CreatedAt: e.CreatedAt}
		if e.OrderID != nil {
			j.OrderNo = refs[*e.OrderID].OrderNo
		}
		return j
	}), err)
}

type promoterCustomerJSON struct {
	Buyer  string `json:"buyer"`
	Orders int64  `json:"orders"`
}

// customerList: GET /api/v1/promoter/customers — the shoppers who bought
// through the promoter (masked) and how many of their orders were credited.
// Until attribution's bindings are merged, a customer is a buyer of an
// order credited to the promoter.
func (h *promoterHandlers) customerList(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	bs, next, err := h.orderSvc.PromoterBuyers(c.Request.Context(), promoterOf(c).ID, pg)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	names := map[int64]string{}
	for _, b := range bs {
		names[b.ShopperID] = h.maskedName(c, b.ShopperID)
	}
	reply(c, http.StatusOK, listOf(bs, next, func(b order.Buyer) promoterCustomerJSON {
		return promoterCustomerJSON{Buyer: names[b.ShopperID], Orders: b.Orders}
	}), nil)
}

// maskedBuyers names the buyers of a page of orders, masked.
func (h *promoterHandlers) maskedBuyers(c *gin.Context, os []order.Order) map[int64]string {
	names := map[int64]string{}
	for _, o := range os {
		if _, ok := names[o.ShopperID]; !ok {
			names[o.ShopperID] = h.maskedName(c, o.ShopperID)
		}
	}
	return names
}

// maskedName is a shopper's nickname with all but its first character
// hidden ("张**"), "**" without one: a promoter learns who their customers
// are in the shop's terms, never their account.
func (h *promoterHandlers) maskedName(c *gin.Context, shopperID int64) string {
	sh, err := h.shoppers.Get(c.Request.Context(), shopperID)
	if err != nil || sh.Nickname == "" {
		return "**"
	}
	r, _ := utf8.DecodeRuneInString(sh.Nickname)
	return string(r) + "**"
}
