package i18n

import (
	"regexp"
	"strconv"

	"github.com/kaidian/kaidian/internal/errs"
)

// Error is the message of err for the person who caused it, in p's
// language: a field error names the field ("标题：…"), an internal error
// never shows its cause.
func (p *Printer) Error(err error) string {
	e := errs.As(err)
	msg := p.message(e)
	if field, ok := e.Details["field"].(string); ok && e.Kind != errs.KindInternal {
		return p.Field(field) + p.T("error.field_separator") + msg
	}
	return msg
}

// FieldError is err's message without the field's name, for a form that
// shows it next to the field.
func (p *Printer) FieldError(err error) string { return p.message(errs.As(err)) }

func (p *Printer) message(e *errs.Error) string {
	if e.Kind == errs.KindInternal {
		return p.T("error.internal")
	}
	data := make(map[string]any, len(e.Details)+len(e.Args))
	for k, v := range e.Details {
		data[k] = v
	}
	for k, v := range e.Args {
		if inner, ok := v.(error); ok { // a message that quotes another error says it in the same language
			v = p.Error(inner)
		}
		data[k] = v
	}
	return p.Data(e.ID, data)
}

var index = regexp.MustCompile(`\[(\d+)\]`)

// Field is the name people read for a request field: the message
// "field.<path>", list positions written "[]" ("skus[2].price" is
// "field.skus[].price"), with n the 1-based position of the first list item.
// A path with no label (a field the request should not have sent) is
// quoted as it came.
func (p *Printer) Field(path string) string {
	id := "field." + index.ReplaceAllString(path, "[]")
	n := 0
	if m := index.FindStringSubmatch(path); m != nil {
		n, _ = strconv.Atoi(m[1])
		n++
	}
	if label := p.T(id, "n", n); label != "["+id+"]" {
		return label
	}
	return p.T("error.unknown_field", "path", path)
}
