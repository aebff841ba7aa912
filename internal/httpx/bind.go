package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
)

// BindJSON decodes the request body into v strictly, whatever Content-Type
// the client claims (curl's -d says form-urlencoded): one JSON value, known
// fields only, the right types, within the size limit set by LimitBody.
// Each failure is a 400 in the error shape that names what was wrong.
func BindJSON(c *gin.Context, v any) error {
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return errs.Invalid("malformed_json", "httpx.one_json_value")
	}
	return nil
}

func decodeError(err error) error {
	var (
		tooBig    *http.MaxBytesError
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.As(err, &tooBig):
		return errs.Invalid("body_too_large", "httpx.body_too_large", "limit", tooBig.Limit)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return errs.Invalid("malformed_json", "httpx.json_object")
		}
		return errs.Invalid("invalid_type", jsonKind(typeErr.Type.Kind().String())).With("field", field)
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return errs.Invalid("malformed_json", "httpx.invalid_json")
	case errors.Is(err, io.EOF):
		return errs.Invalid("malformed_json", "httpx.empty_body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.Invalid("unknown_field", "httpx.unknown_field").With("field", field)
	}
	return errs.Invalid("malformed_json", "httpx.unreadable_json")
}

// jsonKind is the id of the message saying which JSON type a Go kind takes.
func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "httpx.type_number"
	case "string":
		return "httpx.type_string"
	case "bool":
		return "httpx.type_bool"
	case "slice", "array":
		return "httpx.type_array"
	}
	return "httpx.type_object"
}

// LimitBody caps request bodies at n bytes; BindJSON reports the overflow.
func LimitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// PathID reads a positive integer id from the path; anything else is a 404,
// since no resource has that id.
func PathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound("not_found", "httpx.not_found")
	}
	return id, nil
}
