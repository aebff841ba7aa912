package httpx

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/i18n"
)

const langKey = "kaidian.lang"

// SetLang fixes the language of the request's answers (the console sets the
// signed-in account's choice); without it the request's Accept-Language
// decides.
func SetLang(c *gin.Context, l i18n.Lang) { c.Set(langKey, l) }

// Lang is the language to answer the request in: what SetLang fixed, else
// the best match for Accept-Language, zh-CN by default.
func Lang(c *gin.Context) i18n.Lang {
	if l, ok := c.Get(langKey); ok {
		return l.(i18n.Lang)
	}
	l := i18n.Default
	if c.Request != nil {
		l = i18n.Match(c.Request.Header.Get("Accept-Language"))
	}
	c.Set(langKey, l)
	return l
}

// Printer writes in the request's language.
func Printer(c *gin.Context) *i18n.Printer { return i18n.For(Lang(c)) }
