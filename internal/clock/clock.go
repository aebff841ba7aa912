// Package clock is the shop's one idea of the time: what time it is (one
// Clock, built at start and handed to every service, so a test that moves it
// moves the whole shop at once) and which day it is (China Standard Time,
// where WeChat shops sell).
package clock

import (
	"sync/atomic"
	"time"
)

// China is the shop's time zone: China Standard Time, UTC+8 all year (China
// keeps no daylight saving time). A fixed zone rather than
// time.LoadLocation("Asia/Shanghai") so that it works without the system's
// zone database (the image is a bare static binary) and can never fail.
// Days in reports, dates typed in the console and WeChat's timestamps
// (+08:00) are all in it.
var China = time.FixedZone("CST", 8*3600)

// Clock tells the services the time. It is safe for concurrent use; Set may
// be called while services read it. A nil *Clock reads the real time, so a
// service built without one (a test that never moves time) still works.
type Clock struct {
	now atomic.Pointer[func() time.Time]
}

// New returns a clock that reads the real time, in UTC (the zone every
// stored time is written in).
func New() *Clock {
	c := &Clock{}
	c.Set(func() time.Time { return time.Now().UTC() })
	return c
}

// Now is the current time as the shop sees it.
func (c *Clock) Now() time.Time {
	if c == nil {
		return time.Now().UTC()
	}
	return (*c.now.Load())()
}

// Location is the zone the shop keeps its days in: China.
func (c *Clock) Location() *time.Location { return China }

// Set makes now the source of the time, for every service sharing c. Tests
// use it to move the shop past a deadline; the running shop never calls it.
func (c *Clock) Set(now func() time.Time) { c.now.Store(&now) }
