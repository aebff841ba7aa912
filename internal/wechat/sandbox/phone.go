package sandbox

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
)

// phoneCode is one getPhoneNumber code the sandbox handed out: what the
// phone's button gives the mini program, exchanged once within
// CodeLifetime (five minutes, as WeChat's) for the number.
type phoneCode struct {
	SingleUse
	OpenID      string `gorm:"column:openid"`
	Phone       string `gorm:"column:phone"`
	CountryCode string `gorm:"column:country_code"`
}

func (phoneCode) TableName() string { return "sandbox_phone_codes" }

var (
	sandboxPhone   = regexp.MustCompile(`^[0-9]{5,20}$`)
	sandboxCountry = regexp.MustCompile(`^[0-9]{1,4}$`)
)

func (s *Server) mountPhone(r *gin.RouterGroup) {
	r.POST("/wx/phone-code", s.wxPhoneCode)
	r.POST("/wxa/business/getuserphonenumber", s.getUserPhoneNumber)
}

// wxPhoneCode stands in for the phone's getPhoneNumber button: POST
// {user, phone, country_code?} → {code}. user is the same name as
// /wx/login's (the code belongs to that person's openid); phone is digits
// without the country prefix; country_code defaults to "86".
func (s *Server) wxPhoneCode(c *gin.Context) {
	var in struct {
		User        string `json:"user"`
		Phone       string `json:"phone"`
		CountryCode string `json:"country_code"`
	}
	err := c.ShouldBindJSON(&in)
	if in.CountryCode == "" {
		in.CountryCode = "86"
	}
	if err != nil || strings.TrimSpace(in.User) == "" || len(in.User) > 64 ||
		!sandboxPhone.MatchString(in.Phone) || !sandboxCountry.MatchString(in.CountryCode) {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field",
			"message": "send {\"user\": \"<1 to 64 characters>\", \"phone\": \"<5 to 20 digits>\", \"country_code\": \"<1 to 4 digits, default 86>\"}"}})
		return
	}
	pc := phoneCode{SingleUse: s.newCode(32), OpenID: derive("openid", in.User, 27), Phone: in.Phone,
		CountryCode: in.CountryCode}
	s.issueCode(c, &pc, "phone")
}

// getUserPhoneNumber answers like WeChat's phonenumber.getPhoneNumber
// (POST /wxa/business/getuserphonenumber?access_token=…, body {code}):
// token errors first (41001, 40001, 42001), then 47001 for a body that is
// not JSON, 40029 for a code that is unknown, expired or already used;
// otherwise errcode 0 and phone_info with the watermark.
func (s *Server) getUserPhoneNumber(c *gin.Context) {
	ctx := c.Request.Context()
	if code, msg := s.checkToken(ctx, c.Query("access_token")); code != 0 {
		wxFail(c, code, msg)
		return
	}
	var in struct {
		Code string `json:"code"`
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		wxFail(c, 47001, "data format error")
		return
	}
	// WeChat answers 40029 for any code it will not exchange, spent ones too.
	var pc phoneCode
	if code, msg := s.spendCode(ctx, &pc, in.Code, "phone", 40029, "invalid code"); code != 0 {
		wxFail(c, code, msg)
		return
	}
	full := pc.Phone
	if pc.CountryCode != "86" {
		full = "+" + pc.CountryCode + pc.Phone
	}
	c.JSON(http.StatusOK, gin.H{"errcode": 0, "errmsg": "ok", "phone_info": gin.H{
		"phoneNumber": full, "purePhoneNumber": pc.Phone, "countryCode": pc.CountryCode,
		"watermark": gin.H{"appid": AppID, "timestamp": s.now().Unix()},
	}})
}

// PrunePhoneCodes deletes the phone codes past their five minutes and says
// how many; Run calls it beside PruneLoginCodes.
func (s *Server) PrunePhoneCodes(ctx context.Context) (int64, error) {
	return s.pruneCodes(ctx, &phoneCode{})
}
