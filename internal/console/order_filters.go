package console

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
)

// orderStatuses are the choices of the list's status filter.
var orderStatuses = []order.Status{order.StatusPendingPayment, order.StatusPaid, order.StatusShipped,
	order.StatusCompleted, order.StatusClosed}

// orderFilterFields are the list's filters, in the order the page shows them.
var orderFilterFields = []string{"status", "from", "to", "order_no", "shopper", "product", "flash_sale", "source"}

// orderFilterForm is the order list's filters as typed in the query string:
// status, from and to (days in the shop's time zone, both included),
// order_no, shopper (id or openid), product (id or title words),
// flash_sale (id) and source (a source reference, "direct" for none). The list and the CSV export read them alike.
type orderFilterForm struct{ *Form }

// Filtered reports whether any filter is set.
func (f orderFilterForm) Filtered() bool {
	for _, k := range orderFilterFields {
		if f.Get(k) != "" {
			return true
		}
	}
	return false
}

// Validate returns the search the filters ask for, or the error of the
// first one typed wrong (on its field).
func (f orderFilterForm) Validate() (order.AdminQuery, error) {
	v := f.Values
	q := order.AdminQuery{Status: order.Status(v.Get("status")), OrderNo: v.Get("order_no"),
		Shopper: v.Get("shopper"), Product: v.Get("product"), Source: v.Get("source")}
	var err error
	if raw := strings.TrimSpace(v.Get("flash_sale")); raw != "" {
		if q.FlashSale, err = strconv.ParseInt(raw, 10, 64); err != nil || q.FlashSale <= 0 {
			return q, errs.Field("flash_sale", "console.flash_sale_id")
		}
	}
	if q.From, err = shopDay("from", v.Get("from")); err != nil {
		return q, err
	}
	if q.To, err = shopDay("to", v.Get("to")); err != nil {
		return q, err
	}
	if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // through the end of that day
	}
	return q, nil
}

// shopDay reads a date typed as 2026-01-31 as the start of that day in the
// shop's time zone; empty is the zero time.
func shopDay(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, clock.China)
	if err != nil {
		return time.Time{}, errs.Field(field, "console.date")
	}
	return t, nil
}

// listPage reads the cursor and page size of a list page.
func listPage(c *gin.Context, defaultLimit string) (page.Request, error) {
	return page.Parse(c.Query("cursor"), cmp.Or(c.Query("limit"), defaultLimit))
}

// isFieldError reports whether err is about one typed field, to be shown
// next to it rather than on the error page.
func isFieldError(err error) bool {
	_, ok := errs.As(err).Details["field"].(string)
	return ok
}
