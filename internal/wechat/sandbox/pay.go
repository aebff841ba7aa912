package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
)

// WeChat Pay's trade states (WeChat Pay's query-order documentation) that JSAPI orders take.
const (
	stateNotPay  = "NOTPAY"
	stateSuccess = "SUCCESS"
	stateClosed  = "CLOSED"
	// stateRefund (转入退款) is what a query answers for a paid order once
	// any refund of it was accepted. It is never stored: the row stays
	// SUCCESS, which is what refunds, closes and repeated prepays check.
	stateRefund = "REFUND"
)

// pay is the sandbox's WeChat Pay v3 side: what api.mch.weixin.qq.com does
// for a JSAPI merchant, reached by the real wechatpay-go client whose HTTP
// transport points here.
type pay struct {
	db   *database.DB
	log  *slog.Logger
	keys *PayKeys
	now  func() time.Time
	mode atomic.Value // PayMode; unset is PublicKeyMode
	// liveDuplicates answers a reused order number as the live API does
	// (SetDuplicateForm).
	liveDuplicates bool

	retryScale  float64       // 1 is WeChat's schedule; tests compress it
	refundDelay time.Duration // how long a refund stays PROCESSING

	senders  int           // notifications in flight at once (SetNotifySenders)
	wake     chan struct{} // kick: a notification was committed
	client   *http.Client  // notifications go out on it (notifyClient)
	recorder               // answers waiting to be written (record)
}

