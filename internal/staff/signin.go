package staff

import (
	"context"
	"crypto/rand"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Throttling. Every sign-in attempt is counted, before its password is
// checked, in fixed windows of ThrottleWindow; a full bucket refuses attempts,
// right password or not, until its window ends. An attempt from a browser
// the account signed in from before (a known device, DeviceLifetime) counts
// only against that device's bucket of ThrottleUser. Any other attempt
// counts against three buckets, all of which must have room:
//   - ThrottleUser for the username from the client's address, so guessing
//     from one address is slow;
//   - ThrottleIP for the address, whatever the usernames (password spraying);
//   - ThrottleUserAll for the username from all addresses together, against
//     guessing from many addresses. It is the one bucket others can fill for
//     a username, and the account's own known browsers do not use it.
//
// Addresses are IPv6 /64 blocks (one subscriber usually gets a whole /64).
const (
	ThrottleUser    = 5
	ThrottleIP      = 30
	ThrottleUserAll = 50
	ThrottleWindow  = 15 * time.Minute
	DeviceLifetime  = 365 * 24 * time.Hour
)

// Errors of signing in.
var (
	ErrBadCredentials = errs.New(errs.KindUnauthenticated, "bad_credentials", "staff.bad_credentials")
	ErrThrottled      = errs.New(errs.KindRateLimited, "too_many_attempts", "staff.too_many_attempts")
	ErrNoSession      = errs.New(errs.KindUnauthenticated, "not_signed_in", "staff.not_signed_in")
)

// Attempt is a sign-in as the console receives it.
type Attempt struct {
	Username, Password string
	IP                 string // the client's address, as the proxies in front are trusted to say
	UserAgent          string
	Device             string // the browser's known-device token (its cookie), if any
}

// SignedIn is a successful sign-in: the session with the token for its
// cookie, and the browser's known-device token (the one it sent if still
// valid for this account, else a new one) for a long-lived cookie.
type SignedIn struct {
	Token   string
	Session Session
	Device  string
}

// compareHash checks a password against its bcrypt hash (about 70 ms at the
// default cost: what throttling protects). A variable so tests can count calls.
var compareHash = bcrypt.CompareHashAndPassword

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not anyone's password"), bcrypt.DefaultCost)

// SignInAttempt signs in to the console: it counts the attempt (see
// ThrottleUser), and only if its buckets had room checks the username and
// password and starts a session. A successful
// sign-in gives its count back, so only failures fill the buckets.
func (s *Service) SignInAttempt(ctx context.Context, at Attempt) (SignedIn, error) {
	username := strings.ToLower(strings.TrimSpace(at.Username))
	device, err := s.knownDevice(ctx, username, at.Device)
	if err != nil {
		return SignedIn{}, err
	}
	keys := throttleBuckets(username, at.IP, device)
	if err := s.takeAttempt(ctx, keys); err != nil {
		return SignedIn{}, err
	}
	var a Account
	err = s.db.Conn(ctx).Where("username = ? AND active", username).Take(&a).Error
	switch {
	case database.IsNotFound(err):
		// Spend the time a real check takes, so timing does not tell which usernames exist.
		compareHash(dummyHash, []byte(at.Password))
		return SignedIn{}, ErrBadCredentials
	case err != nil:
		return SignedIn{}, err
	}
	if compareHash([]byte(a.PasswordHash), []byte(at.Password)) != nil {
		return SignedIn{}, ErrBadCredentials
	}
	now := s.clock.Now()
	in := SignedIn{Token: rand.Text() + rand.Text(), Device: at.Device}
	in.Session = Session{TokenHash: hashToken(in.Token), AccountID: a.ID, CSRFToken: rand.Text(), UserAgent: truncate(at.UserAgent, 200),
		IP: at.IP, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(IdleTimeout), Account: a}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.giveBack(ctx, keys); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Create(&in.Session).Error; err != nil {
			return err
		}
		if in.Device, err = s.rememberDevice(ctx, a.ID, device, at.Device); err != nil {
			return err
		}
		return s.db.Conn(ctx).Model(&Account{}).Where("id = ?", a.ID).Update("last_login_at", now).Error
	})
	return in, err
}

type throttleBucket struct {
	key   string
	limit int
}

