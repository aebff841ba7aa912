// Package page implements the cursor pagination every list in the API uses:
// `?cursor=…&limit=…` in, `{"items": […], "next_cursor": "…"}` out. Cursors are
// opaque to clients; inside they are the sort key of the last item returned.
package page

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
)

// Limits on page size.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Request is a parsed page request: items strictly after After (0 = from the
// start), at most Limit of them.
type Request struct {
	After int64
	Limit int
}

// Parse validates the raw query values.
func Parse(cursor, limit string) (Request, error) {
	r := Request{Limit: DefaultLimit}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxLimit {
			return r, errs.Field("limit", "invalid.range", "min", 1, "max", 100)
		}
		r.Limit = n
	}
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		id, perr := strconv.ParseInt(strings.TrimPrefix(string(raw), "k1:"), 10, 64)
		if err != nil || perr != nil || !strings.HasPrefix(string(raw), "k1:") || id < 0 {
			return r, errs.Field("cursor", "invalid.cursor")
		}
		r.After = id
	}
	return r, nil
}

// Cursor encodes the sort key of the last item on a page.
func Cursor(lastKey int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k1:" + strconv.FormatInt(lastKey, 10)))
}

// Trim takes the Limit+1 rows a query fetched (one extra tells whether another
// page follows), returns at most Limit of them and the cursor for the next
// page, empty on the last one.
func Trim[T any](rows []T, r Request, key func(T) int64) ([]T, string) {
	if len(rows) <= r.Limit {
		return rows, ""
	}
	rows = rows[:r.Limit]
	return rows, Cursor(key(rows[len(rows)-1]))
}
