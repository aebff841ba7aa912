package apptest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"testing"
)

// Upload posts data as the file of POST /api/v1/uploads, as wx.uploadFile
// would.
func (e *Env) Upload(t testing.TB, token, filename string, data []byte) *Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	return e.Do(Request{Method: http.MethodPost, Path: "/api/v1/uploads", Token: token, Body: body.Bytes(),
		Header: map[string]string{"Content-Type": w.FormDataContentType()}})
}

// Photo uploads a small image as the shopper and returns its URL, for tests
// of what names photos (reviews, returns, avatars).
func (e *Env) Photo(t testing.TB, token string) string {
	t.Helper()
	r := e.Upload(t, token, "photo.png", PNG(t, 8, 6))
	if r.Status != http.StatusCreated {
		t.Fatalf("upload a photo: %d %s", r.Status, r.Body)
	}
	var out struct{ URL string }
	r.Decode(t, &out)
	return out.URL
}

// PNG is an opaque w×h PNG image.
func PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 30), uint8(y * 40), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
