package i18n

import (
	"strconv"

	"github.com/kaidian/kaidian/internal/errs"
)

// FieldErrorMsg is ErrorMsg without the field's name, for a list that
// names the field itself.
func FieldErrorMsg(err error) Msg {
	e := errs.As(err)
	switch {
	case e.Kind == errs.KindInternal:
		return M("error.internal")
	case e.ID == "":
		return Text(e.Message)
	}
	args := make(map[string]any, len(e.Details)+len(e.Args))
	for k, v := range e.Details {
		args[k] = v
	}
	for k, v := range e.Args {
		args[k] = v
	}
	return Msg{ID: e.ID, Args: args}
}

// ErrorMsg keeps err for a later reader as Error would write it now: its
// field's name, then its message (an internal error's cause never shows).
// For lists of problems (a file's bad lines) that are kept, or shown
// beside messages of their own.
func ErrorMsg(err error) Msg {
	e := errs.As(err)
	m := FieldErrorMsg(err)
	field, ok := e.Details["field"].(string)
	if !ok || e.Kind == errs.KindInternal {
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
