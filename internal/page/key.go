package page

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
)

// KeyCursor encodes the position after the last item of a page sorted by a
// value that many items may share (a price, a count): the value and the
// item's id, which breaks ties. tag names the sort, so that a cursor of one
// sort handed to another is refused rather than misread.
func KeyCursor(tag string, key, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k2:" + tag + ":" +
		strconv.FormatInt(key, 10) + ":" + strconv.FormatInt(id, 10)))
}

// ParseKey reads a KeyCursor of the sort tag; any other cursor is a field
// error on "cursor".
func ParseKey(cursor, tag string) (key, id int64, err error) {
	bad := errs.Field("cursor", "invalid.cursor")
	raw, derr := base64.RawURLEncoding.DecodeString(cursor)
	rest, ok := strings.CutPrefix(string(raw), "k2:"+tag+":")
	if derr != nil || !ok {
		return 0, 0, bad
	}
	k, i, ok := strings.Cut(rest, ":")
	key, kerr := strconv.ParseInt(k, 10, 64)
	id, ierr := strconv.ParseInt(i, 10, 64)
	if !ok || kerr != nil || ierr != nil || id < 0 {
		return 0, 0, bad
	}
	return key, id, nil
}
