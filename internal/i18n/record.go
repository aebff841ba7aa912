package i18n

import (
	"strconv"

	"github.com/kaidian/kaidian/internal/errs"
)

// FieldErrorMsg is ErrorMsg without the field's name, for a list that
// names the field itself.
func FieldErrorMsg(err error) Msg {
	e := errs.As(err)
	if e.Kind == errs.KindInternal {
		return M("error.internal")
	}
	args := make(map[string]any, len(e.Details)+len(e.Args))
	for k, v := range e.Details {
		args[k] = v
	}
	for k, v := range e.Args {
		if inner, ok := v.(error); ok { // an error it quotes is kept as a message too
			v = ErrorMsg(inner)
		}
		args[k] = v
	}
	return Msg{ID: e.ID, Args: args}
}

// ErrorMsg keeps err for a later reader as Printer.Error would write it
// now: its field's name, then its message (an internal error's cause never
// shows). For problems that are kept (an import's bad lines, a shipment's
// upload error) or shown later beside messages of their own (a file's
// problem lines).
func ErrorMsg(err error) Msg {
	e := errs.As(err)
	m := FieldErrorMsg(err)
	field, ok := e.Details["field"].(string)
	if !ok || e.Kind == errs.KindInternal {
		return m
	}
	return M("record.field_problem", "field", fieldLabel(field), "problem", m)
}

// fieldLabel is Printer.Field kept as a message: the label of a request
// field, or the field quoted as it came when it has none.
func fieldLabel(path string) Msg {
	id := "field." + index.ReplaceAllString(path, "[]")
	if For(Default).T(id, "n", 1) == "["+id+"]" {
		return M("error.unknown_field", "path", path)
	}
	n := 0
	if i := index.FindStringSubmatch(path); i != nil {
		n, _ = strconv.Atoi(i[1])
		n++
	}
	return M(id, "n", n)
}
