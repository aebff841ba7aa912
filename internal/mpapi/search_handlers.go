package mpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/search"
)

// searchHandlers serve the search page: hot words and suggestions (public,
// cached like the catalog) and a logged-in shopper's history.
type searchHandlers struct{ svc *search.Service }

type hotWordJSON struct {
	Word   string `json:"word"`
	Pinned bool   `json:"pinned"`
}

func (h *searchHandlers) hot(c *gin.Context) {
	words, err := h.svc.Hot(c.Request.Context())
	reply(c, http.StatusOK, listOf(words, "", func(w search.HotWord) hotWordJSON {
		return hotWordJSON{Word: w.Word, Pinned: w.Pinned}
	}), err)
}

type suggestionJSON struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

func (h *searchHandlers) suggest(c *gin.Context) {
	limit := 0
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			reply(c, 0, nil, errs.Field("limit", "invalid.range", "min", 1, "max", 2*search.SuggestLimit))
			return
		}
		limit = n
	}
	items, err := h.svc.Suggest(c.Request.Context(), c.Query("q"), limit)
	reply(c, http.StatusOK, listOf(items, "", func(s search.Suggestion) suggestionJSON {
		return suggestionJSON{Kind: s.Kind, ID: s.ID, Text: s.Text}
	}), err)
}

type searchJSON struct {
	Word       string    `json:"word"`
	SearchedAt time.Time `json:"searched_at"`
}

func (h *searchHandlers) history(c *gin.Context) {
	items, err := h.svc.History(c.Request.Context(), shopperID(c))
	reply(c, http.StatusOK, listOf(items, "", func(s search.Search) searchJSON {
		return searchJSON{Word: s.Word, SearchedAt: s.SearchedAt.UTC()}
	}), err)
}

func (h *searchHandlers) clearHistory(c *gin.Context) {
	if err := h.svc.ClearHistory(c.Request.Context(), shopperID(c)); err != nil {
		reply(c, 0, nil, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// recordSearches counts the list's first page of a search (later pages
// are the same search) once it has answered 200, cached or not, so it sits
// in front of the cache. A valid token, if the request bears one, puts the
// search in that shopper's history; the list itself needs no login, so a
// missing or bad token is no error here.
func recordSearches(svc *search.Service, tokens *auth.Tokens) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		q := c.Query("q")
		if q == "" || c.Query("cursor") != "" || c.Writer.Status() != http.StatusOK {
			return
		}
		var shopper int64
		if token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer "); ok && token != "" {
			if id, err := tokens.Verify(token); err == nil {
				shopper = id
			}
		}
		svc.Record(shopper, q)
	}
}
