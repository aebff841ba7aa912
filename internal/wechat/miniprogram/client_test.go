package miniprogram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCode2SessionSendsWhatWeChatExpects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method != http.MethodGet || r.URL.Path != "/sns/jscode2session" || q.Get("appid") != "wx1" ||
			q.Get("secret") != "s3cret" || q.Get("js_code") != "c 1&x" || q.Get("grant_type") != "authorization_code" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
		}
		w.Write([]byte(`{"openid":"o1","session_key":"k1","unionid":"u1"}`))
	}))
	defer srv.Close()
	s, err := New(srv.URL+"/", "wx1", "s3cret", nil).Code2Session(context.Background(), "c 1&x")
	if err != nil || s != (Session{OpenID: "o1", UnionID: "u1", SessionKey: "k1"}) {
		t.Fatalf("got %+v %v", s, err)
	}
}

func TestCode2SessionErrcodeIsTyped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"errcode":40029,"errmsg":"invalid code, rid: 1"}`))
	}))
	defer srv.Close()
	_, err := New(srv.URL, "wx1", "s3cret", nil).Code2Session(context.Background(), "c")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.ErrCode != 40029 || apiErr.Code() != 40029 {
		t.Fatalf("got %v", err)
	}
}

func TestCode2SessionFailuresKeepTheSecret(t *testing.T) {
	for name, handler := range map[string]http.HandlerFunc{
		"server error": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) },
		"garbage":      func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>")) },
		"no openid":    func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"session_key":"k"}`)) },
		"busy":         func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"errcode":-1,"errmsg":"system busy"}`)) },
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(handler)
			defer srv.Close()
			_, err := New(srv.URL, "wx1", "top-secret", nil).Code2Session(context.Background(), "c")
			if err == nil || strings.Contains(err.Error(), "top-secret") {
				t.Fatalf("got %v", err)
			}
		})
	}
	// Unreachable: the error names the host, never the URL with the secret in it.
	_, err := New("http://127.0.0.1:1", "wx1", "top-secret", nil).Code2Session(context.Background(), "c")
	if err == nil || strings.Contains(err.Error(), "top-secret") {
		t.Fatalf("unreachable: %v", err)
	}
}

func TestCode2SessionTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	hc := &http.Client{Timeout: 50 * time.Millisecond}
	start := time.Now()
	_, err := New(srv.URL, "wx1", "top-secret", hc).Code2Session(context.Background(), "c")
	if err == nil || time.Since(start) > 5*time.Second || strings.Contains(err.Error(), "top-secret") {
		t.Fatalf("slow WeChat: %v after %v", err, time.Since(start))
	}
}
