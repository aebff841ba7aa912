package httpx

import (
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// Hand-written JSON, for the few answers served so often that encoding
// them by reflection shows in the CPU profile (the public catalog with its
// cache off). Each appender writes exactly the bytes encoding/json writes
// for the same value, so such an answer is byte for byte what c.JSON sent.

// AppendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it: ", \ and control characters; <, > and & as \u003c, \u003e,
// \u0026 (HTML-safe); U+2028 and U+2029; invalid UTF-8 as \ufffd.
func AppendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendJSONStrings appends vs as a JSON array of strings ([] for nil).
func AppendJSONStrings(b []byte, vs []string) []byte {
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, v)
	}
	return append(b, ']')
}

// AppendJSONField appends ,"name": (the comma too unless first); name
// must need no escaping.
func AppendJSONField(b []byte, name string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// AppendJSONInt appends n.
func AppendJSONInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

// AppendJSONBool appends true or false.
func AppendJSONBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// WriteJSON answers status with the JSON that fill appends to an empty
// buffer, with c.JSON's content type; the buffer is reused across requests.
func WriteJSON(c *gin.Context, status int, fill func(b []byte) []byte) {
	bp := jsonBuffers.Get().(*[]byte)
	b := fill((*bp)[:0])
	c.Data(status, "application/json; charset=utf-8", b)
	if cap(b) <= 64<<10 { // one outsized answer should not pin its buffer
		*bp = b
		jsonBuffers.Put(bp)
	}
}
