package miniprogram

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

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
