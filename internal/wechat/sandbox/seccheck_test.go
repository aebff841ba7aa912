package sandbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// TestMsgSecCheckJudgesByTheWordList: through the production client, text
// passes, is doubted ("?" words) or is risky by the configured words, and
// a busy WeChat (injected) answers -1.
func TestMsgSecCheckJudgesByTheWordList(t *testing.T) {
	sb, base := newSandbox(t)
	sb.SetBlockedWords("坏词, ?私信我")
	ctx := context.Background()
	c := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	openid := session(t, c, base, "alice")
	for _, tc := range []struct{ text, suggest string }{
		{"质量很好", "pass"}, {"有兴趣私信我", "review"}, {"这是坏词", "risky"}, {"违禁词", "pass"}, // the default list was replaced
	} {
		got, err := c.MsgSecCheck(ctx, openid, tc.text, miniprogram.SceneComment)
		if err != nil || got.Suggest != tc.suggest {
			t.Errorf("%q: %+v %v, want %s", tc.text, got, err, tc.suggest)
		}
	}
	if r, err := postJSON(base+"/wx/sec-check/fail", `{"count": 1}`); err != nil || r["count"] != float64(1) {
		t.Fatalf("fail: %v %v", r, err)
	}
	if _, err := c.MsgSecCheck(ctx, openid, "好", miniprogram.SceneComment); errcode(err) != -1 {
		t.Fatalf("busy: %v", err)
	}
	if _, err := c.MsgSecCheck(ctx, openid, "好", miniprogram.SceneComment); err != nil {
		t.Fatalf("after the injected failure: %v", err)
	}
}

// TestMsgSecCheckRefusesAsWeChatDoes: the errcodes of a bad token, a bad
// body, an unknown openid, a user not seen for two hours, empty and
// too-long content, and a scene out of range.
func TestMsgSecCheckRefusesAsWeChatDoes(t *testing.T) {
	sb, base := newSandbox(t)
	ctx := context.Background()
	c := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	openid := session(t, c, base, "alice")
	token, err := c.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	call := func(tok, body string) float64 {
		r, err := postJSON(base+"/wxa/msg_sec_check?access_token="+tok, body)
		if err != nil {
			t.Fatal(err)
		}
		return r["errcode"].(float64)
	}
	good := func(content string) string {
		return `{"content":"` + content + `","version":2,"scene":2,"openid":"` + openid + `"}`
	}
	for _, tc := range []struct {
		name, token, body string
		want              float64
	}{
		{"no token", "", good("好"), 41001},
		{"unknown token", "nope", good("好"), 40001},
		{"not JSON", token, `content=好`, 47001},
		{"version 1", token, `{"content":"好","version":1,"scene":2,"openid":"` + openid + `"}`, 47001},
		{"scene 9", token, `{"content":"好","version":2,"scene":9,"openid":"` + openid + `"}`, 40129},
		{"empty content", token, good(""), 44004},
		{"2,501 characters", token, good(strings.Repeat("好", 2501)), 45002},
		{"unknown openid", token, `{"content":"好","version":2,"scene":2,"openid":"o-nobody"}`, 40003},
		{"fine", token, good("好"), 0},
	} {
		if got := call(tc.token, tc.body); got != tc.want {
			t.Errorf("%s: errcode %v, want %v", tc.name, got, tc.want)
		}
	}
	// Two hours and a minute after alice's last wx.login, WeChat no longer checks her text.
	later := time.Now().Add(2*time.Hour + 6*time.Minute)
	sb.SetClock(func() time.Time { return later })
	if r, err := postJSON(base+"/cgi-bin/stable_token", `{"grant_type":"client_credential","appid":"`+sandbox.AppID+`","secret":"`+sandbox.AppSecret+`"}`); err == nil {
		token, _ = r["access_token"].(string)
	}
	if got := call(token, good("好")); got != 61010 {
		t.Errorf("a user not seen for two hours: errcode %v, want 61010", got)
	}
	if r, err := postJSON(base+"/wx/sec-check/fail", `{"count": -1}`); err == nil {
		t.Errorf("a negative fault count was taken: %v", r)
	}
}

// session logs user in through the sandbox and returns their openid.
func session(t *testing.T, c *miniprogram.Client, base, user string) string {
	t.Helper()
	s, err := c.Code2Session(context.Background(), code(t, base, `{"user":"`+user+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	return s.OpenID
}
