package i18n

import (
	"strconv"

	"github.com/kaidian/kaidian/internal/errs"
)

// ErrorMsg keeps err for a later reader as Error would write it now: its
// field's name, then its message (an internal error's cause never shows).
// For lists of problems (a file's bad lines) that are kept, or shown
// beside messages of their own.
func ErrorMsg(err error) Msg {
	e := errs.As(err)
	if e.Kind == errs.KindInternal {
		return M("error.internal")
	}
	m := Text(e.Message)
	if e.ID != "" {
		args := make(map[string]any, len(e.Details)+len(e.Args))
		for k, v := range e.Details {
			args[k] = v
		}
		for k, v := range e.Args {
			args[k] = v
		}
		m = Msg{ID: e.ID, Args: args}
	}
	field, ok := e.Details["field"].(string)
	if !ok {
		return m
	}
	n := 0
	if i := index.FindStringSubmatch(field); i != nil {
		n, _ = strconv.Atoi(i[1])
		n++
	}
	label := M("field."+index.ReplaceAllString(field, "[]"), "n", n)
	return M("record.field_problem", "field", label, "problem", m)
}
