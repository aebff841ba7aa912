package httpx

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"
)

// CacheHeader says whether an answer came from the cache ("hit") or was
// computed for this request ("miss").
const CacheHeader = "X-Cache"

// The cache's memory bounds: at most cacheMaxEntries answers, none larger
// than cacheMaxBody, cacheMaxBytes of bodies in all. A product page is a few
// KB, so these hold every page a shop has while capping what a crawler
// walking odd query strings can pin.
const (
	cacheMaxEntries = 10_000
	cacheMaxBody    = 256 << 10
	cacheMaxBytes   = 64 << 20
)

// Cache keeps public GET answers in memory for a short TTL, so a stampede of
// shoppers browsing the catalog costs one database query per page per TTL
// instead of one per request. It lives in each replica's memory, so every
// replica shows a change at most one TTL late, each on its own schedule.
//
// Only put it on routes whose answer depends on nothing but the path and the
// query: it ignores every header, including Authorization, so a shopper's
// token never changes (or enters) a cached answer. Only 200 answers are kept;
// an answer that sets a cookie or says Cache-Control private/no-store is
// never kept, whatever route it is on.
type Cache struct {
	ttl    time.Duration
	now    func() time.Time
	flight singleflight.Group

	maxEntries, maxBody, maxBytes int

	mu       sync.RWMutex
	entries  map[string]*cachedAnswer
	bytes    int  // sum of size() over entries
	sweeping bool // a sweep of expired entries is scheduled (sweep)
}

type cachedAnswer struct {
	status      int
	contentType string
	body        []byte
	length      []string // Content-Length, formatted once
	gz          *gzipped // the body compressed, for clients that accept it; nil when not worth it
	expires     time.Time
	cacheable   bool
}

// NewCache returns a cache keeping answers for ttl, or nil (no caching) when
// ttl is not positive. A nil *Cache is valid: its Handler passes through.
func NewCache(ttl time.Duration) *Cache {
	if ttl <= 0 {
		return nil
	}
	return &Cache{
		ttl: ttl, now: time.Now, entries: make(map[string]*cachedAnswer),
		maxEntries: cacheMaxEntries, maxBody: cacheMaxBody, maxBytes: cacheMaxBytes,
	}
}

// Handler is the middleware to put in front of a cacheable GET route.
// Concurrent misses for one key run the route once; the others wait for
// and share its answer.
func (c *Cache) Handler() gin.HandlerFunc {
	if c == nil {
		return func(g *gin.Context) { g.Next() }
	}
	return c.serve
}

// PerLanguage is Handler for a route whose answer is written in the
// reader's language (Accept-Language) as well as by its path and query:
// each language keeps its own entry.
func (c *Cache) PerLanguage() gin.HandlerFunc {
	if c == nil {
		return func(g *gin.Context) { g.Next() }
	}
	return func(g *gin.Context) { c.serveKey(g, cacheKey(g.Request.URL)+"#"+string(Lang(g))) }
}

func (c *Cache) serve(g *gin.Context) { c.serveKey(g, cacheKey(g.Request.URL)) }

func (c *Cache) serveKey(g *gin.Context, key string) {
	if g.Request.Method != http.MethodGet {
		g.Next()
		return
	}
	if a := c.lookup(key); a != nil {
		write(g, a, "hit")
		return
	}
	var (
		leader   bool
		panicked any
	)
	v, err, _ := c.flight.Do(key, func() (_ any, err error) {
		leader = true
		defer func() {
			// A panicking route fails only its own request: the waiters
			// compute their own answers, and the panic goes on to Recover.
			if panicked = recover(); panicked != nil {
				err = errRoutePanicked
			}
		}()
		a := c.compute(g)
		if a.cacheable {
			c.store(key, a)
		}
		return a, nil
	})
	if panicked != nil {
		panic(panicked)
	}
	a, _ := v.(*cachedAnswer)
	switch {
	case leader:
		write(g, a, "miss")
	case err == nil && a.cacheable:
		write(g, a, "hit")
	default:
		// The leader's answer was an error or not for sharing (its client
		// may have gone away): compute this request's own.
		g.Header(CacheHeader, "miss")
		g.Next()
	}
}

var errRoutePanicked = errors.New("httpx: cached route panicked")

// compute runs the rest of the chain with the body captured instead of sent.
func (c *Cache) compute(g *gin.Context) *cachedAnswer {
	rec := &recorder{ResponseWriter: g.Writer, status: http.StatusOK, size: -1}
	g.Writer = rec
	defer func() { g.Writer = rec.ResponseWriter }()
	g.Next()
	h := rec.Header()
	a := &cachedAnswer{status: rec.status, contentType: h.Get("Content-Type"), body: rec.buf.Bytes(),
		length: []string{strconv.Itoa(rec.buf.Len())}}
	a.cacheable = a.status == http.StatusOK && len(a.body) <= c.maxBody &&
		h.Get("Set-Cookie") == "" && !private(h.Get("Cache-Control"))
	a.expires = c.now().Add(c.ttl)
	if a.cacheable && h.Get("Content-Encoding") == "" {
		a.gz = compress(a.body)
	}
	return a
}

