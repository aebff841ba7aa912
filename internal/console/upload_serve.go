package console

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// uploadName is the only shape of name saveImage gives a file.
var uploadName = regexp.MustCompile(`^[0-9a-f]{32}\.(jpg|png|webp|gif)$`)

var uploadTypes = map[string]string{".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}

// Uploads serves the images merchants uploaded, at /uploads/:name, to the
// console and the mini program alike. It serves nothing but files named as
// saveImage names them, always with the image type their name says (which
// is the type their content was sniffed as), so nothing else that lands in
// the folder is ever served, and nothing served can run as a page.
func Uploads(dataDir string) gin.HandlerFunc {
	dir := uploadsDir(dataDir)
	return func(c *gin.Context) {
		name := c.Param("name")
		if !uploadName.MatchString(name) {
			httpx.NoRoute(c)
			return
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			httpx.NoRoute(c)
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil || !info.Mode().IsRegular() {
			httpx.NoRoute(c)
			return
		}
		h := c.Writer.Header()
		h.Set("Content-Type", uploadTypes[path.Ext(name)])
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		// A name is never reused for other content, so the image can be cached for good.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeContent(c.Writer, c.Request, "", info.ModTime(), f)
	}
}
