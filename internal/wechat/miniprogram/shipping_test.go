package miniprogram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeWeChat issues tokens from stable_token and takes shipping uploads,
// counting both; refuse makes it answer uploads with that errcode once.
type fakeWeChat struct {
	t       *testing.T
	tokens  atomic.Int32
	uploads atomic.Int32
	mu      sync.Mutex
	refuse  int
	last    map[string]any
}

func (f *fakeWeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/cgi-bin/stable_token":
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		if in["grant_type"] != "client_credential" || in["appid"] != "wx1" || in["secret"] != "s3cret" || in["force_refresh"] != false {
			f.t.Errorf("stable_token body %v", in)
		}
		n := f.tokens.Add(1)
		json.NewEncoder(w).Encode(map[string]any{"access_token": "token-" + string(rune('0'+n)), "expires_in": 7200})
	case "/wxa/sec/order/upload_shipping_info":
		f.uploads.Add(1)
		f.mu.Lock()
		defer f.mu.Unlock()
		json.NewDecoder(r.Body).Decode(&f.last)
		f.last["access_token"] = r.URL.Query().Get("access_token")
		if f.refuse != 0 {
			code := f.refuse
			f.refuse = 0
			json.NewEncoder(w).Encode(map[string]any{"errcode": code, "errmsg": "nope"})
			return
		}
		w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	default:
		f.t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
	}
}

var parcel = ShippingInfo{TransactionID: "4200001", PayerOpenID: "o-alice", ExpressCompany: "SF", TrackingNo: "SF123456",
	ItemDesc: "杯子 ×1", ReceiverContact: "138****8000", UploadTime: time.Date(2026, 1, 2, 3, 4, 5, 600e6, time.UTC)}

func TestUploadShippingInfoSendsWhatWeChatExpects(t *testing.T) {
	f := &fakeWeChat{t: t}
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := New(srv.URL, "wx1", "s3cret", nil)
	if err := c.UploadShippingInfo(context.Background(), parcel); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(f.last)
	want := `{"access_token":"token-1","delivery_mode":1,"logistics_type":1,"order_key":{"order_number_type":2,"transaction_id":"4200001"},` +
		`"payer":{"openid":"o-alice"},"shipping_list":[{"contact":{"receiver_contact":"138****8000"},"express_company":"SF",` +
		`"item_desc":"杯子 ×1","tracking_no":"SF123456"}],"upload_time":"2026-01-02T11:04:05.600+08:00"}`
	if string(b) != want {
		t.Fatalf("body\n got %s\nwant %s", b, want)
	}
}

// One token serves every call, fetched once however many calls start together.
func TestAccessTokenIsCachedAndFetchedOnce(t *testing.T) {
	f := &fakeWeChat{t: t}
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := New(srv.URL, "wx1", "s3cret", nil)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if err := c.UploadShippingInfo(context.Background(), parcel); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if f.tokens.Load() != 1 || f.uploads.Load() != 20 {
		t.Fatalf("%d token fetches for %d uploads", f.tokens.Load(), f.uploads.Load())
	}
}

// A token WeChat calls invalid or expired is fetched again and the call
// retried once; other errcodes come back typed.
func TestUploadRenewsARefusedTokenOnce(t *testing.T) {
	for _, code := range []int{40001, 42001} {
		f := &fakeWeChat{t: t, refuse: code}
		srv := httptest.NewServer(f)
		c := New(srv.URL, "wx1", "s3cret", nil)
		if err := c.UploadShippingInfo(context.Background(), parcel); err != nil {
			t.Fatalf("%d: %v", code, err)
		}
		if f.tokens.Load() != 2 || f.uploads.Load() != 2 || f.last["access_token"] != "token-2" {
			t.Fatalf("%d: %d tokens, %d uploads, last with %v", code, f.tokens.Load(), f.uploads.Load(), f.last["access_token"])
		}
		srv.Close()
	}
	f := &fakeWeChat{t: t, refuse: 10060001}
	srv := httptest.NewServer(f)
	defer srv.Close()
	err := New(srv.URL, "wx1", "s3cret", nil).UploadShippingInfo(context.Background(), parcel)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.ErrCode != 10060001 || f.uploads.Load() != 1 {
		t.Fatalf("got %v after %d uploads", err, f.uploads.Load())
	}
}

func TestTokenFailuresKeepTheSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"errcode":40125,"errmsg":"invalid appsecret"}`))
	}))
	defer srv.Close()
	err := New(srv.URL, "wx1", "top-secret", nil).UploadShippingInfo(context.Background(), parcel)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.ErrCode != 40125 {
		t.Fatalf("got %v", err)
	}
	_, err = New("http://127.0.0.1:1", "wx1", "top-secret", nil).AccessToken(context.Background())
	if err == nil || strings.Contains(err.Error(), "top-secret") {
		t.Fatalf("unreachable: %v", err)
	}
}

// Only a malformed body (47001) is a refusal for good; WeChat being busy,
// not knowing the payment yet, or a transport failure are worth retrying.
func TestUploadRefusedOnlyForMalformedData(t *testing.T) {
	for _, tc := range []struct {
		errcode int
		refused bool
	}{{47001, true}, {-1, false}, {10060001, false}, {40013, false}} {
		f := &fakeWeChat{t: t, refuse: tc.errcode}
		srv := httptest.NewServer(f)
		err := New(srv.URL, "wx1", "s3cret", nil).UploadShippingInfo(context.Background(), parcel)
		srv.Close()
		code, msg, ok := UploadRefused(err)
		if ok != tc.refused || (ok && (code != tc.errcode || msg != "nope")) {
			t.Errorf("errcode %d: UploadRefused = %d %q %v, want refused=%v", tc.errcode, code, msg, ok, tc.refused)
		}
	}
	for _, err := range []error{nil, errors.New("connection reset")} {
		if _, _, ok := UploadRefused(err); ok {
			t.Errorf("UploadRefused(%v) = true", err)
		}
	}
}
