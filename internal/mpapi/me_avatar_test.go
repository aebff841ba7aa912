package mpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/upload"
)

// avatarForm is PATCH /me with the file in "avatar" (none when data is
// nil), other fields as form values.
func avatarForm(t *testing.T, e *apptest.Env, tok string, data []byte, fields map[string]string) *apptest.Response {
	t.Helper()
	return sendAvatar(t, e, http.MethodPatch, "/api/v1/me", tok, data, fields)
}

// sendAvatar sends the avatar form as wx.uploadFile does (multipart).
func sendAvatar(t *testing.T, e *apptest.Env, method, path, tok string, data []byte, fields map[string]string) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if data != nil {
		part, err := w.CreateFormFile("avatar", "tmp_avatar.png")
		if err != nil {
			t.Fatal(err)
		}
		part.Write(data)
	}
	w.Close()
	return e.Do(apptest.Request{Method: method, Path: path, Token: tok, Body: body.Bytes(),
		Header: map[string]string{"Content-Type": w.FormDataContentType()}})
}

// An avatar arrives either as the URL of the shopper's own upload or as
// the file itself; someone else's upload, a file that is not an image, an
// oversized one are refused and change nothing.
func TestMeAvatar(t *testing.T) {
	e := apptest.Start(t)
	tok, other := e.Token("avatar-ann"), e.Token("avatar-bob")

	mine := e.Photo(t, tok)
	r := e.Patch("/api/v1/me", tok, map[string]any{"avatar_url": mine})
	if m := r.JSON(t); r.Status != http.StatusOK || m["avatar_url"] != mine {
		t.Fatalf("avatar by URL: %d %s", r.Status, r.Body)
	}

	r = avatarForm(t, e, tok, apptest.PNG(t, 40, 40), map[string]string{"nickname": " 安 "})
	var m meBody
	r.Decode(t, &m)
	if r.Status != http.StatusOK || m.Nickname != "安" || m.AvatarURL == mine || !strings.HasPrefix(m.AvatarURL, upload.URLPrefix) {
		t.Fatalf("avatar by file: %d %s", r.Status, r.Body)
	}
	if served := e.Get(m.AvatarURL, ""); served.Status != http.StatusOK || !strings.HasPrefix(served.Header.Get("Content-Type"), "image/") {
		t.Fatalf("the avatar is not served: %d", served.Status)
	}
	// wx.uploadFile can only POST: POST /me/avatar is the same change.
	r = sendAvatar(t, e, http.MethodPost, "/api/v1/me/avatar", tok, apptest.PNG(t, 20, 20), nil)
	var posted meBody
	r.Decode(t, &posted)
	if r.Status != http.StatusOK || posted.AvatarURL == m.AvatarURL || posted.Nickname != "安" || !strings.HasPrefix(posted.AvatarURL, upload.URLPrefix) {
		t.Fatalf("POST /me/avatar: %d %s", r.Status, r.Body)
	}
	set := posted.AvatarURL

	bobs := e.Photo(t, other)
	for _, tt := range []struct {
		name  string
		send  func() *apptest.Response
		field string
	}{
		{"someone else's upload", func() *apptest.Response {
			return e.Patch("/api/v1/me", tok, map[string]any{"avatar_url": bobs})
		}, "avatar_url"},
		{"a URL elsewhere", func() *apptest.Response {
			return e.Patch("/api/v1/me", tok, map[string]any{"avatar_url": "https://example.com/a.png"})
		}, "avatar_url"},
		{"10,000 characters", func() *apptest.Response {
			return e.Patch("/api/v1/me", tok, map[string]any{"avatar_url": "/uploads/" + strings.Repeat("a", 10000)})
		}, ""},
		{"a file that is not an image", func() *apptest.Response {
			return avatarForm(t, e, tok, []byte("<svg onload=alert(1)></svg>"), nil)
		}, "avatar"},
		{"an oversized file", func() *apptest.Response {
			return avatarForm(t, e, tok, bytes.Repeat([]byte{0xff}, upload.MaxBytes+1), nil)
		}, "avatar"},
		{"a good file beside a bad nickname", func() *apptest.Response {
			return avatarForm(t, e, tok, apptest.PNG(t, 10, 10), map[string]string{"nickname": strings.Repeat("长", 10000)})
		}, "nickname"},
		{"a form without the file", func() *apptest.Response {
			return avatarForm(t, e, tok, nil, map[string]string{"avatar_url": mine})
		}, "avatar"},
		{"POST /me/avatar with no file", func() *apptest.Response {
			return sendAvatar(t, e, http.MethodPost, "/api/v1/me/avatar", tok, nil, nil)
		}, "avatar"},
		{"POST /me/avatar with text", func() *apptest.Response {
			return sendAvatar(t, e, http.MethodPost, "/api/v1/me/avatar", tok, []byte("hello"), nil)
		}, "avatar"},
	} {
		r := tt.send()
		if r.Status != http.StatusBadRequest {
			t.Fatalf("%s: %d %s", tt.name, r.Status, r.Body)
		}
		if tt.field != "" && !strings.Contains(string(r.Body), `"field":"`+tt.field+`"`) {
			t.Fatalf("%s: not on field %s: %s", tt.name, tt.field, r.Body)
		}
	}
	if m := getMe(t, e, tok); m.AvatarURL != set || m.Nickname != "安" {
		t.Fatalf("refused avatars changed the page: %+v", m)
	}
}
