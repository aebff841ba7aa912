package console_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/staff"
)

func TestBadImagesAreRefused(t *testing.T) {
	e := apptest.Start(t)
	cat := e.Category(t, "杂货", nil)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	v := formValues(t, c.Get("/console/products/new").Body, "/console/products/new")
	v.Set("title", "带图的商品")
	v.Set("category_id", fmt.Sprint(cat.ID))
	v.Set("skus[0].price", "10")
	v.Set("action", "save")
	huge := append(pngImage(t), bytes.Repeat([]byte{0}, 3<<20)...) // a PNG by its content, 3 MB
	for _, tc := range []struct {
		file upload
		want string
	}{
		{upload{"photo.png", []byte("just some text, named like an image")}, "photo.png 不是 JPEG、PNG、WebP 或 GIF 图片"},
		{upload{"page.jpg", []byte("<html><script>alert(1)</script></html>")}, says("console.image_type", "file", "page.jpg")},
		{upload{"huge.png", huge}, says("console.image_too_big", "file", "huge.png", "size", "3.0")},
	} {
		ct, body := multipartForm(t, v, tc.file)
		p := c.PostBody("/console/products/new", ct, body)
		if p.Status != http.StatusBadRequest || !p.Has(tc.want) || !p.Has(`value="带图的商品"`) {
			t.Errorf("%s: %d, want %q in\n%s", tc.file.name, p.Status, tc.want, p.Body)
		}
	}
	if rows, _, _ := e.App.Catalog.MerchantProducts(context.Background(), catalog.MerchantQuery{}); len(rows) != 0 {
		t.Fatalf("a form with a refused image saved a product: %+v", rows)
	}
	stored, _ := os.ReadDir(filepath.Join(e.App.Config.DataDir, "uploads"))
	if len(stored) != 0 {
		t.Fatalf("refused files were stored: %v", stored)
	}

	// A good image in a refused form is kept by the form shown again.
	v.Set("skus[0].price", "ten")
	ct, body := multipartForm(t, v, upload{"ok.png", pngImage(t)})
	p := c.PostBody("/console/products/new", ct, body)
	again := formValues(t, p.Body, "/console/products/new")
	if p.Status != http.StatusBadRequest || len(again["images"]) != 1 {
		t.Fatalf("refused form with a good image: %d %v", p.Status, again)
	}
	again.Set("skus[0].price", "10")
	again.Set("action", "save")
	id := productID(t, c.Post("/console/products/new", again))
	if got, _ := e.App.Catalog.Product(context.Background(), id); got.MainImage != again.Get("images") {
		t.Fatalf("image lost: %q, want %q", got.MainImage, again.Get("images"))
	}
}

func TestTooLargeProductFormIsRefusedUpFront(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	c.Get("/console/products/new")
	// Every image a product may have at 2 MB, and one more.
	img := bytes.Repeat([]byte{0xff}, 2<<20)
	files := make([]upload, catalog.MaxImages+1)
	for i := range files {
		files[i] = upload{fmt.Sprintf("%d.jpg", i), img}
	}
	ct, body := multipartForm(t, url.Values{"_csrf": {c.CSRF()}}, files...)
	if p := c.PostBody("/console/products/new", ct, body); p.Status != http.StatusRequestEntityTooLarge || !p.Has("表单太大") {
		t.Fatalf("%d images: %d %s", len(files), p.Status, p.Body)
	}
}

func TestUploadsServeOnlyStoredImages(t *testing.T) {
	e := apptest.Start(t)
	dir := filepath.Join(e.App.Config.DataDir, "uploads")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	// Files that did not come from the upload form: another type, a name not ours.
	os.WriteFile(filepath.Join(dir, "0123456789abcdef0123456789abcdef.html"), []byte("<script>alert(1)</script>"), 0o640)
	os.WriteFile(filepath.Join(dir, "notes.png"), pngImage(t), 0o640)
	os.WriteFile(filepath.Join(dir, "0123456789abcdef0123456789abcdef.png"), pngImage(t), 0o640)
	for path, want := range map[string]int{
		"/uploads/0123456789abcdef0123456789abcdef.html": http.StatusNotFound,
		"/uploads/notes.png":                             http.StatusNotFound,
		"/uploads/..%2Fkaidian.db":                       http.StatusNotFound,
		"/uploads/0123456789abcdef0123456789abcde0.png":  http.StatusNotFound,
		"/uploads/0123456789abcdef0123456789abcdef.png":  http.StatusOK,
	} {
		res, err := http.Get(e.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
		if want == http.StatusOK && (res.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" ||
			res.Header.Get("Content-Type") != "image/png") {
			t.Errorf("%s headers: %v", path, res.Header)
		}
	}
}
