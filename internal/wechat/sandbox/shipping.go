package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
)

// shippingUpload is one uploadShippingInfo call the sandbox received.
type shippingUpload struct {
	ID            int64     `gorm:"column:id;primaryKey"`
	TransactionID string    `gorm:"column:transaction_id"`
	PayerOpenID   string    `gorm:"column:payer_openid"`
	Body          string    `gorm:"column:body"`
	ErrCode       int       `gorm:"column:errcode"`
	ErrMsg        string    `gorm:"column:errmsg"`
	CreatedAt     time.Time `gorm:"column:created_at"`
}

func (shippingUpload) TableName() string { return "sandbox_shipping_uploads" }

// shippingFault makes the next Remaining uploads fail with ErrCode.
type shippingFault struct {
	ID        int64  `gorm:"column:id;primaryKey"`
	Remaining int    `gorm:"column:remaining"`
	ErrCode   int    `gorm:"column:errcode"`
	ErrMsg    string `gorm:"column:errmsg"`
}

func (shippingFault) TableName() string { return "sandbox_shipping_faults" }

func (s *Server) mountShipping(r *gin.RouterGroup) {
	r.POST("/wxa/sec/order/upload_shipping_info", s.uploadShippingInfo)
	r.GET("/wx/shipping", s.shippingUploads)
	r.POST("/wx/shipping/fail", s.failShipping)
}

// shippingRequest is uploadShippingInfo's body.
type shippingRequest struct {
	OrderKey struct {
		OrderNumberType int    `json:"order_number_type"`
		TransactionID   string `json:"transaction_id"`
		MchID           string `json:"mchid"`
		OutTradeNo      string `json:"out_trade_no"`
	} `json:"order_key"`
	LogisticsType int `json:"logistics_type"`
	DeliveryMode  int `json:"delivery_mode"`
	ShippingList  []struct {
		TrackingNo     string `json:"tracking_no"`
		ExpressCompany string `json:"express_company"`
		ItemDesc       string `json:"item_desc"`
		Contact        *struct {
			ConsignorContact string `json:"consignor_contact"`
			ReceiverContact  string `json:"receiver_contact"`
		} `json:"contact"`
	} `json:"shipping_list"`
	UploadTime string `json:"upload_time"`
	Payer      struct {
		OpenID string `json:"openid"`
	} `json:"payer"`
}

// wellFormed checks what WeChat checks of the body before looking for the
// payment; anything off is its 47001 "data format error" (a shipping_list
// sent as an object rather than an array is the classic one).
func (r shippingRequest) wellFormed() bool {
	k := r.OrderKey
	switch {
	case k.OrderNumberType == 2 && k.TransactionID == "",
		k.OrderNumberType == 1 && (k.MchID == "" || k.OutTradeNo == ""),
		k.OrderNumberType != 1 && k.OrderNumberType != 2,
		r.LogisticsType < 1 || r.LogisticsType > 4,
		r.DeliveryMode != 1 && r.DeliveryMode != 2,
		len(r.ShippingList) < 1 || len(r.ShippingList) > 15,
		r.DeliveryMode == 1 && len(r.ShippingList) != 1,
		r.Payer.OpenID == "":
		return false
	}
	if _, err := time.Parse(time.RFC3339, r.UploadTime); err != nil {
		return false
	}
	for _, p := range r.ShippingList {
		if n := utf8.RuneCountInString(p.ItemDesc); n < 1 || n > 120 {
			return false
		}
		if r.LogisticsType == 1 && (p.TrackingNo == "" || len(p.TrackingNo) > 128 || p.ExpressCompany == "") {
			return false
		}
		// SF Express only delivers the information with a contact.
		if p.ExpressCompany == "SF" && (p.Contact == nil || p.Contact.ReceiverContact == "" && p.Contact.ConsignorContact == "") {
			return false
		}
	}
	return true
}

// uploadShippingInfo is POST /wxa/sec/order/upload_shipping_info: WeChat
// recording that a paid order shipped, which releases the held money. The
// payment must exist in the sandbox's WeChat Pay, paid by the payer named;
// every call is kept, with its answer, for GET /sandbox/wx/shipping.
func (s *Server) uploadShippingInfo(c *gin.Context) {
	ctx := c.Request.Context()
	if code, msg := s.checkToken(ctx, c.Query("access_token")); code != 0 {
		wxFail(c, code, msg)
		return
	}
	var body bytes.Buffer
	body.ReadFrom(c.Request.Body)
	var req shippingRequest
	code, msg := 0, "ok"
	switch {
	case json.Unmarshal(body.Bytes(), &req) != nil || !req.wellFormed():
		code, msg = 47001, "data format error"
	default:
		code, msg = s.shippingFault(c)
		if code == 0 {
			code, msg = s.findPayment(c, req)
		}
	}
	up := shippingUpload{TransactionID: req.OrderKey.TransactionID, PayerOpenID: req.Payer.OpenID, Body: body.String(),
		ErrCode: code, ErrMsg: msg, CreatedAt: s.now()}
	if err := s.db.Conn(ctx).Create(&up).Error; err != nil {
		s.systemError(c, "record shipping upload", err)
		return
	}
	if code != 0 {
		wxFail(c, code, msg)
		return
	}
	c.JSON(http.StatusOK, gin.H{"errcode": 0, "errmsg": "ok"})
}