// throttleBuckets are the buckets an attempt counts against, sorted by key
// so that concurrent attempts lock shared rows in one order.
func throttleBuckets(username, ip string, device int64) []throttleBucket {
	if device != 0 {
		return []throttleBucket{{"device:" + strconv.FormatInt(device, 10), ThrottleUser}}
	}
	user, addr := truncate(username, 64), addressKey(ip) // usernames are at most 32 characters
	bs := []throttleBucket{{"user:" + user + "@" + addr, ThrottleUser}, {"addr:" + addr, ThrottleIP}, {"user:" + user, ThrottleUserAll}}
	slices.SortFunc(bs, func(a, b throttleBucket) int { return strings.Compare(a.key, b.key) })
	return bs
}

// addressKey is the address an attempt is counted under: an IPv6 client's
// /64, anyone else's address as it is.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return truncate(ip, 64)
	}
	if a = a.Unmap(); a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// takeAttempt counts one attempt in every bucket, or in none and answers
// ErrThrottled when any is full. Each bucket is one guarded upsert: it starts
// a new window when the old one has passed, else adds one only while under
// the limit, and touches no row when full. On PostgreSQL the upsert holds the
// row until commit, so concurrent attempts on one bucket (from any replica)
// are counted one after the other; SQLite has one writer anyway. A full
// bucket rolls the transaction back, so a refused attempt counts nowhere.
func (s *Service) takeAttempt(ctx context.Context, bs []throttleBucket) error {
	now := s.clock.Now()
	since := now.Add(-ThrottleWindow)
	return s.db.Tx(ctx, func(ctx context.Context) error {
		for _, b := range bs {
			res := s.db.Conn(ctx).Exec(`INSERT INTO login_throttle (bucket, window_start, attempts) VALUES (?, ?, 1)
ON CONFLICT (bucket) DO UPDATE SET
  attempts = CASE WHEN login_throttle.window_start <= ? THEN 1 ELSE login_throttle.attempts + 1 END,
  window_start = CASE WHEN login_throttle.window_start <= ? THEN excluded.window_start ELSE login_throttle.window_start END
WHERE login_throttle.window_start <= ? OR login_throttle.attempts < ?`, b.key, now, since, since, since, b.limit)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrThrottled
			}
		}
		return nil
	})
}

// giveBack uncounts a successful attempt from buckets still in the window
// it was counted in.
func (s *Service) giveBack(ctx context.Context, bs []throttleBucket) error {
	keys := make([]string, len(bs))
	for i, b := range bs {
		keys[i] = b.key
	}
	return s.db.Conn(ctx).Exec("UPDATE login_throttle SET attempts = attempts - 1 WHERE bucket IN ? AND attempts > 0 AND window_start > ?",
		keys, s.clock.Now().Add(-ThrottleWindow)).Error
}

type device struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	AccountID  int64     `gorm:"column:account_id"`
	TokenHash  string    `gorm:"column:token_hash"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	LastUsedAt time.Time `gorm:"column:last_used_at"`
}

func (device) TableName() string { return "staff_devices" }

// knownDevice is the id of the browser whose token was sent, when it signed
// in to this username within DeviceLifetime; 0 otherwise.
func (s *Service) knownDevice(ctx context.Context, username, token string) (int64, error) {
	if token == "" || len(token) > 128 {
		return 0, nil
	}
	var ids []int64
	err := s.db.Conn(ctx).Raw(`SELECT d.id FROM staff_devices d JOIN staff_accounts a ON a.id = d.account_id
WHERE d.token_hash = ? AND a.username = ? AND d.last_used_at > ?`, hashToken(token), username, s.clock.Now().Add(-DeviceLifetime)).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// rememberDevice marks the browser known for the account: the device it
// already was (its token stays), or a new one with a new token.
func (s *Service) rememberDevice(ctx context.Context, accountID, known int64, token string) (string, error) {
	now := s.clock.Now()
	if known != 0 {
		return token, s.db.Conn(ctx).Model(&device{}).Where("id = ?", known).Update("last_used_at", now).Error
	}
	token = rand.Text() + rand.Text()
	return token, s.db.Conn(ctx).Create(&device{AccountID: accountID, TokenHash: hashToken(token), CreatedAt: now, LastUsedAt: now}).Error
}

func (s *Service) pruneThrottle(ctx context.Context, now time.Time) error {
	if err := s.db.Conn(ctx).Exec("DELETE FROM login_throttle WHERE window_start <= ?", now.Add(-ThrottleWindow)).Error; err != nil {
		return err
	}
	return s.db.Conn(ctx).Where("last_used_at <= ?", now.Add(-DeviceLifetime)).Delete(&device{}).Error
}
