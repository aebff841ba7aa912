package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
)

// SubscribeTemplate is a template in the sandbox mini program's "my
// templates" (what a merchant picks from WeChat's library in the mini
// program's admin): its id and its keywords with their titles.
type SubscribeTemplate struct {
	ID       string            `json:"template_id"`
	Title    string            `json:"title"`
	Keywords map[string]string `json:"keywords"` // keyword → its title
}

// SubscribeTemplates are the templates the sandbox knows; any other id is
// WeChat's 40037. One for each of Kaidian's scenes, with keywords of the
// types WeChat's real templates for them use.
var SubscribeTemplates = []SubscribeTemplate{
	{"sandbox-order-paid", "订单支付成功通知", map[string]string{"character_string1": "订单号", "thing2": "商品名称", "amount3": "支付金额", "time4": "支付时间"}},
	{"sandbox-order-shipped", "订单发货提醒", map[string]string{"character_string1": "订单号", "thing2": "商品名称", "thing3": "快递公司", "character_string4": "运单号", "time5": "发货时间"}},
	{"sandbox-refund-result", "退款结果通知", map[string]string{"character_string1": "订单号", "amount2": "退款金额", "phrase3": "退款状态", "time4": "处理时间"}},
	{"sandbox-after-sale", "售后进度通知", map[string]string{"character_string1": "订单号", "phrase2": "售后状态", "thing3": "说明", "time4": "更新时间"}},
	{"sandbox-presale-balance", "尾款支付提醒", map[string]string{"character_string1": "订单号", "thing2": "商品名称", "amount3": "尾款金额", "time4": "截止时间"}},
	{"sandbox-group-result", "拼团结果通知", map[string]string{"character_string1": "订单号", "thing2": "商品名称", "phrase3": "拼团结果", "time4": "成团时间"}},
	{"sandbox-gift-received", "礼物领取通知", map[string]string{"thing1": "礼物", "thing2": "赠送人", "time3": "领取时间"}},
}

func subscribeTemplate(id string) (SubscribeTemplate, bool) {
	for _, t := range SubscribeTemplates {
		if t.ID == id {
			return t, true
		}
	}
	return SubscribeTemplate{}, false
}

type subscribeCredit struct {
	OpenID     string `gorm:"column:openid;primaryKey"`
	TemplateID string `gorm:"column:template_id;primaryKey"`
	Credits    int    `gorm:"column:credits"`
}

func (subscribeCredit) TableName() string { return "sandbox_subscribe_credits" }

// subscribeMessage is one message the sandbox delivered.
type subscribeMessage struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	OpenID     string    `gorm:"column:openid"`
	TemplateID string    `gorm:"column:template_id"`
	Page       string    `gorm:"column:page"`
	Data       string    `gorm:"column:data"` // JSON keyword → value
	State      string    `gorm:"column:state"`
	Lang       string    `gorm:"column:lang"`
	CreatedAt  time.Time `gorm:"column:created_at"`
}

func (subscribeMessage) TableName() string { return "sandbox_subscribe_messages" }

func (s *Server) mountSubscribe(r *gin.RouterGroup) {
	r.POST("/cgi-bin/message/subscribe/send", s.subscribeSend)
	r.POST("/wx/subscribe", s.subscribePhone)
	r.GET("/wx/messages", s.subscribeMessages)
	r.GET("/wx/templates", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"items": SubscribeTemplates}) })
}

// openIDPattern is the shape of the sandbox's openids (derive).
var openIDPattern = regexp.MustCompile(`^o[A-Za-z0-9_-]{27}$`)

