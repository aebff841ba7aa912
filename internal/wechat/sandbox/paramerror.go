package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// paramError is WeChat Pay's 400 PARAM_ERROR for one field, in the shape
// WeChat answers it: {"code":"PARAM_ERROR","detail":{"location":"body",
// "value":…},"message":"输入源“/body/payer/openid”映射到字段“用户标识”必填性规则校验失败，此字段为必填项"}.
// The message names the field by its JSON pointer and by the Chinese name
// WeChat's API documentation gives it, so a merchant can tell which one.
type paramError struct {
	location string // "body", "query" or "path"
	value    any
	message  string
}

func (e *paramError) Error() string { return e.message }

// answer sends e, signed: the request's signature had verified.
func (e *paramError) answer(p *pay, w http.ResponseWriter) {
	p.reply(w, http.StatusBadRequest, map[string]any{
		"code": "PARAM_ERROR", "message": e.message,
		"detail": map[string]any{"location": e.location, "value": e.value},
	})
}

// missing is a required field that is absent or empty.
func missing(location, path, name string) *paramError {
	return &paramError{location: location, value: "",
		message: fmt.Sprintf("输入源“/%s/%s”映射到字段“%s”必填性规则校验失败，此字段为必填项", location, path, name)}
}

// mismatched is a string field that does not match WeChat's pattern for it.
func mismatched(location, path, name string, value string, pattern *regexp.Regexp) *paramError {
	return &paramError{location: location, value: value,
		message: fmt.Sprintf("输入源“/%s/%s”映射到值字段“%s”字符串规则校验失败，字符串必须匹配正则表达式“%s”", location, path, name, pattern)}
}

// tooLong is a string field over its maximum length.
func tooLong(location, path, name string, value string, max int) *paramError {
	return &paramError{location: location, value: value,
		message: fmt.Sprintf("输入源“/%s/%s”映射到值字段“%s”字符串规则校验失败，字符数 %d，大于最大值 %d", location, path, name, len([]rune(value)), max)}
}

// tooSmall is a number field under its minimum.
func tooSmall(location, path, name string, value int64, min int64) *paramError {
	return &paramError{location: location, value: value,
		message: fmt.Sprintf("输入源“/%s/%s”映射到值字段“%s”数值规则校验失败，值 %d，小于最小值 %d", location, path, name, value, min)}
}

// invalid is a field whose value breaks a rule the message states.
func invalid(location, path, name string, value any, rule string) *paramError {
	return &paramError{location: location, value: value,
		message: fmt.Sprintf("输入源“/%s/%s”映射到值字段“%s”%s", location, path, name, rule)}
}

// fieldNames are the Chinese names WeChat's v3 documentation gives the
// fields the sandbox reads, by JSON pointer below /body.
var fieldNames = map[string]string{
	"appid": "公众账号ID", "mchid": "直连商户号", "description": "商品描述", "out_trade_no": "商户订单号",
	"time_expire": "交易结束时间", "attach": "附加数据", "notify_url": "通知地址", "amount": "订单金额",
	"amount/total": "总金额", "amount/currency": "货币类型", "payer": "支付者", "payer/openid": "用户标识",
	"transaction_id": "微信支付订单号", "out_refund_no": "商户退款单号", "reason": "退款原因",
	"amount/refund": "退款金额",
}

// decodeBody unmarshals a JSON body into v. A value of the wrong JSON type
// is answered as WeChat does: "无法将 JSON 输入源“/body/amount/total”映射到目标字段“总金额”中，此字段需要一个合法的 64 位有符号整数".
func decodeBody(body []byte, v any) *paramError {
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || typeErr.Field == "" {
		return &paramError{location: "body", value: string(body), message: "请求体不是合法的 JSON"}
	}
	path := strings.ReplaceAll(typeErr.Field, ".", "/")
	name := fieldNames[path]
	if name == "" {
		name = path
	}
	want := "一个合法的字符串"
	switch typeErr.Type.Kind().String() {
	case "int64":
		want = "一个合法的 64 位有符号整数"
	case "ptr", "struct":
		want = "一个合法的对象"
	}
	return &paramError{location: "body", value: valueAt(body, path),
		message: fmt.Sprintf("无法将 JSON 输入源“/body/%s”映射到目标字段“%s”中，此字段需要%s", path, name, want)}
}