// shippingFault spends one of the failures asked for by POST
// /sandbox/wx/shipping/fail, with one guarded update, so each is used once
// whatever the concurrency.
func (s *Server) shippingFault(c *gin.Context) (int, string) {
	ctx := c.Request.Context()
	res := s.db.Conn(ctx).Model(&shippingFault{}).Where("id = 1 AND remaining > 0").
		Update("remaining", database.Expr("remaining - 1"))
	if res.Error != nil {
		s.log.Error("sandbox: spend shipping fault", "error", res.Error)
		return -1, "system error"
	}
	if res.RowsAffected == 0 {
		return 0, ""
	}
	var f shippingFault
	if err := s.db.Conn(ctx).Where("id = 1").Take(&f).Error; err != nil {
		return -1, "system error"
	}
	return f.ErrCode, f.ErrMsg
}

// findPayment answers 10060001 "支付单不存在" unless the sandbox's WeChat Pay
// has this payment, paid, by this payer.
func (s *Server) findPayment(c *gin.Context, req shippingRequest) (int, string) {
	q := s.db.Conn(c.Request.Context()).Table("sandbox_pay_orders").Where("trade_state = ? AND payer_openid = ?", "SUCCESS", req.Payer.OpenID)
	if req.OrderKey.OrderNumberType == 2 {
		q = q.Where("transaction_id = ?", req.OrderKey.TransactionID)
	} else {
		q = q.Where("mchid = ? AND out_trade_no = ?", req.OrderKey.MchID, req.OrderKey.OutTradeNo)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		s.log.Error("sandbox: find payment", "error", err)
		return -1, "system error"
	}
	if n == 0 {
		return 10060001, "支付单不存在"
	}
	return 0, "ok"
}

// shippingUploads is GET /sandbox/wx/shipping[?transaction_id=]: the
// uploads received, newest first, each with its body and answer.
func (s *Server) shippingUploads(c *gin.Context) {
	q := s.db.Conn(c.Request.Context()).Order("id DESC").Limit(200)
	if tid := c.Query("transaction_id"); tid != "" {
		q = q.Where("transaction_id = ?", tid)
	}
	var ups []shippingUpload
	if err := q.Find(&ups).Error; err != nil {
		s.log.Error("sandbox: list shipping uploads", "error", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": "internal", "message": "could not list uploads"}})
		return
	}
	items := make([]gin.H, len(ups))
	for i, u := range ups {
		items[i] = gin.H{"id": u.ID, "transaction_id": u.TransactionID, "payer_openid": u.PayerOpenID,
			"body": json.RawMessage(u.Body), "errcode": u.ErrCode, "errmsg": u.ErrMsg, "received_at": u.CreatedAt}
		if !json.Valid([]byte(u.Body)) {
			items[i]["body"] = u.Body
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// failShipping is POST /sandbox/wx/shipping/fail {count, errcode?, errmsg?}:
// the next count uploads fail with that errcode (default -1, "system
// error", which Kaidian retries), to try the retry path.
func (s *Server) failShipping(c *gin.Context) {
	in := struct {
		Count   int    `json:"count"`
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}{ErrCode: -1, ErrMsg: "system error"}
	if err := c.ShouldBindJSON(&in); err != nil || in.Count < 0 || in.Count > 1000 || in.ErrCode == 0 {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field",
			"message": `send {"count": 0 to 1000, "errcode": non-zero (default -1), "errmsg": "..."}`}})
		return
	}
	f := shippingFault{ID: 1, Remaining: in.Count, ErrCode: in.ErrCode, ErrMsg: in.ErrMsg}
	if err := s.db.Conn(c.Request.Context()).Save(&f).Error; err != nil {
		s.log.Error("sandbox: store shipping fault", "error", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": "internal", "message": "could not store it"}})
		return
	}
	c.JSON(http.StatusOK, gin.H{"count": in.Count, "errcode": in.ErrCode, "errmsg": in.ErrMsg})
}
