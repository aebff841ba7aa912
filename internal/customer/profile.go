package customer

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/errs"
)

// MaxNickname is the longest nickname kept, in characters: WeChat's own
// nicknames stay well under it, and the "me" page has one line for it.
const MaxNickname = 32

// Profile is a change to what a shopper shows of themselves; a nil field is
// left as it is.
type Profile struct {
	Nickname  *string
	AvatarURL *string
}

// AvatarCheck says whether url is an image this shopper uploaded (nil), or
// why it cannot be their avatar. The upload service answers it; customer
// does not know how uploads are stored.
type AvatarCheck func(ctx context.Context, shopperID int64, url string) error

// ErrAvatarNotUploaded refuses an avatar that is not one of the shopper's uploads.
var ErrAvatarNotUploaded = errs.Field("avatar_url", "customer.avatar_not_uploaded")

// UpdateProfile validates and saves the change, and returns the shopper as
// now stored. A nickname is trimmed, 1 to MaxNickname characters, with no
// control characters; an avatar must pass check (nil: refused, as no upload
// can be checked). Nothing is saved unless every field is valid.
func (s *Service) UpdateProfile(ctx context.Context, id int64, p Profile, check AvatarCheck) (Shopper, error) {
	set := map[string]any{}
	if p.Nickname != nil {
		name, err := Nickname(*p.Nickname)
		if err != nil {
			return Shopper{}, err
		}
		set["nickname"] = name
	}
	if p.AvatarURL != nil {
		url := strings.TrimSpace(*p.AvatarURL)
		if url == "" || len(url) > 512 || check == nil {
			return Shopper{}, ErrAvatarNotUploaded
		}
		if err := check(ctx, id, url); err != nil {
			return Shopper{}, err
		}
		set["avatar_url"] = url
	}
	if len(set) == 0 {
		return Shopper{}, errs.Invalid("nothing_to_change", "customer.nothing_to_change")
	}
	set["updated_at"] = s.clock.Now()
	res := s.db.Conn(ctx).Model(&Shopper{}).Where("id = ?", id).Updates(set)
	if res.Error != nil {
		return Shopper{}, fmt.Errorf("customer: update profile: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Shopper{}, ErrNotFound
	}
	return s.Get(ctx, id)
}

// Nickname is name trimmed, or the reason it cannot be a nickname.
func Nickname(name string) (string, error) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) {
		return "", errs.Field("nickname", "customer.nickname_characters")
	}
	if n := utf8.RuneCountInString(name); n == 0 || n > MaxNickname {
		return "", errs.Field("nickname", "invalid.length", "max", MaxNickname)
	}
	for _, r := range name {
		// Control and format characters (newlines, bidi overrides, zero
		// widths) would break or disguise the line the name is shown on.
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", errs.Field("nickname", "customer.nickname_characters")
		}
	}
	return name, nil
}

// MaskPhone shows a phone number the way the shop shows it everywhere: a
// mainland mobile as its first three and last four digits (138****5678),
// a shorter number (Hong Kong's eight digits) as its last four only, and
// nothing of a number shorter than seven digits; "" for none. At most half
// of a short number shows.
func MaskPhone(phone string) string {
	switch n := len(phone); {
	case n == 0:
		return ""
	case n >= 11:
		return phone[:3] + strings.Repeat("*", n-7) + phone[n-4:]
	case n >= 7:
		return strings.Repeat("*", n-4) + phone[n-4:]
	default:
		return strings.Repeat("*", n)
	}
}
