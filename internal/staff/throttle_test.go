package staff

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/testkit"
)

// countChecks counts the password checks (bcrypt comparisons) made until the
// test ends.
func countChecks(t *testing.T) *atomic.Int64 {
	var n atomic.Int64
	orig := compareHash
	compareHash = func(hash, password []byte) error {
		n.Add(1)
		return orig(hash, password)
	}
	t.Cleanup(func() { compareHash = orig })
	return &n
}

func newService(t *testing.T) *Service {
	db := dbtest.Open(t)
	s := New(db, audit.New(db, clock.New()), clock.New())
	if _, err := s.Create(context.Background(), "test", NewAccount{Username: "owner", Name: "Owner", Password: "password-owner", Role: RoleOwner}); err != nil {
		t.Fatal(err)
	}
	return s
}

// attemptAll runs the attempts at once, one goroutine each, and returns how
// many were refused as bad credentials and how many as throttled.
func attemptAll(t *testing.T, s *Service, ats []Attempt) (bad, throttled int) {
	t.Helper()
	errs := make([]error, len(ats))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, at := range ats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = s.SignInAttempt(context.Background(), at)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		switch {
		case errors.Is(err, ErrBadCredentials):
			bad++
		case errors.Is(err, ErrThrottled):
			throttled++
		default:
			t.Fatalf("attempt: %v", err)
		}
	}
	return bad, throttled
}

func wrong(ip string) Attempt { return Attempt{Username: "owner", Password: "guess-guess", IP: ip} }

// The attempt is counted before its password is checked, in one guarded
// statement: fifteen wrong passwords at once get ThrottleUser checks, and the
// rest are refused without one. (The old code counted failures, checked,
// then recorded: all fifteen were checked.)
func TestConcurrentGuessesAreCountedBeforeTheCheck(t *testing.T) {
	s := newService(t)
	checks := countChecks(t)
	ats := make([]Attempt, 15)
	for i := range ats {
		ats[i] = wrong("198.51.100.7")
	}
	bad, throttled := attemptAll(t, s, ats)
	if bad != ThrottleUser || throttled != len(ats)-ThrottleUser || checks.Load() != ThrottleUser {
		t.Fatalf("%d bad, %d throttled, %d passwords checked; want %d, %d, %d", bad, throttled, checks.Load(),
			ThrottleUser, len(ats)-ThrottleUser, ThrottleUser)
	}
	if _, err := s.SignInAttempt(context.Background(), Attempt{Username: "owner", Password: "password-owner", IP: "198.51.100.7"}); !errors.Is(err, ErrThrottled) {
		t.Fatalf("the right password after %d failures from the address: %v", ThrottleUser, err)
	}
	if checks.Load() != ThrottleUser {
		t.Fatal("a throttled attempt had its password checked")
	}
}

// Others guessing the owner's username from many addresses fill its
// username-wide bucket, so a new browser is refused even with the right
// password; the owner's own browser, known from an earlier sign-in, is not.
func TestOthersGuessingCannotLockTheOwnerOutOfTheirBrowser(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	home := Attempt{Username: "owner", Password: "password-owner", IP: "198.51.100.7"}
	in, err := s.SignInAttempt(ctx, home)
	if err != nil || in.Device == "" {
		t.Fatalf("first sign-in: %+v %v", in, err)
	}

	var ats []Attempt
	for i := range ThrottleUserAll/ThrottleUser + 2 { // enough addresses to fill the username's bucket
		for range ThrottleUser {
			ats = append(ats, wrong("203.0.113."+strconv.Itoa(i+1)))
		}
	}
	checks := countChecks(t)
	bad, throttled := attemptAll(t, s, ats)
	if bad != ThrottleUserAll || throttled != len(ats)-ThrottleUserAll || checks.Load() != ThrottleUserAll {
		t.Fatalf("%d bad, %d throttled, %d checked; want %d bad and checked", bad, throttled, checks.Load(), ThrottleUserAll)
	}
	if _, err := s.SignInAttempt(ctx, Attempt{Username: "owner", Password: "password-owner", IP: "192.0.2.1"}); !errors.Is(err, ErrThrottled) {
		t.Fatalf("a new browser with the right password while the username is under attack: %v", err)
	}
	home.Device = in.Device
	again, err := s.SignInAttempt(ctx, home)
	if err != nil || again.Device != in.Device {
		t.Fatalf("the owner's own browser: %+v %v", again, err)
	}
	// The known browser keeps a bucket of its own: guesses with its token are throttled too.
	for range ThrottleUser {
		s.SignInAttempt(ctx, Attempt{Username: "owner", Password: "guess", IP: "203.0.113.99", Device: in.Device})
	}
	if _, err := s.SignInAttempt(ctx, home); !errors.Is(err, ErrThrottled) {
		t.Fatalf("after %d failures with the device's token: %v", ThrottleUser, err)
	}
	// A token is a known device only for the account that signed in with it.
	if d, err := s.knownDevice(ctx, "lily", in.Device); d != 0 || err != nil {
		t.Fatalf("the owner's device token counts for another username: %d %v", d, err)
	}
}

