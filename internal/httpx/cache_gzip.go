package httpx

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"
)

// gzipMinBody is the smallest answer worth compressing: below it the gzip
// header and the CPU outweigh the bytes saved.
const gzipMinBody = 1024

// gzipped is a cached answer's body compressed once, when it is stored,
// instead of on every request. Catalog JSON shrinks to about a third, which
// matters to phones on mobile networks and keeps a product page within one
// socket write (net/http's 4 KB buffer).
type gzipped struct {
	body   []byte
	length []string
}

var (
	gzipEncoding = []string{"gzip"}
	varyEncoding = []string{"Accept-Encoding"}
	// A flate writer holds hundreds of KB of state: reuse them.
	gzipWriters = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
		return w
	}}
)

// compress returns body gzipped, or nil when that does not pay.
func compress(body []byte) *gzipped {
	if len(body) < gzipMinBody {
		return nil
	}
	var buf bytes.Buffer
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(body); err != nil || w.Close() != nil || buf.Len() >= len(body) {
		return nil
	}
	return &gzipped{body: buf.Bytes(), length: []string{strconv.Itoa(buf.Len())}}
}

// acceptsGzip reads Accept-Encoding just enough: gzip listed, and not
// refused with q=0.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.EqualFold(strings.TrimSpace(name), "gzip") {
				q := strings.ReplaceAll(params, " ", "")
				return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
			}
		}
	}
	return false
}
