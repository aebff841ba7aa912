// Package errs defines the small set of error kinds every domain speaks, so
// that the HTTP faces can translate any domain failure into a status and the
// single error shape in one place.
package errs

import (
	"errors"
	"fmt"
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
// safe to show to the person using the shop.
type Error struct {
	Kind    Kind
	Code    string         // stable, snake_case: "out_of_stock"
	Message string         // English text; being replaced by ID (see internal/i18n)
	ID      string         // the catalog id of the message people read (internal/i18n renders it in their language)
	Args    map[string]any // values for the message's placeholders beyond Details; never sent
	Details map[string]any // optional structured context, e.g. the failing sku_id
	Err     error          // wrapped cause, never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
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

// New builds an error of the given kind.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Invalid reports a bad field or request; details usually name the field.
func Invalid(code, message string) *Error { return New(KindInvalid, code, message) }

// NotFound reports a missing (or someone else's) resource.
func NotFound(code, message string) *Error { return New(KindNotFound, code, message) }

// Conflict reports a request the current state refuses.
func Conflict(code, message string) *Error { return New(KindConflict, code, message) }

// Rule reports a request a business rule refuses.
func Rule(code, message string) *Error { return New(KindRule, code, message) }

// Field is the usual validation error: which field, and what is wrong with it.
func Field(field, message string) *Error {
	return Invalid("invalid_field", field+": "+message).With("field", field)
}

// As returns the *Error inside err, or an internal error wrapping err.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Code: "internal", Message: "something went wrong on our side", Err: err}
}

// Is reports whether err is a domain error with the given code.
func Is(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
