package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/shipping"
)

type orderListData struct {
	Orders       []order.Order
	Shipments    map[int64]shipping.Shipment // by order id
	Statuses     []order.Status
	FilterFields []string
	Next         string
	Query        url.Values
	Filtered     bool
}

// orderList: GET /console/orders?status=&from=&to=&order_no=&shopper=&product=&flash_sale=&cursor=
// A filter typed wrong shows its error next to it, with no orders.
func (h *handlers) orderList(c *gin.Context) {
	form := orderFilterForm{NewForm(c, c.Request.URL.Query())}
	data := orderListData{Statuses: orderStatuses, FilterFields: orderFilterFields, Query: form.Values, Filtered: form.Filtered()}
	q, err := form.Validate()
	if err == nil {
		q.Page, err = listPage(c, "50")
	}
	if err == nil {
		data.Orders, data.Next, err = h.d.Orders.Search(c.Request.Context(), q)
	}
	if err == nil {
		data.Shipments, err = h.d.Shipping.ForOrders(c.Request.Context(), orderIDs(data.Orders))
	}
	title := httpx.Printer(c).T("console.orders.title")
	switch {
	case err != nil && isFieldError(err):
		data.Orders, data.Next = nil, ""
		h.render(c, httpx.Status(err), "orders.html", View{Title: title, Nav: "orders", Form: form.Fail(err), Data: data})
	case err != nil:
		h.fail(c, err)
	default:
		h.render(c, http.StatusOK, "orders.html", View{Title: title, Nav: "orders", Form: form.Form, Data: data})
	}
}

func orderIDs(orders []order.Order) []int64 {
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	return ids
}
