package sandbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// newSandbox serves the sandbox over real HTTP and returns its base URL.
func newSandbox(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	sb := sandbox.New(dbtest.Open(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := gin.New()
	sb.Mount(r.Group("/sandbox"))
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return sb, srv.URL + "/sandbox"
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
