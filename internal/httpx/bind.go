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
		return errs.Invalid("malformed_json", "the body must hold exactly one JSON value")
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
		return errs.Invalid("body_too_large", "the body exceeds "+strconv.FormatInt(tooBig.Limit, 10)+" bytes")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return errs.Invalid("malformed_json", "the body must be a JSON object")
		}
		return errs.Invalid("invalid_type", field+": must be "+jsonKind(typeErr.Type.Kind().String())).With("field", field)
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return errs.Invalid("malformed_json", "the body is not valid JSON")
	case errors.Is(err, io.EOF):
		return errs.Invalid("malformed_json", "the body is empty; send a JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.Invalid("unknown_field", "unknown field "+field).With("field", field)
	}
	return errs.Invalid("malformed_json", "the body could not be read as JSON")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "a number in range"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	}
	return "an object"
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
		return 0, errs.NotFound("not_found", name+" does not exist")
	}
	return id, nil
}
