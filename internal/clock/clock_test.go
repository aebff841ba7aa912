package clock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
)

func TestNewReadsTheRealTimeInUTC(t *testing.T) {
	before := time.Now()
	got := clock.New().Now()
	after := time.Now()
	if got.Location() != time.UTC {
		t.Errorf("Now() is in %v, want UTC", got.Location())
	}
	if got.Before(before.Truncate(time.Microsecond)) || got.After(after) {
		t.Errorf("Now() = %v, not between %v and %v", got, before, after)
	}
}

func TestNilClockReadsTheRealTime(t *testing.T) {
	var c *clock.Clock
	before := time.Now()
	got := c.Now()
	if got.Location() != time.UTC || got.Before(before.Truncate(time.Microsecond)) || got.After(time.Now()) {
		t.Errorf("nil clock: Now() = %v", got)
	}
}

func TestSetMovesEveryReader(t *testing.T) {
	c := clock.New()
	t0 := time.Date(2026, 6, 18, 0, 0, 0, 0, time.UTC)
	c.Set(func() time.Time { return t0 })
	if !c.Now().Equal(t0) {
		t.Fatalf("Now() = %v, want %v", c.Now(), t0)
	}
	// Set races with readers in tests that move time while orders run.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() { defer wg.Done(); _ = c.Now() }()
		go func() {
			defer wg.Done()
			at := t0.Add(time.Duration(i) * time.Hour)
			c.Set(func() time.Time { return at })
		}()
	}
	wg.Wait()
	if got := c.Now(); got.Before(t0) || got.After(t0.Add(3*time.Hour)) {
		t.Errorf("Now() = %v after concurrent sets", got)
	}
}

func TestChinaIsUTCPlus8WithoutDaylightSaving(t *testing.T) {
	if clock.New().Location() != clock.China {
		t.Error("Location() is not China")
	}
	for _, utc := range []time.Time{
		time.Date(2026, 1, 15, 16, 0, 0, 0, time.UTC), // winter
		time.Date(2026, 7, 15, 16, 0, 0, 0, time.UTC), // summer
	} {
		local := utc.In(clock.China)
		if local.Hour() != 0 || local.Day() != 16 {
			t.Errorf("%v in China = %v, want midnight of the 16th", utc, local)
		}
		if _, off := local.Zone(); off != 8*3600 {
			t.Errorf("offset %d", off)
		}
	}
	if got := time.Date(2026, 3, 1, 9, 30, 0, 0, clock.China).Format(time.RFC3339); got != "2026-03-01T09:30:00+08:00" {
		t.Errorf("RFC 3339 in China = %q", got)
	}
}
