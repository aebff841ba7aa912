package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
)

// DefaultBlockedWords is the content check's word list unless
// KAIDIAN_SANDBOX_BLOCKED_WORDS says otherwise: text holding a plain word is
// "risky"; a word written with a leading "?" makes it "review" (WeChat
// unsure, a person should look).
const DefaultBlockedWords = "违禁词,赌博,代开发票,?加微信,?私聊"

// maxSecCheckRunes is msgSecCheck's limit on content: 2,500 characters.
const maxSecCheckRunes = 2500

// userVisitWindow: msgSecCheck v2 only checks text of a user who opened
// the mini program in the last two hours (errcode 61010 otherwise).
const userVisitWindow = 2 * time.Hour

// Labels the sandbox answers with: 100 normal; a risky word is 20006
// (illegal), a doubtful one 21000 (other).
const (
	labelNormal  = 100
	labelRisky   = 20006
	labelDoubted = 21000
)

// secCheck is the content check's configuration and its injected failures.
type secCheck struct {
	mu     sync.RWMutex
	risky  []string
	review []string
	fail   atomic.Int64 // the next this many checks answer -1 (system busy)
}

// SetBlockedWords replaces the content check's words, given as
// KAIDIAN_SANDBOX_BLOCKED_WORDS is: comma-separated, "?" before a word that
// makes text doubtful rather than risky. Empty means DefaultBlockedWords.
func (s *Server) SetBlockedWords(list string) {
	if strings.TrimSpace(list) == "" {
		list = DefaultBlockedWords
	}
	var risky, review []string
	for _, w := range strings.Split(list, ",") {
		w = strings.TrimSpace(w)
		if doubt, ok := strings.CutPrefix(w, "?"); ok && doubt != "" {
			review = append(review, doubt)
		} else if w != "" {
			risky = append(risky, w)
		}
	}
	s.sec.mu.Lock()
	s.sec.risky, s.sec.review = risky, review
	s.sec.mu.Unlock()
}

func (s *Server) mountSecCheck(r *gin.RouterGroup) {
	r.POST("/wxa/msg_sec_check", s.msgSecCheck)
	r.POST("/wx/sec-check/fail", s.failSecCheck)
}

// msgSecCheck is POST /wxa/msg_sec_check (version 2): the token, the body's
// shape, the scene, the openid (a user of this sandbox who logged in within
// two hours) and the content are checked as WeChat checks them; then the
// text is matched against the blocked words. The verdict is in result, with
// errcode 0, as on WeChat.
func (s *Server) msgSecCheck(c *gin.Context) {
	ctx := c.Request.Context()
	if code, msg := s.checkToken(ctx, c.Query("access_token")); code != 0 {
		wxFail(c, code, msg)
		return
	}
	var in struct {
		Content *string `json:"content"`
		Version *int    `json:"version"`
		Scene   *int    `json:"scene"`
		OpenID  *string `json:"openid"`
	}
	raw, _ := io.ReadAll(io.LimitReader(c.Request.Body, 1<<20))
	switch {
	case json.Unmarshal(raw, &in) != nil || in.Version == nil || *in.Version != 2 || in.Scene == nil:
		wxFail(c, 47001, "data format error")
		return
	case *in.Scene < 1 || *in.Scene > 4:
		wxFail(c, 40129, "invalid scene")
		return
	case in.Content == nil || *in.Content == "":
		wxFail(c, 44004, "empty content")
		return
	case utf8.RuneCountInString(*in.Content) > maxSecCheckRunes:
		wxFail(c, 45002, "content size out of limit")
		return
	case in.OpenID == nil || *in.OpenID == "":
		wxFail(c, 40003, "invalid openid")
		return
	}
	if code, msg := s.visited(c, *in.OpenID); code != 0 {
		wxFail(c, code, msg)
		return
	}
	for {
		n := s.sec.fail.Load()
		if n <= 0 {
			break
		}
		if s.sec.fail.CompareAndSwap(n, n-1) {
			wxFail(c, -1, "system error")
			return
		}
	}
	suggest, label, word := s.judge(*in.Content)
	detail := gin.H{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label, "prob": 90}
	if word != "" {
		detail = gin.H{"strategy": "keyword", "errcode": 0, "suggest": suggest, "label": label, "level": 20, "keyword": word}
	}
	c.JSON(http.StatusOK, gin.H{"errcode": 0, "errmsg": "ok", "trace_id": randomToken(24),
		"result": gin.H{"suggest": suggest, "label": label}, "detail": []gin.H{detail}})
}

// visited answers 40003 for an openid the sandbox never issued and 61010
// for a user whose last wx.login is older than two hours.
func (s *Server) visited(c *gin.Context, openID string) (int, string) {
	var last loginCode
	err := s.db.Conn(c.Request.Context()).Where("openid = ?", openID).Order("expires_at DESC").Take(&last).Error
	switch {
	case database.IsNotFound(err):
		return 40003, "invalid openid"
	case err != nil:
		s.log.Error("sandbox: read login codes", "error", err)
		return -1, "system error"
	case s.now().Sub(last.ExpiresAt.Add(-CodeLifetime)) > userVisitWindow:
		return 61010, "user access record expired"
	}
	return 0, ""
}

// judge matches text against the words: risky before doubtful.
func (s *Server) judge(text string) (suggest string, label int, word string) {
	s.sec.mu.RLock()
	defer s.sec.mu.RUnlock()
	for _, w := range s.sec.risky {
		if strings.Contains(text, w) {
			return "risky", labelRisky, w
		}
	}
	for _, w := range s.sec.review {
		if strings.Contains(text, w) {
			return "review", labelDoubted, w
		}
	}
	return "pass", labelNormal, ""
}

// failSecCheck is POST /sandbox/wx/sec-check/fail {count}: the next count
// content checks answer errcode -1 (system error), as WeChat does when
// busy, so a shop's handling of an unreachable check can be tried. The
// count lives in this process.
func (s *Server) failSecCheck(c *gin.Context) {
	var in struct {
		Count int64 `json:"count"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.Count < 0 || in.Count > 1000 {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field", "message": "send {\"count\": 0 to 1000}"}})
		return
	}
	s.sec.fail.Store(in.Count)
	c.JSON(http.StatusOK, gin.H{"count": in.Count})
}
