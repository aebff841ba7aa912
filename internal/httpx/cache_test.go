package httpx

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// cacheServer serves GET /thing through the cache: each computation
// answers its own sequence number, so a hit is recognisable by its body.
type cacheServer struct {
	*httptest.Server
	cache    *Cache
	computed atomic.Int64
	clock    time.Time
	clockMu  sync.Mutex
}

func newCacheServer(t *testing.T, route gin.HandlerFunc) *cacheServer {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	s := &cacheServer{cache: NewCache(time.Minute), clock: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.cache.now = func() time.Time { s.clockMu.Lock(); defer s.clockMu.Unlock(); return s.clock }
	if route == nil {
		route = func(c *gin.Context) {
			c.JSON(http.StatusOK, gin.H{"n": s.computed.Add(1), "q": c.Query("q")})
		}
	}
	r := gin.New()
	r.Use(Recover())
	r.GET("/thing", s.cache.Handler(), route)
	s.Server = httptest.NewServer(r)
	t.Cleanup(s.Close)
	return s
}

func (s *cacheServer) advance(d time.Duration) {
	s.clockMu.Lock()
	s.clock = s.clock.Add(d)
	s.clockMu.Unlock()
}

type got struct {
	status int
	cache  string
	body   string
	ctype  string
}

func (s *cacheServer) get(t *testing.T, pathAndQuery string, header ...string) got {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+pathAndQuery, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return got{res.StatusCode, res.Header.Get(CacheHeader), string(b), res.Header.Get("Content-Type")}
}

func TestCacheMissThenHitUntilExpiry(t *testing.T) {
	s := newCacheServer(t, nil)
	first := s.get(t, "/thing")
	if first.status != 200 || first.cache != "miss" || !strings.Contains(first.body, `"n":1`) {
		t.Fatalf("first = %+v", first)
	}
	second := s.get(t, "/thing")
	if second.cache != "hit" || second.body != first.body || second.ctype != "application/json; charset=utf-8" {
		t.Fatalf("second = %+v, want a hit with the first body %q", second, first.body)
	}
	s.advance(59 * time.Second)
	if g := s.get(t, "/thing"); g.cache != "hit" || g.body != first.body {
		t.Fatalf("within the TTL = %+v", g)
	}
	s.advance(time.Second)
	if g := s.get(t, "/thing"); g.cache != "miss" || !strings.Contains(g.body, `"n":2`) {
		t.Fatalf("after the TTL = %+v, want a fresh computation", g)
	}
	if g := s.get(t, "/thing"); g.cache != "hit" || !strings.Contains(g.body, `"n":2`) {
		t.Fatalf("after refilling = %+v", g)
	}
}

func TestCacheKeyIsPathAndCanonicalQuery(t *testing.T) {
	s := newCacheServer(t, nil)
	a := s.get(t, "/thing?q=shirt&limit=5")
	if g := s.get(t, "/thing?limit=5&q=shirt"); g.cache != "hit" || g.body != a.body {
		t.Fatalf("same parameters in another order = %+v, want the cached %q", g, a.body)
	}
	if g := s.get(t, "/thing?q=shoe&limit=5"); g.cache != "miss" || !strings.Contains(g.body, `"q":"shoe"`) {
		t.Fatalf("another query = %+v", g)
	}
	if g := s.get(t, "/thing"); g.cache != "miss" {
		t.Fatalf("no query = %+v", g)
	}
	if n := s.computed.Load(); n != 3 {
		t.Fatalf("computed %d times, want 3", n)
	}
}

// The cache ignores headers, so a shopper's token neither changes nor
// splits the cached answer; a route that answers per person must not sit
// behind it, and anything that marks itself private is never kept.
func TestCacheIgnoresAuthorizationAndNeverKeepsPrivateAnswers(t *testing.T) {
	s := newCacheServer(t, nil)
	anon := s.get(t, "/thing")
	if g := s.get(t, "/thing", "Authorization", "Bearer someone"); g.cache != "hit" || g.body != anon.body {
		t.Fatalf("with a token = %+v, want the anonymous answer", g)
	}

	for name, mark := range map[string]func(*gin.Context){
		"cookie":  func(c *gin.Context) { c.SetCookie("s", "secret", 60, "/", "", false, true) },
		"private": func(c *gin.Context) { c.Header("Cache-Control", "private") },
		"nostore": func(c *gin.Context) { c.Header("Cache-Control", "no-store") },
	} {
		var n atomic.Int64
		p := newCacheServer(t, func(c *gin.Context) {
			mark(c)
			c.JSON(http.StatusOK, gin.H{"n": n.Add(1)})
		})
		p.get(t, "/thing")
		if g := p.get(t, "/thing"); g.cache != "miss" || !strings.Contains(g.body, `"n":2`) || p.cache.Len() != 0 {
			t.Errorf("%s: second = %+v, held %d; a private answer was cached", name, g, p.cache.Len())
		}
	}
}

func TestCacheKeepsOnly200AndBoundedBodies(t *testing.T) {
	var n atomic.Int64
	status := http.StatusNotFound
	s := newCacheServer(t, func(c *gin.Context) {
		c.JSON(status, gin.H{"n": n.Add(1), "pad": strings.Repeat("x", int(n.Load())*100)})
	})
	s.get(t, "/thing")
	if g := s.get(t, "/thing"); g.status != 404 || g.cache != "miss" || !strings.Contains(g.body, `"n":2`) {
		t.Fatalf("a 404 was cached: %+v", g)
	}
	status = http.StatusOK
	s.cache.maxBody = 250 // every answer from now on pads itself past 300 bytes
	big := s.get(t, "/thing")
	if big.status != 200 || len(big.body) <= 250 || !strings.HasSuffix(big.body, `"}`) {
		t.Fatalf("oversized answer not delivered whole: %d bytes", len(big.body))
	}
	if g := s.get(t, "/thing"); g.cache != "miss" || s.cache.Len() != 0 {
		t.Fatalf("an answer over the body limit was cached: %+v", g)
	}
}

func TestCacheEvictsToStayBounded(t *testing.T) {
	s := newCacheServer(t, nil)
	s.cache.maxEntries = 8
	for i := range 50 {
		s.get(t, "/thing?q="+strconv.Itoa(i))
		if l := s.cache.Len(); l > 8 {
			t.Fatalf("after %d keys the cache holds %d entries, over its cap of 8", i+1, l)
		}
	}
	if g := s.get(t, "/thing?q=49"); g.cache != "hit" {
		t.Fatalf("the newest entry was evicted: %+v", g)
	}
	s.cache.maxBytes = 1 // the next insert overflows the byte budget and sweeps,
	s.advance(time.Hour) // and everything has expired by then
	s.get(t, "/thing?q=new")
	if l := s.cache.Len(); l != 1 {
		t.Fatalf("expired entries kept: %d", l)
	}
}

// Concurrent misses for one key run the route once: the route holds its
// answer back until every request has arrived, so each of the others
// either waits for that computation or, if it got there after, hits.
func TestCacheConcurrentMissesComputeOnce(t *testing.T) {
	const n = 24
	var arrived atomic.Int64
	var computed atomic.Int64
	gin.SetMode(gin.ReleaseMode)
	cache := NewCache(time.Minute)
	r := gin.New()
	r.GET("/thing", func(c *gin.Context) { arrived.Add(1); c.Next() }, cache.Handler(), func(c *gin.Context) {
		computed.Add(1)
		for arrived.Load() < n {
			time.Sleep(time.Millisecond)
		}
		c.JSON(http.StatusOK, gin.H{"ok": true})
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	var wg sync.WaitGroup
	var hits, misses atomic.Int64
	bodies := make([]string, n)
	for i := range n {
		wg.Go(func() {
			res, err := http.Get(srv.URL + "/thing")
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			bodies[i] = string(b)
			if res.Header.Get(CacheHeader) == "hit" {
				hits.Add(1)
			} else {
				misses.Add(1)
			}
		})
	}
	wg.Wait()
	if c := computed.Load(); c != 1 {
		t.Fatalf("%d concurrent requests computed the answer %d times, want once", n, c)
	}
	if misses.Load() != 1 || hits.Load() != n-1 {
		t.Fatalf("misses %d hits %d", misses.Load(), hits.Load())
	}
	for i, b := range bodies {
		if b != `{"ok":true}` {
			t.Fatalf("request %d got %q", i, b)
		}
	}
}

func TestCacheRoutePanicFailsOnlyThatRequest(t *testing.T) {
	var n atomic.Int64
	s := newCacheServer(t, func(c *gin.Context) {
		if n.Add(1) == 1 {
			panic("boom")
		}
		c.JSON(http.StatusOK, gin.H{"n": n.Load()})
	})
	if g := s.get(t, "/thing"); g.status != 500 {
		t.Fatalf("panicking route = %+v", g)
	}
	if g := s.get(t, "/thing"); g.status != 200 || g.cache != "miss" {
		t.Fatalf("after a panic = %+v", g)
	}
}

func TestNilCachePassesThrough(t *testing.T) {
	if NewCache(0) != nil {
		t.Fatal("a zero TTL must turn the cache off")
	}
	var c *Cache
	r := gin.New()
	r.GET("/thing", c.Handler(), func(g *gin.Context) { g.String(200, "ok") })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/thing", nil))
	if w.Code != 200 || w.Body.String() != "ok" || w.Header().Get(CacheHeader) != "" {
		t.Fatalf("got %d %q %q", w.Code, w.Body, w.Header().Get(CacheHeader))
	}
}

func TestCacheServesLargeAnswersGzippedToClientsThatAcceptIt(t *testing.T) {
	big := strings.Repeat(`{"title":"纯棉圆领短袖T恤","price":5900},`, 100)
	s := newCacheServer(t, func(c *gin.Context) { c.Data(http.StatusOK, "application/json; charset=utf-8", []byte(big)) })
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(acceptEncoding string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/thing", nil)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		res, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	for _, ae := range []string{"", "gzip", "br, gzip;q=0.8", "gzip;q=0", "identity"} {
		res, b := fetch(ae)
		gz := res.Header.Get("Content-Encoding") == "gzip"
		if want := ae == "gzip" || ae == "br, gzip;q=0.8"; gz != want {
			t.Fatalf("Accept-Encoding %q: gzipped %v, want %v", ae, gz, want)
		}
		if res.Header.Get("Vary") != "Accept-Encoding" || res.Header.Get("Content-Length") != strconv.Itoa(len(b)) {
			t.Fatalf("Accept-Encoding %q: Vary %q Content-Length %q for %d bytes", ae, res.Header.Get("Vary"), res.Header.Get("Content-Length"), len(b))
		}
		if gz {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			b, _ = io.ReadAll(zr)
		}
		if string(b) != big {
			t.Fatalf("Accept-Encoding %q: body differs", ae)
		}
	}
	// Go's client asks for gzip itself and undoes it: callers see the plain body.
	if g := s.get(t, "/thing"); g.body != big || g.cache != "hit" {
		t.Fatalf("transparent gzip: %d bytes, %s", len(g.body), g.cache)
	}
	// Small answers are not worth compressing.
	small := newCacheServer(t, nil)
	small.get(t, "/thing")
	res, err := raw.Get(small.URL + "/thing")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "" || res.Header.Get("Vary") != "" {
		t.Fatalf("a small answer was gzipped: %v", res.Header)
	}
}

// Expired answers are dropped by a sweep once their TTL has passed, not
// held until the cache fills; an emptied cache schedules no more sweeps.
func TestCacheSweepsExpiredAnswers(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	c := NewCache(time.Second)
	r := gin.New()
	r.GET("/thing", c.Handler(), func(g *gin.Context) { g.JSON(http.StatusOK, gin.H{"q": g.Query("q")}) })
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	for i := range 20 {
		res, err := http.Get(srv.URL + "/thing?q=" + strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if c.Len() != 20 {
		t.Fatalf("held %d answers, want 20", c.Len())
	}
	deadline := time.Now().Add(10 * time.Second)
	for c.Len() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d expired answers still held", c.Len())
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.sweeping || c.bytes != 0 {
		t.Fatalf("empty cache: sweeping %v, bytes %d", c.sweeping, c.bytes)
	}
}
