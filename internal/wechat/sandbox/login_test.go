package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// newSandbox serves the sandbox over real HTTP and returns its base URL.
func newSandbox(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	return serve(t, nil, nil)
}

// code asks the sandbox for what wx.login() returns to user.
func code(t *testing.T, base, body string) string {
	t.Helper()
	resp, err := postJSON(base+"/wx/login", body)
	if err != nil {
		t.Fatal(err)
	}
	return resp["code"].(string)
}

func errcode(err error) int {
	var apiErr *miniprogram.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrCode
	}
	return 0
}

func TestCode2SessionAgainstTheSandbox(t *testing.T) {
	sb, base := newSandbox(t)
	ctx := context.Background()
	client := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)

	first, err := client.Code2Session(ctx, code(t, base, `{"user":"alice"}`))
	if err != nil || first.OpenID == "" || first.SessionKey == "" || first.UnionID != "" {
		t.Fatalf("first: %+v %v", first, err)
	}
	again, err := client.Code2Session(ctx, code(t, base, `{"user":"alice","unionid":true}`))
	if err != nil || again.OpenID != first.OpenID || again.UnionID == "" || again.SessionKey == first.SessionKey {
		t.Fatalf("same user again: %+v %v", again, err)
	}
	bob, _ := client.Code2Session(ctx, code(t, base, `{"user":"bob"}`))
	if bob.OpenID == first.OpenID {
		t.Fatal("two users share an openid")
	}

	used := code(t, base, `{"user":"alice"}`)
	if _, err := client.Code2Session(ctx, used); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Code2Session(ctx, used); errcode(err) != 40163 {
		t.Fatalf("reused code: %v", err)
	}
	if _, err := client.Code2Session(ctx, "never-issued"); errcode(err) != 40029 {
		t.Fatalf("unknown code: %v", err)
	}
	stale := code(t, base, `{"user":"alice"}`)
	sb.SetClock(func() time.Time { return time.Now().UTC().Add(sandbox.CodeLifetime) })
	if _, err := client.Code2Session(ctx, stale); errcode(err) != 40029 {
		t.Fatalf("expired code: %v", err)
	}
	sb.SetClock(func() time.Time { return time.Now().UTC() })

	fresh := code(t, base, `{"user":"alice"}`)
	for _, tt := range []struct {
		client *miniprogram.Client
		want   int
	}{
		{miniprogram.New(base, "wx-other", sandbox.AppSecret, nil), 40013},
		{miniprogram.New(base, sandbox.AppID, "wrong-secret", nil), 40125},
	} {
		if _, err := tt.client.Code2Session(ctx, fresh); errcode(err) != tt.want {
			t.Errorf("got %v, want errcode %d", err, tt.want)
		}
	}
	// Failed attempts with bad credentials do not spend the code.
	if _, err := client.Code2Session(ctx, fresh); err != nil {
		t.Fatalf("code spent by a refused exchange: %v", err)
	}
}

func TestSandboxLoginNeedsAUser(t *testing.T) {
	_, base := newSandbox(t)
	for _, body := range []string{`{}`, `{"user":""}`, `not json`, `{"user":"` + string(make([]byte, 65)) + `"}`} {
		if _, err := postJSON(base+"/wx/login", body); err == nil {
			t.Errorf("body %q accepted", body)
		}
	}
}

func TestSandboxCodeConcurrentExchangeSucceedsOnce(t *testing.T) {
	_, base := newSandbox(t)
	client := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	for round := range 3 {
		c := code(t, base, `{"user":"racer"}`)
		const n = 8
		results := make(chan error, n)
		var start sync.WaitGroup
		start.Add(1)
		for range n {
			go func() {
				start.Wait()
				_, err := client.Code2Session(context.Background(), c)
				results <- err
			}()
		}
		start.Done()
		ok, used := 0, 0
		for range n {
			switch err := <-results; {
			case err == nil:
				ok++
			case errcode(err) == 40163:
				used++
			default:
				t.Errorf("round %d: unexpected %v", round, err)
			}
		}
		if ok != 1 || used != n-1 {
			t.Fatalf("round %d: %d successes, %d 'code been used' for one code", round, ok, used)
		}
	}
}

func TestSandboxCodeExpiresAfterFiveMinutes(t *testing.T) {
	sb, base := newSandbox(t)
	client := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sb.SetClock(func() time.Time { return t0 })
	early, late := code(t, base, `{"user":"alice"}`), code(t, base, `{"user":"alice"}`)

	sb.SetClock(func() time.Time { return t0.Add(sandbox.CodeLifetime - time.Second) })
	if _, err := client.Code2Session(context.Background(), early); err != nil {
		t.Fatalf("code refused a second before expiry: %v", err)
	}
	sb.SetClock(func() time.Time { return t0.Add(sandbox.CodeLifetime) })
	if _, err := client.Code2Session(context.Background(), late); errcode(err) != 40029 {
		t.Fatalf("code after 5 minutes: %v", err)
	}
}

// TestSandboxCode2SessionSpeaksWeChat checks the raw answers a client other
// than ours would see: HTTP 200 with errcode/errmsg, as WeChat does.
func TestSandboxCode2SessionSpeaksWeChat(t *testing.T) {
	_, base := newSandbox(t)
	good := url.Values{"appid": {sandbox.AppID}, "secret": {sandbox.AppSecret}, "grant_type": {"authorization_code"}}
	for name, tt := range map[string]struct {
		change func(url.Values)
		want   float64
	}{
		"unknown code":     {func(q url.Values) { q.Set("js_code", "nope") }, 40029},
		"missing code":     {func(q url.Values) { q.Del("js_code") }, 41008},
		"wrong grant_type": {func(q url.Values) { q.Set("grant_type", "client_credential") }, 40002},
		"missing appid":    {func(q url.Values) { q.Del("appid") }, 40013},
		"wrong secret":     {func(q url.Values) { q.Set("secret", "x") }, 40125},
	} {
		q := url.Values{"js_code": {code(t, base, `{"user":"alice"}`)}}
		for k, v := range good {
			q[k] = v
		}
		tt.change(q)
		res, err := http.Get(base + "/sns/jscode2session?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		msg, _ := body["errmsg"].(string)
		if res.StatusCode != http.StatusOK || body["errcode"] != tt.want || !strings.Contains(msg, "rid: ") || body["openid"] != nil {
			t.Errorf("%s: HTTP %d %v", name, res.StatusCode, body)
		}
	}
}
