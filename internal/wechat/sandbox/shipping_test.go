package sandbox_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// serveWithPayment runs a sandbox whose WeChat Pay holds one paid order, by
// transaction 4200-paid and payer o-alice.
func serveWithPayment(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	db := dbtest.Open(t)
	now := time.Now().UTC()
	if err := db.Conn(context.Background()).Exec(`INSERT INTO sandbox_pay_orders (out_trade_no, mchid, appid, description,
		notify_url, amount_total, payer_openid, time_expire, request_hash, prepay_id, trade_state, transaction_id,
		success_time, created_at, updated_at) VALUES ('N1', 'm', ?, 'd', 'http://x', 100, 'o-alice', ?, 'h', 'p1', 'SUCCESS', '4200-paid', ?, ?, ?)`,
		sandbox.AppID, now.Add(time.Hour), now, now, now).Error; err != nil {
		t.Fatal(err)
	}
	sb := sandbox.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := gin.New()
	sb.Mount(r.Group("/sandbox"))
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return sb, srv.URL + "/sandbox"
}

func wxCall(t *testing.T, method, url, body string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return m
}

func TestTokensAsWeChatIssuesThem(t *testing.T) {
	sb, base := serveWithPayment(t)
	stable := func(extra string) map[string]any {
		return wxCall(t, http.MethodPost, base+"/cgi-bin/stable_token",
			`{"grant_type":"client_credential","appid":"`+sandbox.AppID+`","secret":"`+sandbox.AppSecret+`"`+extra+`}`)
	}
	first := stable("")
	if first["access_token"] == nil || first["expires_in"].(float64) != 7200 {
		t.Fatalf("stable_token: %v", first)
	}
	if again := stable(""); again["access_token"] != first["access_token"] {
		t.Fatalf("stable_token in normal mode changed the token: %v", again)
	}
	if bad := wxCall(t, http.MethodPost, base+"/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+sandbox.AppID+`","secret":"x"}`); bad["errcode"].(float64) != 40125 {
		t.Fatalf("bad secret: %v", bad)
	}
	forced := stable(`,"force_refresh":true`)
	if forced["access_token"] == first["access_token"] {
		t.Fatal("force_refresh kept the token")
	}
	upload := func(token string) float64 {
		return wxCall(t, http.MethodPost, base+"/wxa/sec/order/upload_shipping_info?access_token="+token, "{}")["errcode"].(float64)
	}
	if code := upload(first["access_token"].(string)); code != 40001 {
		t.Fatalf("a token ended by force_refresh: errcode %v", code)
	}
	if code := upload(forced["access_token"].(string)); code != 47001 {
		t.Fatalf("a valid token with an empty body: errcode %v", code)
	}
	plain := wxCall(t, http.MethodGet, base+"/cgi-bin/token?grant_type=client_credential&appid="+sandbox.AppID+"&secret="+sandbox.AppSecret, "")
	sb.SetClock(func() time.Time { return time.Now().Add(3 * time.Hour) })
	if code := upload(plain["access_token"].(string)); code != 42001 {
		t.Fatalf("an expired token: errcode %v", code)
	}
}

func TestShippingUploadsAreCheckedAndRecorded(t *testing.T) {
	_, base := serveWithPayment(t)
	client := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	ctx := context.Background()
	info := miniprogram.ShippingInfo{TransactionID: "4200-paid", PayerOpenID: "o-alice", ExpressCompany: "SF",
		TrackingNo: "SF1234567", ItemDesc: "杯子 ×1", ReceiverContact: "138****8000", UploadTime: time.Now()}
	unknown := info
	unknown.TransactionID = "4200-never"
	noDesc := info
	noDesc.ItemDesc = ""
	if r := wxCall(t, http.MethodPost, base+"/wx/shipping/fail", `{"count":1}`); r["count"].(float64) != 1 {
		t.Fatalf("fail: %v", r)
	}
	for _, tc := range []struct {
		info miniprogram.ShippingInfo
		want int
	}{{info, -1}, {unknown, 10060001}, {noDesc, 47001}, {info, 0}} {
		err := client.UploadShippingInfo(ctx, tc.info)
		if got := errcode(err); got != tc.want || (tc.want == 0) != (err == nil) {
			t.Fatalf("%+v: got %v, want errcode %d", tc.info, err, tc.want)
		}
	}
	var list struct {
		Items []struct {
			TransactionID string `json:"transaction_id"`
			ErrCode       int    `json:"errcode"`
			Body          struct {
				ShippingList []struct {
					TrackingNo string `json:"tracking_no"`
				} `json:"shipping_list"`
			} `json:"body"`
		}
	}
	res, err := http.Get(base + "/wx/shipping?transaction_id=4200-paid")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	json.NewDecoder(res.Body).Decode(&list)
	if len(list.Items) != 3 || list.Items[0].ErrCode != 0 || list.Items[1].ErrCode != 47001 || list.Items[2].ErrCode != -1 ||
		list.Items[0].Body.ShippingList[0].TrackingNo != "SF1234567" {
		t.Fatalf("recorded uploads: %+v", list.Items)
	}
}

// The shape WeChat's community keeps tripping on: shipping_list as an object.
func TestShippingListMustBeAnArray(t *testing.T) {
	_, base := serveWithPayment(t)
	tok := wxCall(t, http.MethodPost, base+"/cgi-bin/stable_token",
		`{"grant_type":"client_credential","appid":"`+sandbox.AppID+`","secret":"`+sandbox.AppSecret+`"}`)["access_token"].(string)
	body := `{"order_key":{"order_number_type":2,"transaction_id":"4200-paid"},"logistics_type":1,"delivery_mode":1,` +
		`"shipping_list":{"tracking_no":"YT1","express_company":"YTO","item_desc":"x"},"upload_time":"2026-01-02T03:04:05+08:00","payer":{"openid":"o-alice"}}`
	if r := wxCall(t, http.MethodPost, base+"/wxa/sec/order/upload_shipping_info?access_token="+tok, body); r["errcode"].(float64) != 47001 {
		t.Fatalf("object shipping_list: %v", r)
	}
}
