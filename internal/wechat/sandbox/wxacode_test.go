package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/testkit"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

var miniPages = []string{"pages/index/index", "pages/product/index"}

// TestUnlimitedCodeIsADecodableQRCode: through the production client, the
// sandbox answers a PNG whose QR code reads "page?scene=…", at the width
// asked (430 by default), for the home page when no page is given.
func TestUnlimitedCodeIsADecodableQRCode(t *testing.T) {
	sb, base := newSandbox(t)
	sb.SetPages(miniPages)
	c := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		req       miniprogram.CodeRequest
		text      string
		minWidth  int
		skipCheck bool
	}{
		{miniprogram.CodeRequest{Scene: "K7X2QDAB", Page: "pages/product/index", Width: 860}, "pages/product/index?scene=K7X2QDAB", 860, false},
		{miniprogram.CodeRequest{Scene: "a=1&b=2!~"}, "pages/index/index?scene=a=1&b=2!~", 430, false},
		{miniprogram.CodeRequest{Scene: strings.Repeat("Z", 32), Page: "pages/draft/index", SkipPageCheck: true, EnvVersion: "develop"},
			"pages/draft/index?scene=" + strings.Repeat("Z", 32), 430, true},
	} {
		png, err := c.UnlimitedCode(ctx, tc.req)
		if err != nil {
			t.Fatalf("%+v: %v", tc.req, err)
		}
		text, width := testkit.ReadQR(t, png)
		if text != tc.text || width < tc.minWidth || width > tc.minWidth+tc.minWidth/4 {
			t.Errorf("%+v: reads %q at %d px, want %q at %d", tc.req, text, width, tc.text, tc.minWidth)
		}
	}
	if n := sb.CodesDrawn(); n != 3 {
		t.Errorf("codes drawn = %d, want 3", n)
	}
}

// TestUnlimitedCodeRefusesAsWeChatDoes: a page outside the released mini
// program (41030, also with a slash or a query), an empty or too long
// scene (40169), a character WeChat does not allow (40129), a width out of
// range or an unknown env_version (40097), a body that is not JSON (40169),
// and a bad token (40001); none draws a code.
func TestUnlimitedCodeRefusesAsWeChatDoes(t *testing.T) {
	sb, base := newSandbox(t)
	sb.SetPages(miniPages)
	c := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		req  miniprogram.CodeRequest
		want int
	}{
		{miniprogram.CodeRequest{Scene: "abc", Page: "pages/secret/index"}, miniprogram.ErrCodeInvalidPage},
		{miniprogram.CodeRequest{Scene: "abc", Page: "/pages/index/index"}, miniprogram.ErrCodeInvalidPage},
		{miniprogram.CodeRequest{Scene: "abc", Page: "pages/index/index?id=1"}, miniprogram.ErrCodeInvalidPage},
		{miniprogram.CodeRequest{Scene: "abc", Page: "/pages/index/index", SkipPageCheck: true}, miniprogram.ErrCodeInvalidPage},
		{miniprogram.CodeRequest{Scene: ""}, miniprogram.ErrCodeSceneLength},
		{miniprogram.CodeRequest{Scene: strings.Repeat("a", 33)}, miniprogram.ErrCodeSceneLength},
		{miniprogram.CodeRequest{Scene: "id=%E4%B8%AD"}, miniprogram.ErrCodeInvalidScene},
		{miniprogram.CodeRequest{Scene: "中文"}, miniprogram.ErrCodeInvalidScene},
		{miniprogram.CodeRequest{Scene: "a b"}, miniprogram.ErrCodeInvalidScene},
		{miniprogram.CodeRequest{Scene: "abc", Width: 279}, miniprogram.ErrCodeInvalidArgs},
		{miniprogram.CodeRequest{Scene: "abc", Width: 1281}, miniprogram.ErrCodeInvalidArgs},
		{miniprogram.CodeRequest{Scene: "abc", EnvVersion: "beta"}, miniprogram.ErrCodeInvalidArgs},
	} {
		if _, err := c.UnlimitedCode(ctx, tc.req); errcode(err) != tc.want {
			t.Errorf("%+v: %v, want errcode %d", tc.req, err, tc.want)
		}
	}
	token, err := c.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		token, body string
		want        float64
	}{
		{token, `{"scene":`, 40169},
		{"not-a-token", `{"scene":"abc"}`, 40001},
		{"", `{"scene":"abc"}`, 41001},
	} {
		r, err := postJSON(base+"/wxa/getwxacodeunlimit?access_token="+tc.token, tc.body)
		if err != nil || r["errcode"] != tc.want {
			t.Errorf("%s with token %q: %v %v, want errcode %v", tc.body, tc.token, r, err, tc.want)
		}
	}
	if n := sb.CodesDrawn(); n != 0 {
		t.Errorf("refused requests drew %d codes", n)
	}
}

// TestUnlimitedCodeWithoutReleasedPages: a sandbox told no pages has no
// released version, so even the home page is refused unless check_path is
// false, as WeChat refuses codes of a mini program never released.
func TestUnlimitedCodeWithoutReleasedPages(t *testing.T) {
	_, base := newSandbox(t)
	c := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	if _, err := c.UnlimitedCode(context.Background(), miniprogram.CodeRequest{Scene: "abc"}); errcode(err) != miniprogram.ErrCodeInvalidPage {
		t.Fatalf("home page of no release: %v", err)
	}
}

// TestUnlimitedCodeRenewsARevokedToken: when the cached token was revoked
// (someone forced a refresh), the client takes a new one and the code is
// drawn on the second try, as every other access_token call does.
func TestUnlimitedCodeRenewsARevokedToken(t *testing.T) {
	sb, base := newSandbox(t)
	sb.SetPages(miniPages)
	c := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	ctx := context.Background()
	if _, err := c.AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := http.Post(base+"/cgi-bin/stable_token", "application/json", strings.NewReader(
		`{"grant_type":"client_credential","appid":"`+sandbox.AppID+`","secret":"`+sandbox.AppSecret+`","force_refresh":true}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	png, err := c.UnlimitedCode(ctx, miniprogram.CodeRequest{Scene: "AB23CD45"})
	if err != nil {
		t.Fatalf("with a revoked token cached: %v", err)
	}
	if text, _ := testkit.ReadQR(t, png); text != "pages/index/index?scene=AB23CD45" {
		t.Fatalf("reads %q", text)
	}
}
