package shipping

import (
	"regexp"
	"strings"
)

// Carrier is a courier as WeChat's shipping-information API names it: Code
// is its delivery id (express_company) from WeChat's carrier list
// (get_delivery_list), Name what merchants call it.
type Carrier struct {
	Code, Name string
}

// Carriers are the couriers offered in the console's list, the ones most
// Chinese shops use. Any other code from WeChat's list can be typed as is.
var Carriers = []Carrier{
	{"SF", "顺丰速运"}, {"ZTO", "中通快递"}, {"YTO", "圆通速递"}, {"STO", "申通快递"},
	{"YD", "韵达快递"}, {"JTSD", "极兔速递"}, {"JD", "京东物流"}, {"EMS", "EMS"},
	{"YZPY", "邮政快递包裹"}, {"DBL", "德邦快递"},
}

// carrierCode is the shape of a delivery id in WeChat's list.
var carrierCode = regexp.MustCompile(`^[A-Z0-9_]{2,20}$`)

// CarrierCode reads what a merchant typed — a code or a name from
// Carriers, or another delivery id — as a delivery id; ok=false when it is
// neither.
func CarrierCode(typed string) (code string, ok bool) {
	typed = strings.TrimSpace(typed)
	for _, c := range Carriers {
		if strings.EqualFold(typed, c.Code) || typed == c.Name {
			return c.Code, true
		}
	}
	if up := strings.ToUpper(typed); carrierCode.MatchString(up) {
		return up, true
	}
	return "", false
}

// CarrierName is how the console shows a delivery id.
func CarrierName(code string) string {
	for _, c := range Carriers {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}
