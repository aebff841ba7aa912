package console_test

import (
	"bytes"
	"html"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	inputTag    = regexp.MustCompile(`<input\b[^>]*>`)
	attr        = regexp.MustCompile(`([a-zA-Z_-]+)(?:="([^"]*)")?`)
	textareaTag = regexp.MustCompile(`(?s)<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectTag   = regexp.MustCompile(`(?s)<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	selected    = regexp.MustCompile(`<option value="([^"]*)"[^>]*\bselected\b`)
)

// formValues is what a browser would submit from the first form of a page
// that posts to action: its inputs (ticked boxes only), textareas and
// selects, with the values the page shows. Tests then change what a
// merchant would type.
func formValues(t *testing.T, body, action string) url.Values {
	t.Helper()
	start := strings.Index(body, `action="`+action+`"`)
	if start < 0 {
		t.Fatalf("no form posting to %s in:\n%s", action, body)
	}
	body = body[start:]
	if end := strings.Index(body, "</form>"); end >= 0 {
		body = body[:end]
	}
	v := url.Values{}
	for _, tag := range inputTag.FindAllString(body, -1) {
		a := map[string]string{}
		for _, m := range attr.FindAllStringSubmatch(strings.TrimPrefix(tag, "<input"), -1) {
			a[m[1]] = html.UnescapeString(m[2])
		}
		_, checked := a["checked"]
		switch {
		case a["name"] == "" || a["type"] == "file" || a["type"] == "submit":
		case (a["type"] == "checkbox" || a["type"] == "radio") && !checked:
		default:
			v.Add(a["name"], a["value"])
		}
	}
	for _, m := range textareaTag.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range selectTag.FindAllStringSubmatch(body, -1) {
		if s := selected.FindStringSubmatch(m[2]); s != nil {
			v.Set(m[1], html.UnescapeString(s[1]))
		}
	}
	return v
}

type upload struct {
	name string
	data []byte
}

// multipartForm encodes values and files (all in the "upload" field) as a
// browser submits a form with enctype="multipart/form-data".
func multipartForm(t *testing.T, values url.Values, files ...upload) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		part, err := w.CreateFormFile("upload", f.name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(f.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), &buf
}

// pngImage is a small real PNG.
func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: 7, G: 193, B: 96, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
