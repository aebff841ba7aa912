package i18n

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
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
	err  error          // ErrMsg's error; not kept in a column
}

// M builds a Msg from an id and name, value pairs.
func M(id string, kv ...any) Msg { return Msg{ID: id, Args: pairs(kv)} }

// ErrMsg is a Msg that writes err as Printer.Error does (an errs error in
// the reader's language, its field's label in front), for a message shown
// later in the same request, such as a file's problem lines. It is not for
// keeping in a column: only id, args and text are stored.
func ErrMsg(err error) Msg { return Msg{err: err} }

// Msg writes m in p's language; an argument that is itself a Msg or an
// error is written in the same language.
func (p *Printer) Msg(m Msg) string {
	if m.err != nil {
		return p.Error(m.err)
	}
	if m.ID == "" {
		return m.Text
	}
	args := make(map[string]any, len(m.Args))
	for k, v := range m.Args {
		switch v := v.(type) {
		case Msg:
			args[k] = p.Msg(v)
		case error:
			args[k] = p.Error(v)
		default:
			args[k] = v
		}
	}
	return p.Data(m.ID, args)
}

// IsZero reports whether m holds nothing.
func (m Msg) IsZero() bool { return m.ID == "" && m.Text == "" && m.err == nil }

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
	if len(s) > 0 && s[0] == '{' && json.Unmarshal([]byte(s), m) == nil && (m.ID != "" || m.Text != "") {
		return nil
	}
	*m = Msg{Text: s}
	return nil
}
