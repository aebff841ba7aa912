package console_test

import (
	"html/template"

	"github.com/kaidian/kaidian/internal/i18n"
)

// says is a message as a console page shows it by default (zh-CN, HTML
// escaped), from the catalogs, so a wording change does not break a test.
func says(id string, kv ...any) string {
	return template.HTMLEscapeString(i18n.For(i18n.ZhCN).T(id, kv...))
}
