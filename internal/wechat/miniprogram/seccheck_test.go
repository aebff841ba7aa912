package miniprogram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestMsgSecCheckSendsVersion2AndRenewsARefusedToken: the body is what
// msgSecCheck v2 needs (content, version 2, scene, openid, the token in the
// query only), a token WeChat refuses is fetched again once, and the
// verdict comes from result.
func TestMsgSecCheckSendsVersion2AndRenewsARefusedToken(t *testing.T) {
	var tokens, checks atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cgi-bin/stable_token":
			n := tokens.Add(1)
			json.NewEncoder(w).Encode(map[string]any{"access_token": "token-" + string(rune('0'+n)), "expires_in": 7200})
		case "/wxa/msg_sec_check":
			var in map[string]any
			json.NewDecoder(r.Body).Decode(&in)
			if in["content"] != "好评" || in["version"] != float64(2) || in["scene"] != float64(2) || in["openid"] != "o-1" || in["access_token"] != nil {
				t.Errorf("body %v", in)
			}
			if checks.Add(1) == 1 {
				json.NewEncoder(w).Encode(map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
				return
			}
			if r.URL.Query().Get("access_token") != "token-2" {
				t.Errorf("token %q, want the renewed one", r.URL.Query().Get("access_token"))
			}
			w.Write([]byte(`{"errcode":0,"errmsg":"ok","trace_id":"t1","result":{"suggest":"review","label":20012},"detail":[]}`))
		}
	}))
	defer srv.Close()
	c := New(srv.URL, "wx1", "s3cret", nil)
	got, err := c.MsgSecCheck(context.Background(), "o-1", "好评", SceneComment)
	if err != nil || got.Suggest != "review" || got.Label != 20012 || got.TraceID != "t1" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if tokens.Load() != 2 || checks.Load() != 2 {
		t.Fatalf("tokens %d, checks %d; want 2 and 2", tokens.Load(), checks.Load())
	}
}

// TestMsgSecCheckErrcodeIsAnAPIError: 40003 (invalid openid) comes back as
// itself, and an answer without a verdict is never taken for a pass.
func TestMsgSecCheckErrcodeIsAnAPIError(t *testing.T) {
	answer := `{"errcode":40003,"errmsg":"invalid openid"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cgi-bin/stable_token" {
			w.Write([]byte(`{"access_token":"tok","expires_in":7200}`))
			return
		}
		w.Write([]byte(answer))
	}))
	defer srv.Close()
	c := New(srv.URL, "wx1", "s3cret", nil)
	_, err := c.MsgSecCheck(context.Background(), "bad", "x", SceneComment)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.ErrCode != ErrCodeInvalidOpenID {
		t.Fatalf("got %v, want errcode 40003", err)
	}
	answer = `{"errcode":0,"errmsg":"ok"}`
	if got, err := c.MsgSecCheck(context.Background(), "o", "x", SceneComment); err == nil {
		t.Fatalf("no result taken as %+v", got)
	}
}
