package console

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/upload"
)

// Images merchants upload: at most maxImageBytes each, recognised by their
// content (never by the file's name) and kept in the shop's image store
// (internal/upload), which names and serves them.
const (
	maxImageBytes = 2 << 20
	// maxProductFormBytes bounds a product form: every image at full size,
	// plus room for the fields of a full SKU grid.
	maxProductFormBytes = catalog.MaxImages*maxImageBytes + 1<<20
)

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
		u, err := saveImage(h.d.Images, fh)
		if err != nil {
			return urls, err
		}
		urls = append(urls, u)
	}
	return urls, nil
}

// saveImage checks one uploaded file and stores it, returning the URL it is
// served at.
func saveImage(store *upload.Store, fh *multipart.FileHeader) (string, error) {
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
	ext, ok := upload.Sniff(data)
	if !ok {
		return "", errs.Field("upload", "console.image_type", "file", fh.Filename)
	}
	return store.Save(data, ext)
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
