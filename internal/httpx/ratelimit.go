package httpx

import (
	"math"
	"net/netip"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/kaidian/kaidian/internal/errs"
)

// limiterMaxKeys bounds a Limiter's memory (about 150 bytes a key) when more
// keys are active at once than idle eviction can forget.
const limiterMaxKeys = 200_000

// Limiter is a token bucket per key (a client address, a shopper id): perSec
// requests a second on average, bursts of twice that. Buckets live in this
// process's memory, so with R replicas behind a balancer a key gets up to R
// times the rate.
//
// A bucket left alone long enough to refill completely is the same as a
// fresh one, so forgetting it changes nothing: idle buckets are swept out
// as requests come in (no goroutine to stop), which keeps memory to the keys
// active in the last few seconds.
type Limiter struct {
	limit rate.Limit
	burst int
	idle  time.Duration // time for an empty bucket to fill up again
	now   func() time.Time

	maxKeys   int
	mu        sync.Mutex
	buckets   map[string]*bucket
	nextSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time // last request; under Limiter.mu
}

// NewLimiter returns a limiter of perSec requests a second per key with a
// burst of 2×perSec (at least 1), or nil (no limit) when perSec is not
// positive. A nil *Limiter allows everything.
func NewLimiter(perSec float64) *Limiter {
	if perSec <= 0 {
		return nil
	}
	burst := max(1, int(math.Ceil(2*perSec)))
	idle := time.Duration(float64(burst) / perSec * float64(time.Second))
	return &Limiter{
		limit: rate.Limit(perSec), burst: burst, idle: max(idle, time.Second), now: time.Now,
		maxKeys: limiterMaxKeys, buckets: make(map[string]*bucket),
	}
}

// Allow takes one request from key's bucket. When the bucket is empty it
// says how long until it holds one again.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	if now.After(l.nextSweep) || len(l.buckets) >= l.maxKeys {
		l.sweep(now)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.last = now
	l.mu.Unlock()
	if b.lim.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - b.lim.TokensAt(now)
	return false, time.Duration(missing / float64(l.limit) * float64(time.Second))
}

// sweep forgets buckets idle long enough to be full; if that is not enough
// room, arbitrary ones (map order is random), which only ever makes the limit
// more lenient for a moment, never stricter. Called with l.mu held; runs at
// most once per idle period, so its cost is spread over many requests.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.last) >= l.idle {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.maxKeys*3/4 {
			break
		}
		delete(l.buckets, k)
	}
	l.nextSweep = now.Add(max(l.idle, 10*time.Second))
}

// Len is the number of buckets held.
func (l *Limiter) Len() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Admit lets the request on when key's bucket has a token; otherwise it
// answers 429 rate_limited with Retry-After and aborts the chain.
func (l *Limiter) Admit(c *gin.Context, key string) bool {
	ok, wait := l.Allow(key)
	if !ok {
		RateLimited(c, wait)
	}
	return ok
}

// PerClient is middleware limiting each client address (gin's ClientIP,
// which honours X-Forwarded-For only from the engine's trusted proxies).
// IPv6 clients are limited per /64, the block one subscriber usually gets,
// so walking through addresses in it does not escape the limit.
func (l *Limiter) PerClient() gin.HandlerFunc {
	if l == nil {
		return func(c *gin.Context) { c.Next() }
	}
	return func(c *gin.Context) {
		if l.Admit(c, ClientKey(c.ClientIP())) {
			c.Next()
		}
	}
}

// ClientKey is the rate-limit key of a client address: the address itself,
// or for IPv6 its /64.
func ClientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() || a.Is4In6() {
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// RateLimited answers 429 rate_limited, telling the client in whole seconds
// (at least 1) when to try again, in the Retry-After header and in
// details.retry_after.
func RateLimited(c *gin.Context, wait time.Duration) {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	Fail(c, errs.New(errs.KindRateLimited, "rate_limited",
		"httpx.rate_limited", "seconds", secs).With("retry_after", secs))
}
