package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"
)

// Rules of getwxacodeunlimit (WeChat's getUnlimitedQRCode documentation).
const (
	maxSceneLength = 32
	minCodeWidth   = 280
	maxCodeWidth   = 1280
	defaultWidth   = 430
	// sceneCharset is every character a scene may hold: no '%', so text
	// that is not ASCII cannot even be URL-encoded into one.
	sceneCharset = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$&'()*+,/:;=?@-._~"
)

// codes is what the sandbox knows of the mini program's codes: its pages
// (as app.json lists them, the first is the home page) and how many codes
// it has drawn.
type codes struct {
	mu    sync.RWMutex
	pages []string
	drawn atomic.Int64
}

// SetPages tells the sandbox the pages of the released mini program, home
// page first, as app.json lists them: getwxacodeunlimit refuses any other
// page with 41030 unless check_path is false. Until it is called the
// mini program has no released page.
func (s *Server) SetPages(pages []string) {
	s.codes.mu.Lock()
	defer s.codes.mu.Unlock()
	s.codes.pages = append([]string(nil), pages...)
}

// CodesDrawn is how many mini-program codes the sandbox has drawn since it
// started, so tests can tell a cached code from a fresh one.
func (s *Server) CodesDrawn() int64 { return s.codes.drawn.Load() }

func (s *Server) mountCodes(r *gin.RouterGroup) {
	r.POST("/wxa/getwxacodeunlimit", s.unlimitedCode)
}

// unlimitedCode is POST /wxa/getwxacodeunlimit: a PNG QR code of
// "page?scene=<scene>" (what the scanning phone opens), or WeChat's
// errcode as JSON. A real code is WeChat's round one; a square QR code
// holding the same text is what a test (or a phone's camera) can read.
func (s *Server) unlimitedCode(c *gin.Context) {
	if code, msg := s.checkToken(c.Request.Context(), c.Query("access_token")); code != 0 {
		wxFail(c, code, msg)
		return
	}
	var in struct {
		Scene      *string `json:"scene"`
		Page       string  `json:"page"`
		Width      *int    `json:"width"`
		CheckPath  *bool   `json:"check_path"`
		EnvVersion string  `json:"env_version"`
		// auto_color, line_color and is_hyaline change only how a real
		// code looks; the sandbox draws black on white.
	}
	raw, _ := io.ReadAll(c.Request.Body)
	if err := json.Unmarshal(raw, &in); err != nil {
		wxFail(c, 40169, "invalid length for scene, or the data is not json string")
		return
	}
	page, code, msg := s.codeRequest(in.Scene, in.Page, in.Width, in.CheckPath, in.EnvVersion)
	if code != 0 {
		wxFail(c, code, msg)
		return
	}
	width := defaultWidth
	if in.Width != nil {
		width = *in.Width
	}
	png, err := qrcode.Encode(page+"?scene="+*in.Scene, qrcode.Medium, width)
	if err != nil {
		s.systemError(c, "draw code", err)
		return
	}
	s.codes.drawn.Add(1)
	c.Data(http.StatusOK, "image/png", png)
}

// codeRequest checks a code request as WeChat does and returns the page the
// code opens (the home page for none).
func (s *Server) codeRequest(scene *string, page string, width *int, checkPath *bool, env string) (string, int, string) {
	switch {
	case scene == nil || *scene == "" || len(*scene) > maxSceneLength:
		return "", 40169, "invalid length for scene, or the data is not json string"
	case strings.Trim(*scene, sceneCharset) != "":
		return "", 40129, "invalid scene"
	case width != nil && (*width < minCodeWidth || *width > maxCodeWidth):
		return "", 40097, "invalid args: width"
	case env != "" && env != "release" && env != "trial" && env != "develop":
		return "", 40097, "invalid args: env_version"
	}
	s.codes.mu.RLock()
	pages := s.codes.pages
	s.codes.mu.RUnlock()
	if page == "" {
		if len(pages) == 0 {
			return "", 41030, "invalid page"
		}
		return pages[0], 0, ""
	}
	// A page is a path inside the package: no leading slash, parameters go
	// in the scene, never in the page.
	if strings.HasPrefix(page, "/") || strings.ContainsAny(page, "?#& ") {
		return "", 41030, "invalid page"
	}
	if checkPath == nil || *checkPath {
		for _, p := range pages {
			if p == page {
				return page, 0, ""
			}
		}
		return "", 41030, "invalid page"
	}
	return page, 0, ""
}