// valueAt is the raw JSON value at path (a/b/c) in body, for detail.value.
func valueAt(body []byte, path string) any {
	var v any
	json.Unmarshal(body, &v)
	for _, k := range strings.Split(path, "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// check finds the first field of a JSAPI prepay that WeChat would refuse
// as PARAM_ERROR: required ones in the order its documentation lists them,
// then their formats.
func (in prepayRequest) check() *paramError {
	switch {
	case in.AppID == "":
		return missing("body", "appid", fieldNames["appid"])
	case in.MchID == "":
		return missing("body", "mchid", fieldNames["mchid"])
	case in.Description == "":
		return missing("body", "description", fieldNames["description"])
	case in.OutTradeNo == "":
		return missing("body", "out_trade_no", fieldNames["out_trade_no"])
	case in.NotifyURL == "":
		return missing("body", "notify_url", fieldNames["notify_url"])
	case in.Amount == nil:
		return missing("body", "amount", fieldNames["amount"])
	case in.Amount.Total == nil:
		return missing("body", "amount/total", fieldNames["amount/total"])
	case in.Payer == nil:
		return missing("body", "payer", fieldNames["payer"])
	case in.Payer.OpenID == "":
		return missing("body", "payer/openid", fieldNames["payer/openid"])
	case len([]rune(in.Description)) > 127:
		return tooLong("body", "description", fieldNames["description"], in.Description, 127)
	case !outTradeNoPattern.MatchString(in.OutTradeNo):
		return mismatched("body", "out_trade_no", fieldNames["out_trade_no"], in.OutTradeNo, outTradeNoPattern)
	case len([]rune(in.Attach)) > 128:
		return tooLong("body", "attach", fieldNames["attach"], in.Attach, 128)
	case len(in.NotifyURL) > 255:
		return tooLong("body", "notify_url", fieldNames["notify_url"], in.NotifyURL, 255)
	case strings.Contains(in.NotifyURL, "?"):
		return invalid("body", "notify_url", fieldNames["notify_url"], in.NotifyURL, "格式规则校验失败，不能携带参数")
	case *in.Amount.Total < 1:
		return tooSmall("body", "amount/total", fieldNames["amount/total"], *in.Amount.Total, 1)
	case in.Amount.Currency != "" && in.Amount.Currency != "CNY":
		return invalid("body", "amount/currency", fieldNames["amount/currency"], in.Amount.Currency, "枚举规则校验失败，只能是 CNY")
	}
	return nil
}

// check finds the first field of a refund request that WeChat would refuse
// as PARAM_ERROR.
func (in refundRequest) check() *paramError {
	switch {
	case in.OutTradeNo == "" && in.TransactionID == "":
		return missing("body", "out_trade_no", fieldNames["out_trade_no"]) // one of the two is required
	case in.OutRefundNo == "":
		return missing("body", "out_refund_no", fieldNames["out_refund_no"])
	case in.Amount == nil:
		return missing("body", "amount", fieldNames["amount"])
	case in.Amount.Refund == nil:
		return missing("body", "amount/refund", fieldNames["amount/refund"])
	case in.Amount.Total == nil:
		return missing("body", "amount/total", fieldNames["amount/total"])
	case in.Amount.Currency == "":
		return missing("body", "amount/currency", fieldNames["amount/currency"])
	case !outRefundNoPattern.MatchString(in.OutRefundNo):
		return mismatched("body", "out_refund_no", fieldNames["out_refund_no"], in.OutRefundNo, outRefundNoPattern)
	case *in.Amount.Refund < 1:
		return tooSmall("body", "amount/refund", fieldNames["amount/refund"], *in.Amount.Refund, 1)
	case in.Amount.Currency != "CNY":
		return invalid("body", "amount/currency", fieldNames["amount/currency"], in.Amount.Currency, "枚举规则校验失败，只能是 CNY")
	}
	return nil
}