// subscribePhone is POST /sandbox/wx/subscribe {user | openid, results}:
// what the phone tells WeChat when the shopper answers
// wx.requestSubscribeMessage. Each "accept" gives the mini program one send
// of that template to that person; the other answers give nothing. The
// mini program reports the same results to its server (Kaidian's POST
// /api/v1/subscriptions), so both ledgers move together, as with WeChat.
func (s *Server) subscribePhone(c *gin.Context) {
	var in struct {
		User    string            `json:"user"`
		OpenID  string            `json:"openid"`
		Results map[string]string `json:"results"`
	}
	bad := func(msg string) {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field", "message": msg}})
	}
	if err := c.ShouldBindJSON(&in); err != nil || len(in.Results) == 0 || len(in.Results) > 3 {
		bad(`send {"user" or "openid", "results": {"<template id>": "accept"|"reject"|"ban"|"filter"}} with 1 to 3 templates, as wx.requestSubscribeMessage takes`)
		return
	}
	openID := in.OpenID
	if in.User != "" {
		openID = derive("openid", in.User, 27)
	}
	if !openIDPattern.MatchString(openID) {
		bad("unknown openid")
		return
	}
	for id, r := range in.Results {
		if _, ok := subscribeTemplate(id); !ok {
			bad("no such template: " + id) // wx.requestSubscribeMessage fails with 20001
			return
		}
		if r != "accept" && r != "reject" && r != "ban" && r != "filter" {
			bad("a result is accept, reject, ban or filter")
			return
		}
	}
	ctx := c.Request.Context()
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		for id, r := range in.Results {
			if r != "accept" {
				continue
			}
			if err := s.db.Conn(ctx).Exec(`INSERT INTO sandbox_subscribe_credits (openid, template_id, credits) VALUES (?, ?, 1)
				ON CONFLICT (openid, template_id) DO UPDATE SET credits = sandbox_subscribe_credits.credits + 1`, openID, id).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error("sandbox: record subscription", "error", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": "internal", "message": "could not record"}})
		return
	}
	out := gin.H{"errMsg": "requestSubscribeMessage:ok", "openid": openID}
	for id, r := range in.Results {
		out[id] = r
	}
	c.JSON(http.StatusOK, out)
}

type subscribeRequest struct {
	ToUser     string                       `json:"touser"`
	TemplateID string                       `json:"template_id"`
	Page       string                       `json:"page"`
	Data       map[string]map[string]string `json:"data"`
	State      string                       `json:"miniprogram_state"`
	Lang       string                       `json:"lang"`
}

// subscribeSend is POST /cgi-bin/message/subscribe/send with WeChat's
// checks in WeChat's order: the access token, the openid (40003), the
// template (40037), the page (41030), each value against its keyword's
// type (47003, naming the keyword), and last the person's credit for the
// template (43101), spent by one guarded update in the same transaction
// that records the message, so one credit delivers one message.
func (s *Server) subscribeSend(c *gin.Context) {
	ctx := c.Request.Context()
	if code, msg := s.checkToken(ctx, c.Query("access_token")); code != 0 {
		wxFail(c, code, msg)
		return
	}
	var req subscribeRequest
	if err := json.NewDecoder(c.Request.Body).Decode(&req); err != nil {
		wxFail(c, 47001, "data format error")
		return
	}
	if code, msg := checkSubscribe(req); code != 0 {
		wxFail(c, code, msg)
		return
	}
	data, _ := json.Marshal(req.Data)
	lang := req.Lang
	if lang == "" {
		lang = "zh_CN"
	}
	state := req.State
	if state == "" {
		state = "formal"
	}
	noCredit := false
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&subscribeCredit{}).Where("openid = ? AND template_id = ? AND credits > 0", req.ToUser, req.TemplateID).
			Update("credits", database.Expr("credits - 1"))
		if res.Error != nil || res.RowsAffected == 0 {
			noCredit = res.Error == nil
			return res.Error
		}
		return s.db.Conn(ctx).Create(&subscribeMessage{OpenID: req.ToUser, TemplateID: req.TemplateID, Page: req.Page,
			Data: string(data), State: state, Lang: lang, CreatedAt: s.now()}).Error
	})
	switch {
	case err != nil:
		s.systemError(c, "send subscribe message", err)
	case noCredit:
		wxFail(c, 43101, "user refuse to accept the msg")
	default:
		c.JSON(http.StatusOK, gin.H{"errcode": 0, "errmsg": "ok", "msgid": time.Now().UnixNano()})
	}
}

