package staff

import (
	"context"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// ErrUnknownLanguage: the console speaks only the languages i18n knows.
var ErrUnknownLanguage = errs.Field("language", "staff.unknown_language")

// SetLanguage records the console language an account chose for itself:
// one of i18n.Langs, or "" to follow the browser again. The choice is
// audited like every other change to an account.
func (s *Service) SetLanguage(ctx context.Context, a Account, lang string) (Account, error) {
	if lang != "" {
		l, ok := i18n.Parse(lang)
		if !ok {
			return a, ErrUnknownLanguage
		}
		lang = string(l)
	}
	if lang == a.Language {
		return a, nil
	}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&Account{}).Where("id = ?", a.ID).
			Updates(map[string]any{"language": lang, "updated_at": s.clock.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrNoAccount
		}
		return s.audit.Record(ctx, a.Actor(), "staff.language", "staff", a.ID, i18n.M("record.audit.staff_language", "username", a.Username, "language", languageName(lang)))
	})
	if err != nil {
		return a, err
	}
	a.Language = lang
	return a, nil
}

// languageName is a language as the audit log names it, in its own words
// ("中文", "English"); nothing for "follow the browser".
func languageName(lang string) i18n.Msg {
	if lang == "" {
		return i18n.Msg{}
	}
	return i18n.M("console.language." + lang)
}
