package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// The sandbox's logistics path/get answers as WeChat does: the access token
// first, then the body (47001), then the waybill (40199 until a courier
// reported it), and the path oldest node first; the production client reads
// it over HTTP.
func TestExpressPathAsWeChatAnswersIt(t *testing.T) {
	_, base := serveWithPayment(t)
	client := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	ctx := context.Background()
	q := miniprogram.ExpressQuery{OrderID: "N1", OpenID: "o-alice", DeliveryID: "SF", WaybillID: "SF1234567890"}

	var apiErr *miniprogram.APIError
	if _, err := client.ExpressPath(ctx, q); !errors.As(err, &apiErr) || apiErr.ErrCode != miniprogram.ErrCodeWaybillNotFound {
		t.Fatalf("unknown waybill: %v, want errcode 40199", err)
	}
	if m := wxCall(t, http.MethodPost, base+"/cgi-bin/express/business/path/get?access_token=forged", `{}`); m["errcode"] != float64(40001) {
		t.Fatalf("forged token: %v", m)
	}
	token, err := client.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{`{"order_id":"N1","openid":"o","delivery_id":"SF"}`, `not json`, `{"waybill_id":"x"}`} {
		if m := wxCall(t, http.MethodPost, base+"/cgi-bin/express/business/path/get?access_token="+token, body); m["errcode"] != float64(47001) {
			t.Fatalf("body %s: %v, want 47001", body, m)
		}
	}

	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	scans := []string{
		`{"delivery_id":"SF","waybill_id":"SF1234567890","action_type":200001,"action_msg":"到达深圳转运中心","action_time":` + unix(at.Add(2*time.Hour)) + `}`,
		`{"delivery_id":"SF","waybill_id":"SF1234567890","action_type":100001,"action_msg":"快递员已揽件","action_time":` + unix(at) + `}`,
		`{"delivery_id":"YTO","waybill_id":"SF1234567890","action_type":100001,"action_msg":"别家的包裹","action_time":` + unix(at) + `}`,
	}
	for _, s := range scans {
		if m := wxCall(t, http.MethodPost, base+"/wx/express/path", s); m["id"] == nil {
			t.Fatalf("courier scan %s: %v", s, m)
		}
	}
	if m := wxCall(t, http.MethodPost, base+"/wx/express/path", `{"delivery_id":"SF","waybill_id":"x","action_type":123,"action_msg":"?"}`); m["error"] == nil {
		t.Fatalf("an action type WeChat does not have was taken: %v", m)
	}
	path, err := client.ExpressPath(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(path) != 2 || path[0].ActionType != 100001 || !path[0].ActionTime.Equal(at) || path[1].ActionMsg != "到达深圳转运中心" {
		t.Fatalf("path = %+v, want the two SF scans oldest first", path)
	}
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