// checkSubscribe applies WeChat's rules to a send before any credit is looked at.
func checkSubscribe(req subscribeRequest) (int, string) {
	if !openIDPattern.MatchString(req.ToUser) {
		return 40003, "invalid openid"
	}
	t, ok := subscribeTemplate(req.TemplateID)
	if !ok {
		return 40037, "invalid template_id"
	}
	if strings.HasPrefix(req.Page, "/") || strings.ContainsAny(req.Page, " \t\n") || utf8.RuneCountInString(req.Page) > 1024 {
		return 41030, "invalid page"
	}
	if req.State != "" && req.State != "developer" && req.State != "trial" && req.State != "formal" {
		return 47001, "data format error: miniprogram_state"
	}
	if len(req.Data) == 0 {
		return 47003, "argument invalid! data is empty"
	}
	keys := make([]string, 0, len(req.Data))
	for k := range req.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := t.Keywords[k]; !ok {
			return 47003, "argument invalid! data." + k + " is not a keyword of the template"
		}
		v, ok := req.Data[k]["value"]
		if !ok || !valueFits(keywordKind(k), v) {
			return 47003, "argument invalid! data." + k + ".value invalid"
		}
	}
	return 0, ""
}

var keywordKindPattern = regexp.MustCompile(`^([a-z_]+?)[0-9]+$`)

func keywordKind(k string) string {
	if m := keywordKindPattern.FindStringSubmatch(k); m != nil {
		return m[1]
	}
	return ""
}

// Value rules of WeChat's keyword types (subscribeMessage.send).
var (
	amountPattern = regexp.MustCompile(`^[¥￥$]?[0-9]{1,10}(\.[0-9]{1,2})?元?$`)
	timePattern   = regexp.MustCompile(`^([0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日 |[0-9]{4}-[0-9]{2}-[0-9]{2} )?[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$`)
	datePattern   = regexp.MustCompile(`^([0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}-[0-9]{2}-[0-9]{2})( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?$`)
	numberPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	letterPattern = regexp.MustCompile(`^[A-Za-z]+$`)
)

func valueFits(kind, v string) bool {
	n := utf8.RuneCountInString(v)
	if n == 0 {
		return false
	}
	switch kind {
	case "thing":
		return n <= 20
	case "number":
		return n <= 32 && numberPattern.MatchString(v)
	case "letter":
		return n <= 32 && letterPattern.MatchString(v)
	case "character_string":
		return n <= 32 && asciiPrintable(v)
	case "amount":
		return amountPattern.MatchString(v)
	case "time":
		return timePattern.MatchString(v)
	case "date":
		return datePattern.MatchString(v)
	case "phrase":
		return n <= 5 && allHan(v)
	case "name":
		return n <= 10 || n <= 20 && letterPattern.MatchString(v)
	case "phone_number":
		return n <= 17
	case "car_number":
		return n <= 8
	case "symbol":
		return n <= 5
	}
	return false
}

func asciiPrintable(s string) bool {
	for _, r := range s {
		if r <= 0x20 || r >= 0x7f {
			return false
		}
	}
	return true
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// subscribeMessages is GET /sandbox/wx/messages?openid=: the messages
// delivered, newest first (the last 200).
func (s *Server) subscribeMessages(c *gin.Context) {
	db := s.db.Conn(c.Request.Context()).Order("id DESC").Limit(200)
	if o := c.Query("openid"); o != "" {
		db = db.Where("openid = ?", o)
	}
	var ms []subscribeMessage
	if err := db.Find(&ms).Error; err != nil {
		s.log.Error("sandbox: list subscribe messages", "error", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": "internal", "message": "could not list"}})
		return
	}
	items := make([]gin.H, len(ms))
	for i, m := range ms {
		var data map[string]map[string]string
		json.Unmarshal([]byte(m.Data), &data)
		items[i] = gin.H{"id": strconv.FormatInt(m.ID, 10), "openid": m.OpenID, "template_id": m.TemplateID, "page": m.Page,
			"data": data, "miniprogram_state": m.State, "lang": m.Lang, "sent_at": m.CreatedAt}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
