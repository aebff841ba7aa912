package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

func phoneCode(t *testing.T, base, body string) string {
	t.Helper()
	resp, err := postJSON(base+"/wx/phone-code", body)
	if err != nil {
		t.Fatal(err)
	}
	return resp["code"].(string)
}

// The production client exchanges a getPhoneNumber code against the
// sandbox as against WeChat: the number with its country code and a
// watermark naming the mini program; a code works once and for five
// minutes (40029 after), and a wrong token is WeChat's 40001.
func TestPhoneNumberAgainstTheSandbox(t *testing.T) {
	sb, base := newSandbox(t)
	ctx := context.Background()
	client := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)

	code := phoneCode(t, base, `{"user":"alice","phone":"13812345678"}`)
	info, err := client.PhoneNumber(ctx, code)
	if err != nil || info.PurePhoneNumber != "13812345678" || info.PhoneNumber != "13812345678" || info.CountryCode != "86" ||
		info.Watermark.AppID != sandbox.AppID || info.Watermark.Timestamp == 0 {
		t.Fatalf("exchange: %+v %v", info, err)
	}
	if _, err := client.PhoneNumber(ctx, code); errcode(err) != 40029 {
		t.Fatalf("the same code twice: %v", err)
	}
	hk := phoneCode(t, base, `{"user":"alice","phone":"61234567","country_code":"852"}`)
	if info, err := client.PhoneNumber(ctx, hk); err != nil || info.PhoneNumber != "+85261234567" || info.PurePhoneNumber != "61234567" {
		t.Fatalf("a Hong Kong number: %+v %v", info, err)
	}

	late := phoneCode(t, base, `{"user":"alice","phone":"13900000000"}`)
	sb.SetClock(func() time.Time { return time.Now().Add(sandbox.CodeLifetime) })
	if _, err := client.PhoneNumber(ctx, late); errcode(err) != 40029 {
		t.Fatalf("a code five minutes old: %v", err)
	}
	sb.SetClock(time.Now)
	for _, bad := range []string{"", "unknown"} {
		if _, err := client.PhoneNumber(ctx, bad); errcode(err) != 40029 {
			t.Fatalf("code %q: %v", bad, err)
		}
	}

	// Without a valid token WeChat answers 40001 and spends nothing.
	fresh := phoneCode(t, base, `{"user":"bob","phone":"13700000000"}`)
	res, err := http.Post(base+"/wxa/business/getuserphonenumber?access_token=forged", "application/json",
		strings.NewReader(`{"code":"`+fresh+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if info, err := client.PhoneNumber(ctx, fresh); err != nil || info.PurePhoneNumber != "13700000000" {
		t.Fatalf("the code after a forged token's call: %+v %v", info, err)
	}
	forged, err := postJSON(base+"/wxa/business/getuserphonenumber?access_token=forged", `{"code":"x"}`)
	if err != nil || forged["errcode"].(float64) != 40001 {
		t.Fatalf("forged token: %v %v", forged, err)
	}

	for _, body := range []string{`{"user":"","phone":"13800000000"}`, `{"user":"a","phone":"138-0000"}`,
		`{"user":"a","phone":"13800000000","country_code":"+86"}`, `{"user":"a"}`} {
		if _, err := postJSON(base+"/wx/phone-code", body); err == nil {
			t.Fatalf("phone-code %s accepted", body)
		}
	}
}

// Two exchanges racing for one code: exactly one gets the number.
func TestPhoneCodeSpentOnce(t *testing.T) {
	_, base := newSandbox(t)
	client := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	code := phoneCode(t, base, `{"user":"carol","phone":"13600000000"}`)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := client.PhoneNumber(context.Background(), code); err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d exchanges of one code succeeded", won)
	}
}
