package customer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
)

// Phone is a number WeChat vouched for through getPhoneNumber.
type Phone struct {
	Number      string // without the country prefix (WeChat's purePhoneNumber)
	CountryCode string // "86" for mainland China
}

// PhoneExchange turns a getPhoneNumber code into the number; app wires it
// to WeChat's phonenumber.getPhoneNumber. An error WeChat answered carries
// its errcode (a Code() int method); any other is a failure to reach it.
type PhoneExchange func(ctx context.Context, code string) (Phone, error)

// phoneCode is what a getPhoneNumber code looks like: WeChat's are tens of
// hex-like characters; anything else never reaches WeChat.
var phoneCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// Only plausible answers are stored: 5 to 20 digits, a country code of 1 to 4.
var (
	phoneDigits   = regexp.MustCompile(`^[0-9]{5,20}$`)
	countryDigits = regexp.MustCompile(`^[0-9]{1,4}$`)
)

// ErrPhoneCode refuses a code that cannot be one.
var ErrPhoneCode = errs.Invalid("invalid_phone_code", "customer.phone_code")

// BindPhone exchanges the code (outside any transaction: it is a call to
// WeChat) and stores the number on the shopper. The number is never logged.
func (s *Service) BindPhone(ctx context.Context, id int64, code string, exchange PhoneExchange) (Shopper, error) {
	code = strings.TrimSpace(code)
	if !phoneCode.MatchString(code) {
		return Shopper{}, ErrPhoneCode
	}
	p, err := exchange(ctx, code)
	if err != nil {
		return Shopper{}, phoneFailure(err)
	}
	if !phoneDigits.MatchString(p.Number) || !countryDigits.MatchString(p.CountryCode) {
		return Shopper{}, fmt.Errorf("customer: getPhoneNumber answered a number of %d characters, country code of %d", len(p.Number), len(p.CountryCode))
	}
	res := s.db.Conn(ctx).Model(&Shopper{}).Where("id = ?", id).
		Updates(map[string]any{"phone": p.Number, "phone_country_code": p.CountryCode, "updated_at": s.clock.Now()})
	if res.Error != nil {
		return Shopper{}, fmt.Errorf("customer: bind phone: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Shopper{}, ErrNotFound
	}
	return s.Get(ctx, id)
}

// phoneFailure maps getPhoneNumber's errcodes to what the shopper is told:
// 40029 is a code WeChat will not exchange (wrong, used or older than five
// minutes), so the shopper taps the button again; anything else is WeChat
// failing us, to try later.
func phoneFailure(err error) error {
	var we interface{ Code() int }
	if !errors.As(err, &we) {
		return errs.Wrap(errs.New(errs.KindUnavailable, "wechat_unavailable", "customer.wechat_unavailable"), err)
	}
	if we.Code() == 40029 {
		return errs.Invalid("invalid_phone_code", "customer.phone_code_refused").With("wechat_errcode", we.Code())
	}
	return errs.Wrap(errs.New(errs.KindUnavailable, "wechat_unavailable", "customer.phone_wechat_refused",
		"wechat_errcode", we.Code()), err)
}
