package i18n

import (
	"github.com/kaidian/kaidian/internal/errs"

	"bytes"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
)

// Msg is a message kept for later (an audit entry's detail, an order's
// history note, an import's problem): its catalog id and the values of its
// placeholders, so it is written in the language of whoever reads it, not
// of whoever caused it. Stored as JSON text ({"id":…,"args":{…}}).
// A Msg with no ID is plain text kept from before messages were
// translated, shown as it is.
type Msg struct {
	ID   string         `json:"id,omitempty"`
	Args map[string]any `json:"args,omitempty"`
	Text string         `json:"text,omitempty"` // only for rows written before catalogs
}

// M builds a Msg from an id and name, value pairs.
func M(id string, kv ...any) Msg { return Msg{ID: id, Args: errs.Pairs(kv)} }

// Text keeps words a person typed (a reason, a note) as a Msg: shown as
// they are, in every language.
func Text(s string) Msg { return Msg{Text: s} }

// Msg writes m in p's language. An argument that is itself a Msg or an
// error is written in p's language too, and a []Msg is written as a list
// ("标题已修改；图片已修改"), so a message can name parts that are messages.
// An error quoted in a message that is kept goes in as ErrorMsg(err): an
// error value is written now but not kept in a column.
func (p *Printer) Msg(m Msg) string {
	if m.ID == "" {
		return m.Text
	}
	if len(m.Args) == 0 {
		return p.Data(m.ID, nil)
	}
	data := make(map[string]any, len(m.Args))
	for k, v := range m.Args {
		data[k] = p.arg(v)
	}
	return p.Data(m.ID, data)
}

// arg is a placeholder's value as the message shows it: messages written
// out, and the numbers of a message read back from JSON as Go numbers.
func (p *Printer) arg(v any) any {
	switch x := v.(type) {
	case Msg:
		return p.Msg(x)
	case error:
		return p.Error(x)
	case []Msg:
		parts := make([]string, len(x))
		for i, m := range x {
			parts[i] = p.Msg(m)
		}
		return strings.Join(parts, p.T("record.list_separator"))
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case map[string]any: // a Msg read back from JSON
		if m, ok := msgOf(x); ok {
			return p.Msg(m)
		}
		if len(x) == 0 { // an empty Msg
			return ""
		}
	case []any: // a []Msg read back from JSON
		ms := make([]Msg, 0, len(x))
		for _, e := range x {
			o, _ := e.(map[string]any)
			m, ok := msgOf(o)
			if !ok {
				return v
			}
			ms = append(ms, m)
		}
		return p.arg(ms)
	}
	return v
}

// msgOf reads a Msg that JSON decoding left as a map.
func msgOf(o map[string]any) (Msg, bool) {
	id, _ := o["id"].(string)
	text, _ := o["text"].(string)
	if id == "" && text == "" {
		return Msg{}, false
	}
	args, _ := o["args"].(map[string]any)
	return Msg{ID: id, Args: args, Text: text}, true
}

// UnmarshalJSON reads a Msg kept inside other JSON (a list of an import's
// problems): a message object, or a string kept before messages were
// translated, which becomes plain Text. Numbers stay json.Number, so an
// amount in fen keeps every digit.
func (m *Msg) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*m = Msg{Text: s}
		return nil
	}
	type plain Msg // without this method
	var p plain
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		return err
	}
	*m = Msg(p)
	return nil
}

// Moment writes t as a message's value: China's time, "2026-12-06 10:07",
// which readers of either language read alike.
func Moment(t time.Time) string { return t.In(clock.China).Format("2006-01-02 15:04") }

// IsZero reports whether m holds nothing.
func (m Msg) IsZero() bool { return m.ID == "" && m.Text == "" }

// Value stores m as JSON text.
func (m Msg) Value() (driver.Value, error) {
	if m.IsZero() {
		return "", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// Scan reads m from JSON text; text that is not a message object (a row
// written before messages were kept this way) becomes plain Text.
func (m *Msg) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*m = Msg{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return errors.New("i18n.Msg: cannot scan a non-text column")
	}
	*m = Msg{}
	if len(s) > 0 && s[0] == '{' && m.UnmarshalJSON([]byte(s)) == nil && (m.ID != "" || m.Text != "") {
		return nil
	}
	*m = Msg{Text: s}
	return nil
}
