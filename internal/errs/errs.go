// Package errs defines the small set of error kinds every domain speaks, so
// that the HTTP faces can translate any domain failure into a status and the
// single error shape in one place.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds, from the caller's point of view.
const (
	KindInternal        Kind = iota // a bug or an outage: generic text to users, logged in full
	KindInvalid                     // the request is malformed or a field is wrong (400)
	KindUnauthenticated             // no valid credentials (401)
	KindForbidden                   // authenticated but not allowed (403)
	KindNotFound                    // no such thing, or not yours (404)
	KindConflict                    // the state of the world refuses it: out of stock, already paid (409)
	KindRule                        // a business rule refuses it: minimum order, limit reached (422)
	KindRateLimited                 // slow down (429)
	KindUnavailable                 // a dependency is down; retry later (503)
)

// Error is a domain error with a stable machine code and a message that is
// safe to show to the person using the shop. The message is not text but a
// catalog id with the values of its placeholders: internal/i18n writes it
// in the reader's language (errs cannot import i18n: i18n renders errs).
type Error struct {
	Kind    Kind
	Code    string         // stable, snake_case: "out_of_stock"
	ID      string         // the catalog id of the message people read: "inventory.out_of_stock"
	Args    map[string]any // values for the message's placeholders beyond Details; never sent
	Details map[string]any // optional structured context, e.g. the failing sku_id
	Err     error          // wrapped cause, never shown
}

// Error is the text for logs: code, message id, its values and the cause,
// never translated ("out_of_stock: inventory.out_of_stock {max=2}: …").
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.ID)
	if len(e.Args) > 0 {
		names := make([]string, 0, len(e.Args))
		for k := range e.Args {
			names = append(names, k)
		}
		sort.Strings(names)
		b.WriteString(" {")
		for i, k := range names {
			if i > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "%s=%v", k, e.Args[k])
		}
		b.WriteString("}")
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// With returns a copy of e carrying the given details; sentinel errors stay untouched.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Details = make(map[string]any, len(e.Details)+1)
	for k, v := range e.Details {
		c.Details[k] = v
	}
	c.Details[key] = value
	return &c
}

// Arg returns a copy of e whose message fills the placeholder name with
// value: a value the reader needs that is no detail of the contract (an
// amount written as yuan, say); sentinel errors stay untouched.
func (e *Error) Arg(name string, value any) *Error {
	c := *e
	c.Args = make(map[string]any, len(e.Args)+1)
	for k, v := range e.Args {
		c.Args[k] = v
	}
	c.Args[name] = value
	return &c
}

// Wrap returns a copy of e carrying cause, so a sentinel can answer the
// caller (its kind, code, message and details) while the log still gets what
// actually failed; errors.Is and errors.As reach cause through it. The
// sentinel itself stays untouched, and a nil cause gives back e unchanged.
func Wrap(e *Error, cause error) *Error {
	if cause == nil {
		return e
	}
	c := *e
	c.Err = cause
	return &c
}

// New builds an error of the given kind whose message is the catalog id
// with its placeholders' values given as name, value pairs:
// New(KindRule, "cart_full", "cart.full", "max", 100).
func New(kind Kind, code, id string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, ID: id, Args: Pairs(args)}
}

// Invalid reports a bad field or request; details usually name the field.
func Invalid(code, id string, args ...any) *Error { return New(KindInvalid, code, id, args...) }

// NotFound reports a missing (or someone else's) resource.
func NotFound(code, id string, args ...any) *Error { return New(KindNotFound, code, id, args...) }

// Conflict reports a request the current state refuses.
func Conflict(code, id string, args ...any) *Error { return New(KindConflict, code, id, args...) }

// Rule reports a request a business rule refuses.
func Rule(code, id string, args ...any) *Error { return New(KindRule, code, id, args...) }

// Field is the usual validation error: which field (its request path,
// "skus[2].price"), and what is wrong with it, said without naming the
// field (the reader's language puts its label in front).
func Field(field, id string, args ...any) *Error {
	return Invalid("invalid_field", id, args...).With("field", field)
}

// Pairs turns name, value, name, value… into a map (an error's Args, a
// message's placeholders); nil for none.
func Pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// As returns the *Error inside err, or an internal error wrapping err.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Code: "internal", ID: "error.internal", Err: err}
}

// Is reports whether err is a domain error with the given code.
func Is(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