// IPv6 clients are counted per /64: addresses in one block share a bucket,
// another block has its own.
func TestIPv6AddressesInOneSlash64ShareABucket(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	for i := range ThrottleUser {
		if _, err := s.SignInAttempt(ctx, wrong("2001:db8:1:2::"+strconv.Itoa(i+1))); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, err := s.SignInAttempt(ctx, wrong("2001:db8:1:2:ffff:ffff:ffff:fffe")); !errors.Is(err, ErrThrottled) {
		t.Fatalf("another address in the same /64: %v", err)
	}
	if _, err := s.SignInAttempt(ctx, wrong("2001:db8:1:3::1")); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("an address in another /64: %v", err)
	}
	if got := addressKey("::ffff:192.0.2.7"); got != "192.0.2.7" {
		t.Fatalf("an IPv4-mapped address is keyed %q", got)
	}
}

// A successful sign-in is counted first like any attempt, then given back:
// only failures fill a bucket.
func TestASuccessfulSignInDoesNotCountAsAFailure(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	const ip = "198.51.100.7"
	for range ThrottleUser - 1 {
		s.SignInAttempt(ctx, wrong(ip))
	}
	if _, err := s.SignInAttempt(ctx, Attempt{Username: "owner", Password: "password-owner", IP: ip}); err != nil {
		t.Fatalf("sign-in after %d failures: %v", ThrottleUser-1, err)
	}
	if _, err := s.SignInAttempt(ctx, wrong(ip)); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("failure number %d, after a success: %v", ThrottleUser, err)
	}
	if _, err := s.SignInAttempt(ctx, wrong(ip)); !errors.Is(err, ErrThrottled) {
		t.Fatalf("failure number %d: %v", ThrottleUser+1, err)
	}
}

// A full bucket opens again when its window has passed, starting a new
// count; pruning forgets passed windows and browsers unused for a year.
func TestWindowsPassAndArePruned(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	now := s.clock.Now()
	s.clock.Set(func() time.Time { return now })
	in, err := s.SignInAttempt(ctx, Attempt{Username: "owner", Password: "password-owner", IP: "192.0.2.1"})
	must(t, err)
	for range ThrottleUser {
		s.SignInAttempt(ctx, wrong("198.51.100.7"))
	}
	if _, err := s.SignInAttempt(ctx, wrong("198.51.100.7")); !errors.Is(err, ErrThrottled) {
		t.Fatalf("full bucket: %v", err)
	}
	now = now.Add(ThrottleWindow + time.Second)
	for i := range ThrottleUser {
		if _, err := s.SignInAttempt(ctx, wrong("198.51.100.7")); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("guess %d of the next window: %v", i+1, err)
		}
	}
	if _, err := s.SignInAttempt(ctx, wrong("198.51.100.7")); !errors.Is(err, ErrThrottled) {
		t.Fatalf("the next window full: %v", err)
	}

	rows := func(table string) (n int64) {
		must(t, s.db.Conn(ctx).Raw("SELECT COUNT(*) FROM "+table).Scan(&n).Error)
		return n
	}
	now = now.Add(ThrottleWindow + time.Second)
	must(t, s.PruneSessions(ctx))
	if n := rows("login_throttle"); n != 0 {
		t.Fatalf("%d buckets of passed windows kept", n)
	}
	if n := rows("staff_devices"); n != 1 {
		t.Fatalf("%d devices after pruning, want the owner's", n)
	}
	now = now.Add(DeviceLifetime)
	if d, err := s.knownDevice(ctx, "owner", in.Device); d != 0 || err != nil {
		t.Fatalf("a device unused for a year is still known: %d %v", d, err)
	}
	must(t, s.PruneSessions(ctx))
	if n := rows("staff_devices"); n != 0 {
		t.Fatalf("%d devices unused for a year kept", n)
	}
}

var must = testkit.Must
