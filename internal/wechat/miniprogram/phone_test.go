package miniprogram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// fakePhone answers stable_token and getuserphonenumber: the first phone
// call with 40001 when stale is set (a token WeChat stopped accepting),
// then with the given watermark appid.
type fakePhone struct {
	appid  string
	stale  atomic.Bool
	tokens atomic.Int32
	calls  atomic.Int32
}

func (f *fakePhone) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/cgi-bin/stable_token":
		f.tokens.Add(1)
		w.Write([]byte(`{"access_token":"token-1","expires_in":7200}`))
	case "/wxa/business/getuserphonenumber":
		f.calls.Add(1)
		if f.stale.CompareAndSwap(true, false) {
			w.Write([]byte(`{"errcode":40001,"errmsg":"invalid credential"}`))
			return
		}
		w.Write([]byte(`{"errcode":0,"errmsg":"ok","phone_info":{"phoneNumber":"13812345678","purePhoneNumber":"13812345678",` +
			`"countryCode":"86","watermark":{"timestamp":1700000000,"appid":"` + f.appid + `"}}}`))
	}
}

// A refused token is fetched again and the call retried once; an answer
// whose watermark names another mini program is refused, and its number
// never appears in the error.
func TestPhoneNumberTokenRetryAndWatermark(t *testing.T) {
	f := &fakePhone{appid: "wx1"}
	f.stale.Store(true)
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := New(srv.URL, "wx1", "s3cret", nil)
	info, err := c.PhoneNumber(context.Background(), "code-1")
	if err != nil || info.PurePhoneNumber != "13812345678" || f.calls.Load() != 2 || f.tokens.Load() != 2 {
		t.Fatalf("%+v %v (calls %d, tokens %d)", info, err, f.calls.Load(), f.tokens.Load())
	}

	f.appid = "wx-other"
	_, err = c.PhoneNumber(context.Background(), "code-2")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || strings.Contains(err.Error(), "138") {
		t.Fatalf("another mini program's watermark: %v", err)
	}
}
