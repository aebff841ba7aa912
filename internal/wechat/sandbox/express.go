package sandbox

import (
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// expressPath is one node of a waybill's path, as a courier reported it.
type expressPath struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	DeliveryID string    `gorm:"column:delivery_id"`
	WaybillID  string    `gorm:"column:waybill_id"`
	ActionTime int64     `gorm:"column:action_time"`
	ActionType int       `gorm:"column:action_type"`
	ActionMsg  string    `gorm:"column:action_msg"`
	CreatedAt  time.Time `gorm:"column:created_at"`
}

func (expressPath) TableName() string { return "sandbox_express_paths" }

// actionTypes are the path node types WeChat documents for logistics
// path/get and the onPathUpdate event.
var actionTypes = map[int]bool{100001: true, 100002: true, 100003: true, 200001: true,
	300002: true, 300003: true, 300004: true, 400001: true, 400002: true}

func (s *Server) mountExpress(r *gin.RouterGroup) {
	r.POST("/cgi-bin/express/business/path/get", s.expressPathGet)
	r.POST("/wx/express/path", s.addExpressPath)
}

// expressPathGet is POST /cgi-bin/express/business/path/get (WeChat's
// logistics.getPath): the access token first (40001), then the body, whose
// four fields are all required (47001 "data format error" otherwise), then
// the waybill: 40199 "waybill_id not found" until a courier has reported
// something for it. The path comes oldest node first.
func (s *Server) expressPathGet(c *gin.Context) {
	ctx := c.Request.Context()
	if code, msg := s.checkToken(ctx, c.Query("access_token")); code != 0 {
		wxFail(c, code, msg)
		return
	}
	var req struct {
		OrderID    string `json:"order_id"`
		OpenID     string `json:"openid"`
		DeliveryID string `json:"delivery_id"`
		WaybillID  string `json:"waybill_id"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)).Decode(&req); err != nil ||
		req.OrderID == "" || req.OpenID == "" || req.DeliveryID == "" || req.WaybillID == "" {
		wxFail(c, 47001, "data format error")
		return
	}
	var path []expressPath
	if err := s.db.Conn(ctx).Where("delivery_id = ? AND waybill_id = ?", req.DeliveryID, req.WaybillID).
		Order("action_time, id").Find(&path).Error; err != nil {
		s.systemError(c, "read express path", err)
		return
	}
	if len(path) == 0 {
		wxFail(c, 40199, "waybill_id not found")
		return
	}
	items := make([]gin.H, len(path))
	for i, p := range path {
		items[i] = gin.H{"action_time": p.ActionTime, "action_type": p.ActionType, "action_msg": p.ActionMsg}
	}
	c.JSON(http.StatusOK, gin.H{"errcode": 0, "errmsg": "ok", "openid": req.OpenID, "delivery_id": req.DeliveryID,
		"waybill_id": req.WaybillID, "path_item_num": len(items), "path_item_list": items})
}

// addExpressPath is POST /sandbox/wx/express/path {delivery_id, waybill_id,
// action_type, action_msg, action_time?}: the courier scanning a parcel,
// which path/get then reports. action_time is a Unix time (default now).
func (s *Server) addExpressPath(c *gin.Context) {
	var in struct {
		DeliveryID string `json:"delivery_id"`
		WaybillID  string `json:"waybill_id"`
		ActionType int    `json:"action_type"`
		ActionMsg  string `json:"action_msg"`
		ActionTime int64  `json:"action_time"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.DeliveryID == "" || in.WaybillID == "" || !actionTypes[in.ActionType] ||
		in.ActionMsg == "" || utf8.RuneCountInString(in.ActionMsg) > 200 || in.ActionTime < 0 {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field",
			"message": `send {"delivery_id", "waybill_id", "action_type": one of WeChat's (100001 … 400002), "action_msg": 1 to 200 characters, "action_time"?: unix seconds}`}})
		return
	}
	if in.ActionTime == 0 {
		in.ActionTime = s.now().Unix()
	}
	p := expressPath{DeliveryID: in.DeliveryID, WaybillID: in.WaybillID, ActionTime: in.ActionTime, ActionType: in.ActionType,
		ActionMsg: in.ActionMsg, CreatedAt: s.now()}
	if err := s.db.Conn(c.Request.Context()).Create(&p).Error; err != nil {
		s.log.Error("sandbox: store express path", "error", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": "internal", "message": "could not store it"}})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": p.ID, "delivery_id": p.DeliveryID, "waybill_id": p.WaybillID,
		"action_time": p.ActionTime, "action_type": p.ActionType, "action_msg": p.ActionMsg})
}