func private(cacheControl string) bool {
	cc := strings.ToLower(cacheControl)
	return strings.Contains(cc, "private") || strings.Contains(cc, "no-store")
}

// write sends a (possibly shared) answer and ends the chain.
func write(g *gin.Context, a *cachedAnswer, how string) {
	h := g.Writer.Header()
	if a.contentType != "" {
		h["Content-Type"] = []string{a.contentType}
	}
	h[CacheHeader] = cacheValue[how]
	body, length := a.body, a.length
	if a.gz != nil {
		h["Vary"] = varyEncoding
		if acceptsGzip(g.Request.Header["Accept-Encoding"]) {
			h["Content-Encoding"] = gzipEncoding
			body, length = a.gz.body, a.gz.length
		}
	}
	// With its length known the answer goes out in one piece instead of
	// chunked, which is fewer bytes and, for pages over 2 KB, fewer writes.
	h["Content-Length"] = length
	g.Writer.WriteHeader(a.status)
	if len(body) == 0 {
		g.Writer.WriteHeaderNow()
	} else {
		g.Writer.Write(body)
	}
	g.Abort()
}

// cacheValue holds the header values once, so a hit allocates nothing for them.
var cacheValue = map[string][]string{"hit": {"hit"}, "miss": {"miss"}}

// size is the memory an answer's bodies take.
func (a *cachedAnswer) size() int {
	if a.gz == nil {
		return len(a.body)
	}
	return len(a.body) + len(a.gz.body)
}

func (c *Cache) lookup(key string) *cachedAnswer {
	c.mu.RLock()
	a := c.entries[key]
	c.mu.RUnlock()
	if a == nil || !c.now().Before(a.expires) {
		return nil
	}
	return a
}

func (c *Cache) store(key string, a *cachedAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil {
		c.bytes -= old.size()
		delete(c.entries, key)
	}
	if len(c.entries) >= c.maxEntries || c.bytes+a.size() > c.maxBytes {
		c.evict()
	}
	c.entries[key] = a
	c.bytes += a.size()
	if !c.sweeping {
		c.sweeping = true
		time.AfterFunc(c.sweepEvery(), c.sweep)
	}
}

// sweep drops the expired answers, and runs again while any are held, so
// pages read once (a crawl, a load test over a large catalog) are not kept
// until the cache fills: without it up to cacheMaxBytes of bodies, and
// their gzipped copies, stayed in memory long after their TTL. An empty
// cache schedules nothing.
func (c *Cache) sweep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, a := range c.entries {
		if !now.Before(a.expires) {
			c.bytes -= a.size()
			delete(c.entries, k)
		}
	}
	if len(c.entries) == 0 {
		c.sweeping = false
		return
	}
	time.AfterFunc(c.sweepEvery(), c.sweep)
}

func (c *Cache) sweepEvery() time.Duration { return max(c.ttl, time.Second) }

// evict makes room: first everything expired, then arbitrary entries (map
// order is random) until a quarter of the room is free, so a full cache
// sweeps once per many inserts instead of on every one.
func (c *Cache) evict() {
	now := c.now()
	for k, a := range c.entries {
		if !now.Before(a.expires) {
			c.bytes -= a.size()
			delete(c.entries, k)
		}
	}
	for k, a := range c.entries {
		if len(c.entries) <= c.maxEntries*3/4 && c.bytes <= c.maxBytes*3/4 {
			break
		}
		c.bytes -= a.size()
		delete(c.entries, k)
	}
}

// Len is the number of answers held (expired ones included until evicted).
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// cacheKey is the path plus the query with its parameters in key order, so
// ?limit=5&q=x and ?q=x&limit=5 share an entry. The order of repeated values
// is kept: the handlers read the first one.
func cacheKey(u *url.URL) string {
	if u.RawQuery == "" {
		return u.Path
	}
	if sortedQuery(u.RawQuery) {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path + "?" + u.Query().Encode()
}

// sortedQuery reports whether the raw query's parameter names are already
// in order, which is how a client building the same URL each time sends
// it; then the raw query is the key and nothing is parsed.
func sortedQuery(raw string) bool {
	prev := ""
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		name, _, _ := strings.Cut(part, "=")
		if name < prev {
			return false
		}
		prev = name
	}
	return true
}

// recorder captures what the route writes, so it can be sent, kept and
// shared once the route is done.
type recorder struct {
	gin.ResponseWriter
	buf    bytes.Buffer
	status int
	size   int // -1 until something is written, as gin counts
}

func (r *recorder) WriteHeader(code int) {
	if code > 0 && r.size < 0 {
		r.status = code
	}
}

func (r *recorder) WriteHeaderNow() {
	if r.size < 0 {
		r.size = 0
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeaderNow()
	n, err := r.buf.Write(b)
	r.size += n
	return n, err
}

func (r *recorder) WriteString(s string) (int, error) {
	r.WriteHeaderNow()
	n, err := r.buf.WriteString(s)
	r.size += n
	return n, err
}

func (r *recorder) Status() int   { return r.status }
func (r *recorder) Size() int     { return r.size }
func (r *recorder) Written() bool { return r.size >= 0 }
func (r *recorder) Flush()        {}
