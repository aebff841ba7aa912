package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/search"
)

// The hot words page: the words pinned to the top of the mini program's
// search page, in order, and the most searched words of the last days,
// each a button away from being pinned. Every change is audited by the
// search service under the merchant's name.

type searchWordsData struct {
	Pins    []search.Pin
	Top     []search.TopWord
	Days    int
	MaxPins int
}

// searchWordList: GET /console/search-words
func (h *handlers) searchWordList(c *gin.Context) {
	h.showSearchWords(c, http.StatusOK, NewForm(c, nil))
}

func (h *handlers) showSearchWords(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	pins, err := h.d.Search.Pins(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	top, err := h.d.Search.Top(ctx, 20)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "search_words.html", View{Title: httpx.Printer(c).T("console.search_words.title"), Nav: "search-words",
		Form: form, Data: searchWordsData{Pins: pins, Top: top, Days: search.HotDays, MaxPins: search.MaxPins}})
}

// searchWordPin: POST /console/search-words — word.
func (h *handlers) searchWordPin(c *gin.Context) {
	form := postedForm(c)
	p, err := h.d.Search.AddPin(c.Request.Context(), form.Get("word"), me(c).Actor())
	if err != nil {
		h.showSearchWords(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/search-words", httpx.Printer(c).T("console.search_words.pinned", "word", p.Word))
}

// searchWordUnpin: POST /console/search-words/:id/unpin
func (h *handlers) searchWordUnpin(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = h.d.Search.RemovePin(c.Request.Context(), id, me(c).Actor())
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, "/console/search-words", httpx.Printer(c).T("console.search_words.unpinned"))
}

// searchWordMove: POST /console/search-words/:id/move — dir "up" or "down".
func (h *handlers) searchWordMove(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = h.d.Search.MovePin(c.Request.Context(), id, c.PostForm("dir") == "up", me(c).Actor())
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, "/console/search-words", "")
}
