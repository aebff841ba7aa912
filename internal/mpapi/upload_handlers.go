package mpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/upload"
)

// MaxUploadBody caps a POST /uploads body: one image at its largest and the
// multipart framing around it. The rest of the API keeps its smaller cap.
const MaxUploadBody = upload.MaxBytes + 64<<10

// MountUploads registers POST /api/v1/uploads on r, which must be a group
// at /api/v1 whose body limit is MaxUploadBody rather than the API's.
func MountUploads(r *gin.RouterGroup, d Deps) {
	h := &uploadHandlers{svc: d.Uploads}
	r.POST("/uploads", d.ClientLimit.PerClient(), requireShopper(d.Tokens), limitShopperWrites(d.ShopperLimit), h.create)
	mountProfile(r, d)
}

// uploadHandlers take shoppers' photos for reviews, returns and avatars.
type uploadHandlers struct{ svc *upload.Service }

type uploadJSON struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Bytes  int64  `json:"bytes"`
}

// create: POST /api/v1/uploads (multipart, the image in field "file",
// as wx.uploadFile sends it).
func (h *uploadHandlers) create(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			httpx.Fail(c, upload.ErrTooBig)
			return
		}
		httpx.Fail(c, upload.ErrNoFile)
		return
	}
	u, err := h.svc.Save(c.Request.Context(), shopperID(c), fh)
	reply(c, http.StatusCreated, uploadJSON{URL: u.URL(), Width: u.Width, Height: u.Height, Bytes: u.Bytes}, err)
}

// ServeUpload answers GET /uploads/:name with a stored image, to the
// console and the mini program alike, always with the image type its name
// says and headers that keep it from ever running as a page.
func ServeUpload(store *upload.Store) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, info, contentType, ok := store.Open(c.Param("name"))
		if !ok {
			httpx.NoRoute(c)
			return
		}
		defer f.Close()
		h := c.Writer.Header()
		h.Set("Content-Type", contentType)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		// A name is never reused for other content, so the image can be cached for good.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeContent(c.Writer, c.Request, "", info.ModTime(), f)
	}
}
