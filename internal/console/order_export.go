package console

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/shipping"
)

// exportColumns are the orders CSV's columns by their stable English
// names, the header a tool reads (?headers=en). People get each column's
// name in their own language ("console.export.column.<name>"), and the
// status as a word rather than a code.
var exportColumns = []string{"order_no", "placed_at", "status", "shopper_id", "receiver_name", "receiver_phone",
	"address", "items", "goods_amount", "shipping_fee", "discount_amount", "pay_amount", "refunded_amount",
	"coupon_id", "remark", "paid_at", "transaction_id", "carrier", "tracking_no", "shipped_at", "source", "promoter_id"}

// exportHeader is the header row: for people in p's language, for tools
// (forTools) the English column names, whatever the reader's language.
func exportHeader(p *i18n.Printer, forTools bool) []string {
	if forTools {
		return exportColumns
	}
	row := make([]string, len(exportColumns))
	for i, col := range exportColumns {
		row[i] = p.Enum("console.export.column", col)
	}
	return row
}

// orderExport: GET /console/orders/export.csv?from=&to=[&other list filters][&headers=en]
// streams the orders placed in a date range (both days included, shop
// time) as CSV, oldest first, with a UTF-8 byte-order mark so Excel reads
// the Chinese text. The header and the status are in the reader's language,
// or English names and codes with headers=en (for imports into other
// systems). Amounts are plain decimals in yuan (29.90) and times are
// China's (2026-01-31 18:05:00) either way.
func (h *handlers) orderExport(c *gin.Context) {
	q, err := orderFilterForm{NewForm(c, c.Request.URL.Query())}.Validate()
	if err == nil && (q.From.IsZero() || q.To.IsZero()) {
		err = errs.Field("from", "console.export_days")
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	p, forTools := httpx.Printer(c), c.Query("headers") == "en"
	status := func(s order.Status) string {
		if forTools {
			return string(s)
		}
		return p.Enum("order.status", s)
	}
	source := func(src string) string {
		if forTools {
			return src
		}
		return sourceName(p, src, "")
	}
	w := csv.NewWriter(c.Writer)
	started := false
	start := func() {
		started = true
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="orders-%s-%s.csv"`,
			q.From.Format("20060102"), q.To.AddDate(0, 0, -1).Format("20060102")))
		c.Writer.WriteString("\ufeff")
		w.Write(exportHeader(p, forTools))
	}
	err = h.d.Orders.Export(ctx, q, func(batch []order.Order) error {
		if !started {
			start()
		}
		shipments, err := h.d.Shipping.ForOrders(ctx, orderIDs(batch))
		if err != nil {
			return err
		}
		for _, o := range batch {
			w.Write(exportRow(o, shipments[o.ID], status(o.Status), source(o.Source)))
		}
		w.Flush()
		return w.Error()
	})
	switch {
	case err != nil && !started:
		h.fail(c, err)
	case err != nil:
		// The answer is under way; all that can be done is stop and say so in the log.
		httpx.Logger(c).Error("console: order export cut short", "error", err.Error())
	case !started:
		start()
		w.Flush()
	}
}

func exportRow(o order.Order, sh shipping.Shipment, status, source string) []string {
	items := make([]string, len(o.Items))
	for i, it := range o.Items {
		items[i] = strings.TrimSpace(it.Title+" "+it.SpecText) + " ×" + strconv.Itoa(it.Quantity)
	}
	coupon, promoter := "", ""
	if o.CouponID != nil {
		coupon = strconv.FormatInt(*o.CouponID, 10)
	}
	if o.PromoterID != nil {
		promoter = strconv.FormatInt(*o.PromoterID, 10)
	}
	return []string{o.OrderNo, csvTime(&o.CreatedAt), status, strconv.FormatInt(o.ShopperID, 10),
		cell(o.ReceiverName), cell(o.ReceiverPhone), cell(o.Province + o.City + o.District + " " + o.AddressDetail),
		cell(strings.Join(items, "; ")), money.Decimal(o.GoodsAmount), money.Decimal(o.ShippingFee), money.Decimal(o.DiscountAmount),
		money.Decimal(o.PayAmount), money.Decimal(o.RefundedAmount), coupon, cell(o.Remark), csvTime(o.PaidAt), o.TransactionID,
		cell(sh.CarrierName()), cell(sh.TrackingNo), csvTime(o.ShippedAt), cell(source), promoter}
}

// cell keeps text a shopper or merchant typed from being read as a formula
// by a spreadsheet (CSV injection): a leading =, +, - or @ gets a quote.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(clock.China).Format("2006-01-02 15:04:05")
}
