package console_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/staff"
)

// shippingUploads is what the sandbox's WeChat received for a payment.
type shippingUpload struct {
	ErrCode int `json:"errcode"`
	Body    struct {
		OrderKey struct {
			OrderNumberType int    `json:"order_number_type"`
			TransactionID   string `json:"transaction_id"`
		} `json:"order_key"`
		LogisticsType int `json:"logistics_type"`
		DeliveryMode  int `json:"delivery_mode"`
		ShippingList  []struct {
			TrackingNo     string `json:"tracking_no"`
			ExpressCompany string `json:"express_company"`
			ItemDesc       string `json:"item_desc"`
			Contact        struct {
				ReceiverContact string `json:"receiver_contact"`
			} `json:"contact"`
		} `json:"shipping_list"`
		UploadTime string `json:"upload_time"`
		Payer      struct {
			OpenID string `json:"openid"`
		} `json:"payer"`
	} `json:"body"`
}

func shippingUploads(t *testing.T, e *apptest.Env, transactionID string) []shippingUpload {
	t.Helper()
	var out struct{ Items []shippingUpload }
	e.Get("/sandbox/wx/shipping?transaction_id="+url.QueryEscape(transactionID), "").Decode(t, &out)
	return out.Items
}

func TestShippingAnOrderUploadsItToWeChat(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	tok, no := e.PaidOrder(t, "alice", sku, 1)
	if p := c.Post("/console/orders/"+no+"/ship", url.Values{"carrier": {"顺丰速运"}, "tracking_no": {"SF 1"}}); p.Status != http.StatusBadRequest ||
		!p.Has(says("shipping.tracking_no")) || !p.Has(`value="顺丰速运"`) {
		t.Fatalf("bad tracking number: %d %s", p.Status, p.Body)
	}
	if got := orderOf(t, e, no).Status; got != order.StatusPaid {
		t.Fatalf("a refused shipment moved the order to %s", got)
	}
	if p := c.Post("/console/orders/"+no+"/ship", url.Values{"carrier": {"顺丰速运"}, "tracking_no": {"SF1234567890"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("ship: %d %s", p.Status, p.Body)
	}
	if s := e.Get("/api/v1/orders/"+no, tok).JSON(t)["status"]; s != "shipped" {
		t.Fatalf("the shopper sees %v", s)
	}
	o := orderOf(t, e, no)
	// However many runners (the job, the sweep, other replicas) try the
	// same due upload at once, WeChat gets it once.
	shipments, err := e.App.Shipping.ForOrders(context.Background(), []int64{o.ID})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := e.App.Shipping.Upload(context.Background(), shipments[o.ID].ID); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	waitFor(t, "the upload", func() bool { return c.Get("/console/orders/" + no).Has(zh.Enum("console.upload_status", "uploaded")) })
	ups := shippingUploads(t, e, o.TransactionID)
	_, openids := shoppers(t, e)
	if len(ups) != 1 || ups[0].ErrCode != 0 {
		t.Fatalf("uploads: %+v", ups)
	}
	b := ups[0].Body
	if b.OrderKey.OrderNumberType != 2 || b.OrderKey.TransactionID != o.TransactionID || b.LogisticsType != 1 || b.DeliveryMode != 1 ||
		len(b.ShippingList) != 1 || b.ShippingList[0].TrackingNo != "SF1234567890" || b.ShippingList[0].ExpressCompany != "SF" ||
		b.ShippingList[0].ItemDesc != o.Items[0].Title+" ×1" || b.ShippingList[0].Contact.ReceiverContact != "138****8000" ||
		b.Payer.OpenID != openids[0] {
		t.Fatalf("upload body: %+v", b)
	}
	if _, err := time.Parse(time.RFC3339, b.UploadTime); err != nil || !strings.HasSuffix(b.UploadTime, "+08:00") {
		t.Fatalf("upload_time %q", b.UploadTime)
	}
	p := c.Get("/console/orders/" + no)
	if !p.Has("SF1234567890") || !p.Has("顺丰速运") || !p.Has("已发货：顺丰速运，运单号 SF1234567890") || p.Has(zh.T("console.order.upload_retry")) ||
		!p.Has("已同步微信") {
		t.Fatalf("order page: %s", p.Body)
	}
	if p := c.Post("/console/orders/"+no+"/ship", url.Values{"carrier": {"SF"}, "tracking_no": {"SF999999"}}); p.Status != http.StatusConflict {
		t.Fatalf("shipping twice: %d", p.Status)
	}
}

func TestAFailedUploadIsRetried(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	_, no := e.PaidOrder(t, "alice", sku, 1)
	if r := e.Post("/sandbox/wx/shipping/fail", "", map[string]any{"count": 1}); r.Status != http.StatusOK {
		t.Fatalf("fail once: %d %s", r.Status, r.Body)
	}
	c.Post("/console/orders/"+no+"/ship", url.Values{"carrier": {"ZTO"}, "tracking_no": {"ZT000111"}})
	o := orderOf(t, e, no)
	waitFor(t, "the retried upload", func() bool { return c.Get("/console/orders/" + no).Has(zh.Enum("console.upload_status", "uploaded")) })
	ups := shippingUploads(t, e, o.TransactionID)
	if len(ups) != 2 || ups[1].ErrCode != -1 || ups[0].ErrCode != 0 {
		t.Fatalf("uploads, newest first: %+v", ups)
	}
	shipments, _ := e.App.Shipping.ForOrders(context.Background(), []int64{o.ID})
	if sh := shipments[o.ID]; sh.UploadAttempts != 2 || !sh.UploadError.IsZero() || sh.UploadedAt == nil {
		t.Fatalf("shipment: %+v", sh)
	}

	// WeChat refusing for good stops the retries until the merchant asks again.
	_, other := e.PaidOrder(t, "bob", sku, 1)
	e.Post("/sandbox/wx/shipping/fail", "", map[string]any{"count": 1, "errcode": 47001, "errmsg": "data format error"})
	c.Post("/console/orders/"+other+"/ship", url.Values{"carrier": {"ZTO"}, "tracking_no": {"ZT000222"}})
	waitFor(t, "the refused upload", func() bool { return c.Get("/console/orders/" + other).Has("同步微信失败") })
	p := c.Get("/console/orders/" + other)
	if !p.Has("微信拒绝了发货信息：47001 data format error") || !p.Has("立即重新同步到微信") {
		t.Fatalf("failed upload on the page: %s", p.Body)
	}
	if p := c.Post("/console/orders/"+other+"/shipping/retry", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("retry: %d %s", p.Status, p.Body)
	}
	waitFor(t, "the upload retried by hand", func() bool {
		return c.Get("/console/orders/" + other).Has(zh.Enum("console.upload_status", "uploaded"))
	})
	if p := c.Post("/console/orders/"+other+"/shipping/retry", nil); p.Status != http.StatusConflict {
		t.Fatalf("retrying an uploaded shipment: %d", p.Status)
	}
}

func TestBulkShippingChecksEveryLineFirst(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/orders/ship-csv"); p.Status != http.StatusOK || !p.Has("订单号,快递公司,运单号") || !p.Has(zh.T("console.ship_csv.title")) {
		t.Fatalf("bulk page: %d", p.Status)
	}
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 20}).SKUs[0].ID
	_, a := e.PaidOrder(t, "alice", sku, 1)
	_, b := e.PaidOrder(t, "bob", sku, 1)
	_, d := e.PaidOrder(t, "carol", sku, 1)
	unpaid := unpaidOrder(t, e, "dave", sku, 1)

	bad := "order_no,carrier,tracking_no\n" +
		a + ",SF,SF00000001\n" + // line 2: fine
		"999999,SF,SF00000002\n" + // 3: no such order
		b + ",Pigeon Post!,PP0003\n" + // 4: unknown carrier
		a + ",YTO,YT00000004\n" + // 5: repeats line 2
		unpaid + ",ZTO,ZT00000005\n" + // 6: not paid
		d + ",SF\n" // 7: a column short
	p := c.Post("/console/orders/ship-csv", url.Values{"csv": {bad}})
	if p.Status != http.StatusBadRequest || !p.Has("未发货：有 5 行存在问题") || !p.Has(zh.T("console.ship_csv.problems", "count", 5)) {
		t.Fatalf("bad file: %d %s", p.Status, p.Body)
	}
	// Each line's problem is written in the reader's language (here the default, Chinese).
	for _, msg := range []string{says("order.no_such_number"), says("shipping.carrier_unknown"), "与第 2 行的订单重复",
		says("shipping.not_paid", "status", says("order.status.pending_payment")), says("shipping.columns", "columns", 2)} {
		if !p.Has(msg) {
			t.Errorf("the report lacks %q", msg)
		}
	}
	for _, no := range []string{a, b, d} {
		if s := orderOf(t, e, no).Status; s != order.StatusPaid {
			t.Fatalf("a bad file shipped %s (%s)", no, s)
		}
	}

	// The corrected file, uploaded as Excel saves it: BOM, CRLF, names or codes.
	good := "\ufefforder_no,carrier,tracking_no\r\n" + a + ",SF,SF00000001\r\n" + b + ",中通快递,ZT00000002\r\n" + d + ",yto,YT00000003\r\n"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("_csrf", c.CSRF())
	fw, _ := mw.CreateFormFile("file", "ship.csv")
	fw.Write([]byte(good))
	mw.Close()
	if p := c.PostBody("/console/orders/ship-csv", mw.FormDataContentType(), &body); p.Status != http.StatusSeeOther {
		t.Fatalf("good file: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/orders?status=shipped"); !p.Has("已发货 3 个订单") {
		t.Fatalf("no notice of the orders shipped: %s", p.Body)
	}
	for no, carrier := range map[string]string{a: "SF", b: "ZTO", d: "YTO"} {
		o := orderOf(t, e, no)
		if o.Status != order.StatusShipped {
			t.Fatalf("%s is %s", no, o.Status)
		}
		waitFor(t, "upload of "+no, func() bool {
			ups := shippingUploads(t, e, o.TransactionID)
			return len(ups) == 1 && ups[0].ErrCode == 0 && ups[0].Body.ShippingList[0].ExpressCompany == carrier
		})
	}
}
