package console

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
)

// Images merchants upload: at most maxImageBytes each, recognised by their
// content (never by the file's name) as one of imageTypes, stored under
// DataDir/uploads with a random name and the extension of their real type.
const (
	maxImageBytes = 2 << 20
	// maxProductFormBytes bounds a product form: every image at full size,
	// plus room for the fields of a full SKU grid.
	maxProductFormBytes = catalog.MaxImages*maxImageBytes + 1<<20
)

// imageTypes maps the content types http.DetectContentType recognises to
// the extension a stored image gets.
var imageTypes = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}

// uploadsDir is where uploaded images live.
func uploadsDir(dataDir string) string { return filepath.Join(dataDir, "uploads") }

// storeUploads saves the images of the form's "upload" field and returns
// their URLs. The first refused file stops it, with an error on the
// "upload" field; the URLs of the files stored before it are returned too,
// so the form can keep them.
func (h *handlers) storeUploads(c *gin.Context) ([]string, error) {
	mf := c.Request.MultipartForm
	if mf == nil {
		return nil, nil
	}
	var urls []string
	for _, fh := range mf.File["upload"] {
		if fh.Filename == "" && fh.Size == 0 { // the file input was left empty
			continue
		}
		u, err := saveImage(uploadsDir(h.d.DataDir), fh)
		if err != nil {
			return urls, err
		}
		urls = append(urls, u)
	}
	return urls, nil
}

// saveImage checks one uploaded file and stores it under dir, returning the
// URL it is served at. The file is written to a temporary name and renamed,
// so a half-written image is never served.
func saveImage(dir string, fh *multipart.FileHeader) (string, error) {
	tooBig := errs.Field("upload", "console.image_too_big", "file", fh.Filename, "size", fmt.Sprintf("%.1f", float64(fh.Size)/(1<<20)))
	if fh.Size > maxImageBytes {
		return "", tooBig
	}
	f, err := fh.Open()
	if err != nil {
		return "", fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImageBytes+1))
	if err != nil {
		return "", fmt.Errorf("read upload: %w", err)
	}
	if len(data) > maxImageBytes {
		return "", tooBig
	}
	ext, ok := imageTypes[http.DetectContentType(data)]
	if !ok {
		return "", errs.Field("upload", "console.image_type", "file", fh.Filename)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("uploads folder: %w", err)
	}
	random := make([]byte, 16)
	rand.Read(random)
	name := hex.EncodeToString(random) + ext
	tmp, err := os.CreateTemp(dir, ".partial-*")
	if err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("store upload: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	return "/uploads/" + name, nil
}

// limitProductForm caps a product form's body: one posted as multipart may
// carry every image a product can have and so gets maxProductFormBytes
// (or n, if larger); a larger one is refused at once with 413, before
// anything reads it. Any other body gets n.
func limitProductForm(n int64) gin.HandlerFunc {
	small, big := httpx.LimitBody(n), httpx.LimitBody(max(n, maxProductFormBytes))
	return func(c *gin.Context) {
		r := c.Request
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			small(c)
			return
		}
		if r.ContentLength > max(n, maxProductFormBytes) {
			c.String(http.StatusRequestEntityTooLarge, httpx.Printer(c).T("console.upload.too_large", "n", catalog.MaxImages))
			c.Abort()
			return
		}
		big(c)
	}
}