type payOrder struct {
	OutTradeNo    string     `gorm:"column:out_trade_no;primaryKey"`
	MchID         string     `gorm:"column:mchid"`
	AppID         string     `gorm:"column:appid"`
	Description   string     `gorm:"column:description"`
	NotifyURL     string     `gorm:"column:notify_url"`
	Attach        string     `gorm:"column:attach"`
	AmountTotal   int64      `gorm:"column:amount_total"`
	PayerOpenID   string     `gorm:"column:payer_openid"`
	TimeExpire    time.Time  `gorm:"column:time_expire"`
	RequestHash   string     `gorm:"column:request_hash"`
	PrepayID      string     `gorm:"column:prepay_id"`
	TradeState    string     `gorm:"column:trade_state"`
	TransactionID string     `gorm:"column:transaction_id"`
	SuccessTime   *time.Time `gorm:"column:success_time"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
}

func (payOrder) TableName() string { return "sandbox_pay_orders" }

// state is the trade state now: an unpaid order past time_expire is closed.
func (o payOrder) state(now time.Time) string {
	if o.TradeState == stateNotPay && !now.Before(o.TimeExpire) {
		return stateClosed
	}
	return o.TradeState
}

// mount adds WeChat Pay's v3 routes under r: /sandbox/v3 in Kaidian, and
// also /v3 at the root of `kaidian sandbox`'s own port.
func (p *pay) mount(r *gin.RouterGroup) {
	v3 := r.Group("/v3", p.authenticate(strings.TrimRight(r.BasePath(), "/")))
	v3.POST("/pay/transactions/jsapi", p.prepay)
	v3.GET("/pay/transactions/out-trade-no/:otn", p.queryByOutTradeNo)
	v3.GET("/pay/transactions/id/:tid", p.queryByID)
	v3.POST("/pay/transactions/out-trade-no/:otn/close", p.close)
	v3.POST("/refund/domestic/refunds", p.createRefund)
	v3.GET("/refund/domestic/refunds/:no", p.queryRefund)
	v3.GET("/certificates", p.certificates)
}

const bodyKey = "sandbox.body"

// authenticate reads the body and refuses requests the merchant did not
// sign, unsigned. The signature may cover the full requested URI or the one
// below prefix, the mount point (see verifyMerchant).
func (p *pay) authenticate(prefix string) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, err := io.ReadAll(io.LimitReader(c.Request.Body, 1<<20))
		if err != nil {
			p.refuse(c.Writer, http.StatusBadRequest, "PARAM_ERROR", "cannot read the body")
			c.Abort()
			return
		}
		uri := c.Request.RequestURI
		uris := []string{uri}
		if below, ok := strings.CutPrefix(uri, prefix); ok && prefix != "" && strings.HasPrefix(below, "/") {
			// The path below the mount point is tried first: it is what
			// Kaidian's own client (wxpay.Redirect) signs, so its requests
			// cost one RSA verification rather than a failed one and then one.
			uris = []string{below, uri}
		}
		if err := p.verifyMerchant(c.Request, uris, body); err != nil {
			p.refuse(c.Writer, http.StatusUnauthorized, "SIGN_ERROR", "签名错误，请检查后再试")
			c.Abort()
			return
		}
		c.Set(bodyKey, body)
		c.Next()
	}
}

var outTradeNoPattern = regexp.MustCompile(`^[0-9A-Za-z_\-|*]{6,32}$`)

type prepayRequest struct {
	AppID       string `json:"appid"`
	MchID       string `json:"mchid"`
	Description string `json:"description"`
	OutTradeNo  string `json:"out_trade_no"`
	TimeExpire  string `json:"time_expire"`
	Attach      string `json:"attach"`
	NotifyURL   string `json:"notify_url"`
	Amount      *struct {
		Total    *int64 `json:"total"` // nil when absent: a required field
		Currency string `json:"currency"`
	} `json:"amount"`
	Payer *struct {
		OpenID string `json:"openid"`
	} `json:"payer"`
}

// prepay: POST /v3/pay/transactions/jsapi (§2.4).
func (p *pay) prepay(c *gin.Context) {
	body := c.MustGet(bodyKey).([]byte)
	var in prepayRequest
	if e := decodeBody(body, &in); e != nil {
		e.answer(p, c.Writer)
		return
	}
	if e := in.check(); e != nil {
		e.answer(p, c.Writer)
		return
	}
	now := p.now()
	expire := now.Add(2 * time.Hour)
	switch {
	case in.MchID != p.keys.MchID:
		p.fail(c.Writer, http.StatusBadRequest, "MCH_NOT_EXISTS", "商户号不存在")
		return
	case in.AppID != AppID:
		p.fail(c.Writer, http.StatusBadRequest, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")
		return
	}
	if in.TimeExpire != "" {
		t, err := time.Parse(time.RFC3339, in.TimeExpire)
		if err != nil {
			invalid("body", "time_expire", fieldNames["time_expire"], in.TimeExpire, "格式规则校验失败，需要 rfc3339 格式的时间").answer(p, c.Writer)
			return
		}
		// WeChat moves deadlines less than a minute away to one minute (§5).
		expire = t.UTC()
		if expire.Before(now.Add(time.Minute)) {
			expire = now.Add(time.Minute)
		}
	}
	sum := sha256.Sum256(canonicalPrepay(in))
	hash := hex.EncodeToString(sum[:])
	prepayID := "wx" + now.Format("02150405") + randomToken(14)

	var existing payOrder
	err := p.db.Conn(c.Request.Context()).Where("out_trade_no = ?", in.OutTradeNo).Take(&existing).Error
	switch {
	case database.IsNotFound(err):
		o := payOrder{OutTradeNo: in.OutTradeNo, MchID: in.MchID, AppID: in.AppID, Description: in.Description,
			NotifyURL: in.NotifyURL, Attach: in.Attach, AmountTotal: *in.Amount.Total, PayerOpenID: in.Payer.OpenID,
			TimeExpire: expire, RequestHash: hash, PrepayID: prepayID, TradeState: stateNotPay, CreatedAt: now, UpdatedAt: now}
		err := p.db.Tx(c.Request.Context(), func(ctx context.Context) error {
			if err := p.db.Conn(ctx).Create(&o).Error; err != nil {
				return err
			}
			return p.issuePrepay(ctx, o.OutTradeNo, prepayID, now)
		})
		if err != nil {
			p.systemError(c, err)
			return
		}
	case err != nil:
		p.systemError(c, err)
		return
	default:
		if p.liveDuplicates && (existing.state(now) == stateClosed || existing.RequestHash != hash) {
			p.fail(c.Writer, http.StatusBadRequest, "INVALID_REQUEST", "201 商户订单号重复")
			return
		}
		switch existing.state(now) {
		case stateSuccess:
			p.fail(c.Writer, http.StatusBadRequest, "ORDERPAID", "该订单已支付")
			return
		case stateClosed:
			p.fail(c.Writer, http.StatusBadRequest, "ORDER_CLOSED", "订单已关闭")
			return
		}
		if existing.RequestHash != hash {
			p.fail(c.Writer, http.StatusForbidden, "OUT_TRADE_NO_USED", "商户订单号重复")
			return
		}
		// The same order again before it expires: a fresh prepay_id (§2.4);
		// the earlier ones stay payable for their own two hours (prepays.go).
		err := p.db.Tx(c.Request.Context(), func(ctx context.Context) error {
			err := p.db.Conn(ctx).Model(&payOrder{}).Where("out_trade_no = ?", in.OutTradeNo).
				Updates(map[string]any{"prepay_id": prepayID, "updated_at": now}).Error
			if err != nil {
				return err
			}
			return p.issuePrepay(ctx, in.OutTradeNo, prepayID, now)
		})
		if err != nil {
			p.systemError(c, err)
			return
		}
	}
	p.reply(c.Writer, http.StatusOK, map[string]string{"prepay_id": prepayID})
}

// canonicalPrepay is what must be identical for a repeated prepay to be the
// same order: everything but time_expire's formatting.
func canonicalPrepay(in prepayRequest) []byte {
	var b bytes.Buffer
	json.NewEncoder(&b).Encode([]any{in.AppID, in.MchID, in.Description, in.OutTradeNo, in.Attach,
		in.NotifyURL, *in.Amount.Total, in.Payer.OpenID})
	return b.Bytes()
}

func (p *pay) queryByOutTradeNo(c *gin.Context) {
	p.query(c, "out_trade_no = ?", c.Param("otn"))
}

// queryByID finds paid orders only: unpaid ones have no transaction_id yet.
func (p *pay) queryByID(c *gin.Context) {
	p.query(c, "transaction_id = ? AND transaction_id <> ''", c.Param("tid"))
}

// query: GET /v3/pay/transactions/…?mchid= (§2.6).
func (p *pay) query(c *gin.Context, where string, arg string) {
	if c.Query("mchid") == "" {
		missing("query", "mchid", fieldNames["mchid"]).answer(p, c.Writer)
		return
	}
	if c.Query("mchid") != p.keys.MchID {
		p.fail(c.Writer, http.StatusBadRequest, "MCH_NOT_EXISTS", "商户号不存在")
		return
	}
	var o payOrder
	err := p.db.Conn(c.Request.Context()).Where(where, arg).Take(&o).Error
	if database.IsNotFound(err) {
		p.fail(c.Writer, http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在")
		return
	}
	if err != nil {
		p.systemError(c, err)
		return
	}
	t := p.transaction(o)
	if t["trade_state"] == stateSuccess {
		var refunds int64
		if err := p.db.Conn(c.Request.Context()).Model(&refund{}).Where("out_trade_no = ?", o.OutTradeNo).Count(&refunds).Error; err != nil {
			p.systemError(c, err)
			return
		}
		// Like WeChat, a refunded payment is still described in full
		// (transaction_id, success_time, amount); only its state changes.
		if refunds > 0 {
			t["trade_state"], t["trade_state_desc"] = stateRefund, stateDesc[stateRefund]
		}
	}
	p.reply(c.Writer, http.StatusOK, t)
}

// transaction is the order as WeChat describes it in queries and notifications.
func (p *pay) transaction(o payOrder) map[string]any {
	state := o.state(p.now())
	t := map[string]any{
		"appid": o.AppID, "mchid": o.MchID, "out_trade_no": o.OutTradeNo, "trade_type": "JSAPI",
		"trade_state": state, "trade_state_desc": stateDesc[state],
		"payer":  map[string]string{"openid": o.PayerOpenID},
		"amount": map[string]any{"total": o.AmountTotal, "currency": "CNY", "payer_currency": "CNY"},
	}
	// WeChat gives attach back only for an order that has been paid (it
	// has a transaction id): unpaid and closed orders' answers omit it.
	if o.TransactionID != "" {
		t["attach"] = o.Attach
	}
	if state == stateSuccess {
		t["transaction_id"], t["bank_type"] = o.TransactionID, "OTHERS"
		t["success_time"] = o.SuccessTime.In(clock.China).Format(time.RFC3339)
		t["amount"].(map[string]any)["payer_total"] = o.AmountTotal
	}
	return t
}

var stateDesc = map[string]string{stateNotPay: "订单未支付", stateSuccess: "支付成功", stateClosed: "订单已关闭", stateRefund: "转入退款"}

// close: POST /v3/pay/transactions/out-trade-no/{otn}/close (§2.7): 204, signed.
func (p *pay) close(c *gin.Context) {
	var in struct {
		MchID string `json:"mchid"`
	}
	if e := decodeBody(c.MustGet(bodyKey).([]byte), &in); e != nil {
		e.answer(p, c.Writer)
		return
	}
	if in.MchID == "" {
		missing("body", "mchid", fieldNames["mchid"]).answer(p, c.Writer)
		return
	}
	if in.MchID != p.keys.MchID {
		p.fail(c.Writer, http.StatusBadRequest, "PARAM_ERROR", "mchid 错误")
		return
	}
	now := p.now()
	// One guarded statement: only an unpaid order closes, and a payment
	// racing the close either lands first (ORDERPAID) or not at all.
	res := p.db.Conn(c.Request.Context()).Model(&payOrder{}).
		Where("out_trade_no = ? AND trade_state = ?", c.Param("otn"), stateNotPay).
		Updates(map[string]any{"trade_state": stateClosed, "updated_at": now})
	if res.Error != nil {
		p.systemError(c, res.Error)
		return
	}
	if res.RowsAffected == 0 {
		var o payOrder
		err := p.db.Conn(c.Request.Context()).Where("out_trade_no = ?", c.Param("otn")).Take(&o).Error
		if database.IsNotFound(err) {
			p.fail(c.Writer, http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在")
			return
		}
		if err == nil && o.TradeState == stateSuccess {
			p.fail(c.Writer, http.StatusBadRequest, "ORDERPAID", "该订单已支付")
			return
		}
	}
	p.reply(c.Writer, http.StatusNoContent, nil)
}

func (p *pay) systemError(c *gin.Context, err error) {
	p.log.Error("sandbox pay", "error", err)
	p.fail(c.Writer, http.StatusInternalServerError, "SYSTEM_ERROR", "系统错误")
}
