package sandbox

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
)

// SingleUse is what every code the sandbox hands out for one exchange
// keeps beside what it stands for (wx.login's and getPhoneNumber's codes):
// the code, when it expires (CodeLifetime after it was made, as WeChat's)
// and when it was spent. It is exported only because gorm maps the columns
// of an embedded struct only when its type is.
type SingleUse struct {
	Code      string     `gorm:"column:code;primaryKey"`
	ExpiresAt time.Time  `gorm:"column:expires_at"`
	UsedAt    *time.Time `gorm:"column:used_at"`
}

func (u *SingleUse) single() *SingleUse { return u }

// codeRow is a row of a table of single-use codes: a *loginCode or a
// *phoneCode, each embedding SingleUse.
type codeRow interface {
	TableName() string
	single() *SingleUse
}

// newCode is a fresh code of n random bytes (in hex), good for CodeLifetime.
func (s *Server) newCode(n int) SingleUse {
	return SingleUse{Code: randomToken(n), ExpiresAt: s.now().Add(CodeLifetime)}
}

// issueCode stores row, a code just made, and answers {code}; what names
// the code in the log.
func (s *Server) issueCode(c *gin.Context, row codeRow, what string) {
	if err := s.db.Conn(c.Request.Context()).Create(row).Error; err != nil {
		s.log.Error("sandbox: store "+what+" code", "error", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": "internal", "message": "could not store the code"}})
		return
	}
	c.JSON(http.StatusOK, gin.H{"code": row.single().Code})
}

// spendCode reads code into row and marks it used, answering WeChat's
// errcode and errmsg (0 and "" when spent): 40029 for a code that is
// unknown or expired, usedCode and usedMsg for one already spent (WeChat's
// differ by API), -1 when the database fails (logged, naming what). Marking
// it used is one guarded update whose row count decides, so two concurrent
// exchanges of one code give exactly one success, on SQLite and PostgreSQL
// alike; the one that loses is answered as if the code was spent before.
func (s *Server) spendCode(ctx context.Context, row codeRow, code, what string, usedCode int, usedMsg string) (int, string) {
	if code == "" {
		return 40029, "invalid code"
	}
	err := s.db.Conn(ctx).Where("code = ?", code).Take(row).Error
	if database.IsNotFound(err) {
		return 40029, "invalid code"
	}
	if err != nil {
		s.log.Error("sandbox: read "+what+" code", "error", err)
		return -1, "system error"
	}
	now, u := s.now(), row.single()
	if u.UsedAt != nil {
		return usedCode, usedMsg
	}
	if !now.Before(u.ExpiresAt) {
		return 40029, "invalid code"
	}
	res := s.db.Conn(ctx).Table(row.TableName()).Where("code = ? AND used_at IS NULL", code).Update("used_at", now)
	if res.Error != nil {
		s.log.Error("sandbox: spend "+what+" code", "error", res.Error)
		return -1, "system error"
	}
	if res.RowsAffected != 1 {
		return usedCode, usedMsg
	}
	return 0, ""
}

// pruneCodes deletes the codes of empty's table (empty is a zero row) past
// their lifetime, used or not, and says how many. A code spent but not yet
// expired is kept, so exchanging it again still answers as a spent one.
func (s *Server) pruneCodes(ctx context.Context, empty codeRow) (int64, error) {
	res := s.db.Conn(ctx).Where("expires_at <= ?", s.now()).Delete(empty)
	return res.RowsAffected, res.Error
}
