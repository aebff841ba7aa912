package console_test

import (
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

// Through the console, from addresses a trusted proxy names: wrong passwords
// sent at once are refused with 401 up to the limit and 429 beyond it; others
// hammering the owner's username from many addresses lock out new browsers
// but not the browser the owner signed in with before (its known-device cookie).
func TestGuessingTheOwnersUsernameDoesNotLockTheOwnersBrowserOut(t *testing.T) {
	e := apptest.Start(t, apptest.WithRateLimits(0, 0, "127.0.0.1"))
	e.StaffAccount(t, "boss", staff.RoleOwner)
	login := func(c *apptest.Console, password string) int {
		return c.Post("/console/login", url.Values{"username": {"boss"}, "password": {password}}).Status
	}
	// browser is a new browser at the address, on the sign-in page.
	browser := func(from string) *apptest.Console {
		c := e.Anonymous(t)
		c.From = from
		c.Get("/console/login")
		return c
	}
	owner := browser("198.51.100.7")
	if s := login(owner, "password-boss"); s != http.StatusSeeOther {
		t.Fatalf("owner's first sign-in: %d", s)
	}
	owner.Get("/console")
	owner.Post("/console/logout", nil)

	// Attackers: a dozen addresses, five at a time each, all at once.
	var attackers []*apptest.Console
	for i := range staff.ThrottleUserAll/staff.ThrottleUser + 2 {
		for range staff.ThrottleUser + 1 {
			attackers = append(attackers, browser("203.0.113."+strconv.Itoa(i+1)))
		}
	}
	statuses := make([]int, len(attackers))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range attackers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = login(c, "guess-guess-guess")
		}()
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusUnauthorized] != staff.ThrottleUserAll || count[http.StatusTooManyRequests] != len(attackers)-staff.ThrottleUserAll {
		t.Fatalf("%d guesses answered %v; want %d checked (401) and the rest 429", len(attackers), count, staff.ThrottleUserAll)
	}

	stranger := browser("192.0.2.1")
	if s := login(stranger, "password-boss"); s != http.StatusTooManyRequests {
		t.Fatalf("a new browser while the username is under attack: %d", s)
	}
	owner.Get("/console/login")
	if s := login(owner, "password-boss"); s != http.StatusSeeOther {
		t.Fatalf("the owner's own browser: %d", s)
	}
	if p := owner.Get("/console"); p.Status != http.StatusOK {
		t.Fatalf("the owner's dashboard: %d", p.Status)
	}
}
