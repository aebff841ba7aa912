package mpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/share"
)

// shareHandlers serve what the mini program shares: the card a chat or
// Moments shows, and the mini-program code of a shopper's own poster. Both
// carry the shopper's reference when a token is sent.
type shareHandlers struct{ svc *share.Service }

type shareCardJSON struct {
	Title    string `json:"title"`
	Path     string `json:"path"`
	ImageURL string `json:"image_url"`
}

// card: GET /api/v1/share?target=product:42
func (h *shareHandlers) card(c *gin.Context) {
	card, err := h.svc.Card(c.Request.Context(), c.Query("target"), shopperID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, shareCardJSON{Title: httpx.Printer(c).Msg(card.Title), Path: card.Path, ImageURL: card.ImageURL})
}

// code: GET /api/v1/share/code?page=&target=&width= — the PNG. It differs
// per shopper (their reference is in it), so only the shopper's own
// client keeps it; it never changes, so for a day.
func (h *shareHandlers) code(c *gin.Context) {
	width, err := codeWidth(c.Query("width"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	code, err := h.svc.ShopperCode(c.Request.Context(), shopperID(c), c.Query("page"), c.Query("target"), width)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=86400")
	c.Data(http.StatusOK, "image/png", code.PNG)
}

// codeWidth reads the width parameter: absent is 0 (the default width).
func codeWidth(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, share.ErrBadWidth
	}
	return n, nil
}
