package httpx

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// fakeClock lets the tests move time instead of waiting for it.
func fakeClock(l *Limiter) *time.Time {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	return &now
}

func TestLimiterBurstThenRateWithRetryAfter(t *testing.T) {
	l := NewLimiter(5) // burst 10
	now := fakeClock(l)
	for i := range 10 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > 200*time.Millisecond {
		t.Fatalf("11th request: ok %v, retry after %v; want refused, about 200ms", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key shares the first one's bucket")
	}
	*now = now.Add(200 * time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("a token did not come back after 1/rate")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("more than one token came back")
	}
}

func TestLimiterSlowRateRetryAfterSeconds(t *testing.T) {
	l := NewLimiter(0.25) // one request every 4 s, burst 1
	fakeClock(l)
	l.Allow("a")
	if ok, wait := l.Allow("a"); ok || wait != 4*time.Second {
		t.Fatalf("ok %v wait %v, want refused for 4s", ok, wait)
	}
}

func TestLimiterForgetsIdleBuckets(t *testing.T) {
	l := NewLimiter(5) // refills in 2 s; swept at most every 10 s
	now := fakeClock(l)
	for i := range 50_000 {
		l.Allow(strconv.Itoa(i))
	}
	if l.Len() != 50_000 {
		t.Fatalf("holds %d buckets", l.Len())
	}
	*now = now.Add(11 * time.Second)
	l.Allow("active")
	if l.Len() != 1 {
		t.Fatalf("after everyone went idle it still holds %d buckets, want 1", l.Len())
	}
}

func TestLimiterCapsKeys(t *testing.T) {
	l := NewLimiter(5)
	fakeClock(l)
	l.maxKeys = 1000
	for i := range 10_000 {
		l.Allow(strconv.Itoa(i)) // all active at once: idle eviction cannot help
		if l.Len() > 1000 {
			t.Fatalf("after %d keys it holds %d buckets, over the cap", i+1, l.Len())
		}
	}
}

func TestNilLimiterAllowsEverything(t *testing.T) {
	if NewLimiter(0) != nil {
		t.Fatal("a zero rate must turn the limit off")
	}
	var l *Limiter
	for range 1000 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatal("refused")
		}
	}
}

func TestClientKeyGroupsIPv6By64(t *testing.T) {
	for ip, want := range map[string]string{
		"203.0.113.7":             "203.0.113.7",
		"2001:db8:1:2:3:4:5:6":    "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":    "2001:db8:1:2::/64",
		"::ffff:203.0.113.7":      "::ffff:203.0.113.7",
		"not an address":          "not an address",
		"2001:db8:1:3:3:4:5:6":    "2001:db8:1:3::/64",
		"fe80::1":                 "fe80::/64",
		"2001:db8:1:2:3:4:5:6%e0": "2001:db8:1:2::/64",
	} {
		if got := ClientKey(ip); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", ip, got, want)
		}
	}
}

func TestPerClientAnswers429InTheErrorShape(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	l := NewLimiter(0.5) // burst 1, a token every 2 s
	fakeClock(l)
	r := gin.New()
	r.Use(l.PerClient())
	r.GET("/x", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	do := func(remote string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		req.RemoteAddr = remote
		r.ServeHTTP(w, req)
		return w
	}
	if w := do("198.51.100.1:1234"); w.Code != 200 {
		t.Fatalf("first = %d", w.Code)
	}
	w := do("198.51.100.1:4321")
	var body struct {
		Error struct {
			Code    string
			Message string
			Details struct {
				RetryAfter int `json:"retry_after"`
			}
		}
	}
	json.Unmarshal(w.Body.Bytes(), &body)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" ||
		body.Error.Code != "rate_limited" || body.Error.Details.RetryAfter != 2 || body.Error.Message != "请求过于频繁，请 2 秒后再试" {
		t.Fatalf("over the limit = %d Retry-After %q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if w := do("198.51.100.2:1234"); w.Code != 200 {
		t.Fatalf("another client = %d", w.Code)
	}
}

func TestRetryAfterIsAtLeastOneSecond(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	RateLimited(c, 10*time.Millisecond)
	if w.Code != 429 || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("got %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
}
