package mpapi_test

import (
	"bytes"
	"context"
	"image"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/upload"
)

func TestShopperUploadsAPhotoAndOnlyTheyMayNameIt(t *testing.T) {
	e := apptest.Start(t)
	ann := e.Token("ann")

	r := e.Upload(t, ann, "IMG_0001.PNG", apptest.PNG(t, 30, 20))
	if r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var got struct {
		URL           string
		Width, Height int
		Bytes         int64
	}
	r.Decode(t, &got)
	// An opaque PNG comes back as a JPEG of the same size.
	if !strings.HasPrefix(got.URL, "/uploads/") || !strings.HasSuffix(got.URL, ".jpg") || got.Width != 30 || got.Height != 20 || got.Bytes <= 0 {
		t.Fatalf("upload answered %+v", got)
	}
	served := e.Get(got.URL, "")
	if served.Status != http.StatusOK || served.Header.Get("Content-Type") != "image/jpeg" || int64(len(served.Body)) != got.Bytes {
		t.Fatalf("served: %d %s %d bytes", served.Status, served.Header.Get("Content-Type"), len(served.Body))
	}
	if _, _, err := image.Decode(bytes.NewReader(served.Body)); err != nil {
		t.Fatalf("the stored image does not decode: %v", err)
	}

	ctx := context.Background()
	if err := e.App.Uploads.Owned(ctx, shopperOf(t, e, "ann"), "photos", []string{got.URL}); err != nil {
		t.Fatalf("ann's own photo refused: %v", err)
	}
	for _, tc := range []struct {
		who  string
		urls []string
		want string
	}{
		{"bob", []string{got.URL}, "photos[0]"},                                        // ann's photo named by bob
		{"ann", []string{got.URL, got.URL}, "photos[1]"},                               // the same photo twice
		{"ann", []string{got.URL, "https://evil.example/x.jpg"}, "photos[1]"},          // not one of the shop's
		{"ann", []string{"/uploads/" + strings.Repeat("0", 32) + ".jpg"}, "photos[0]"}, // no such upload
	} {
		err := e.App.Uploads.Owned(ctx, shopperOf(t, e, tc.who), "photos", tc.urls)
		if e := errs.As(err); err == nil || e.Kind != errs.KindInvalid || e.Details["field"] != tc.want {
			t.Errorf("%s naming %v: %v, want an invalid %s", tc.who, tc.urls, err, tc.want)
		}
	}
}

// shopperOf is the id of the shopper a test user's token stands for.
func shopperOf(t *testing.T, e *apptest.Env, user string) int64 {
	t.Helper()
	id, err := e.App.Tokens.Verify(e.Token(user))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestUploadRefusesWhatIsNotAGoodImageAndStoresNothing(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("ann")
	huge := append(apptest.PNG(t, 4, 4), bytes.Repeat([]byte{0}, upload.MaxBytes)...)
	for _, tc := range []struct {
		name string
		data []byte
		code string
		say  string
	}{
		{"notes.jpg", []byte("just text, named like an image"), "invalid", "不是 JPEG、PNG、WebP 或 GIF 图片"},
		{"page.png", []byte("<html><script>alert(1)</script></html>"), "invalid", "不是 JPEG、PNG、WebP 或 GIF 图片"},
		{"huge.png", huge, "invalid", "图片：不能超过 10 MB"},
		// Past the body limit: refused while reading, whatever it holds.
		{"huger.png", append(huge, make([]byte, 128<<10)...), "invalid", "图片：不能超过 10 MB"},
	} {
		r := e.Upload(t, tok, tc.name, tc.data)
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), tc.say) || !strings.Contains(string(r.Body), `"field":"file"`) {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
		}
	}
	// No file at all, and JSON instead of a form.
	if r := e.Post("/api/v1/uploads", tok, map[string]any{"url": "x"}); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "请选择一个文件") {
		t.Errorf("no file: %d %s", r.Status, r.Body)
	}
	if r := e.Upload(t, "", "a.png", apptest.PNG(t, 4, 4)); r.Status != http.StatusUnauthorized {
		t.Errorf("without a token: %d %s", r.Status, r.Body)
	}
	stored, _ := os.ReadDir(filepath.Join(e.App.Config.DataDir, "uploads"))
	if len(stored) != 0 {
		t.Fatalf("refused files were stored: %v", stored)
	}
	var rows int64
	e.App.DB.Conn(context.Background()).Model(&upload.Upload{}).Count(&rows)
	if rows != 0 {
		t.Fatalf("%d uploads recorded for refused files", rows)
	}
}

func TestUploadsPerShopperPerDayAreLimited(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("ann")
	id := shopperOf(t, e, "ann")
	// Yesterday's uploads do not count; today's do.
	now := e.App.Clock.Now()
	rows := make([]upload.Upload, 0, upload.DailyLimit)
	for i := range upload.DailyLimit {
		at := now
		if i == 0 {
			at = now.Add(-25 * time.Hour)
		}
		rows = append(rows, upload.Upload{ShopperID: id, Name: strings.Repeat("a", 28) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "00.jpg", Bytes: 1, Width: 1, Height: 1, CreatedAt: at})
	}
	if err := e.App.DB.Conn(context.Background()).Create(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if r := e.Upload(t, tok, "a.png", apptest.PNG(t, 4, 4)); r.Status != http.StatusCreated {
		t.Fatalf("the 100th of today: %d %s", r.Status, r.Body)
	}
	if r := e.Upload(t, tok, "b.png", apptest.PNG(t, 4, 4)); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "upload_limit" {
		t.Fatalf("the 101st of today: %d %s", r.Status, r.Body)
	}
	if r := e.Upload(t, e.Token("bob"), "c.png", apptest.PNG(t, 4, 4)); r.Status != http.StatusCreated {
		t.Fatalf("another shopper is not limited by ann's uploads: %d %s", r.Status, r.Body)
	}
}
