package attribution

import (
	"sync"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
)

// cache remembers what scene keys, codes and promoters resolve to for a
// minute, so that a burst of visits through one poster's code costs one
// lookup, and crediting an order costs no read of the promoter. A promoter
// disabled in the console stops being credited within that minute.
type cache struct {
	mu    sync.Mutex
	clock *clock.Clock
	ttl   time.Duration
	m     map[string]cached
}

type cached struct {
	v       any // nil: known not to resolve
	expires time.Time
}

// maxCached bounds the cache: past it, everything is forgotten at once
// (cheaper than tracking use, and the next minute refills it).
const maxCached = 20_000

func newCache(clk *clock.Clock, ttl time.Duration) *cache {
	return &cache{clock: clk, ttl: ttl, m: make(map[string]cached)}
}

// get returns what key resolved to, looking it up with load on a miss.
// load's error is not remembered.
func (c *cache) get(key string, load func() (any, error)) (any, error) {
	now := c.clock.Now()
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= maxCached {
		clear(c.m)
	}
	c.m[key] = cached{v: v, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return v, nil
}

// forget drops what key resolved to, so the next look-up reads it again.
func (c *cache) forget(key string) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}
