package setting

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Attribution rules: which of a shopper's touches an order is credited to.
const (
	LastTouch  = "last_touch"  // the latest source, if within the window
	FirstTouch = "first_touch" // the first source the shopper ever came through
)

// ruleNames are the rules' names in the catalogs.
var ruleNames = map[string]string{LastTouch: "attribution.rule.last_touch", FirstTouch: "attribution.rule.first_touch"}

// RuleName is the catalog id of a rule's name.
func RuleName(rule string) string { return ruleNames[rule] }

// Attribution is the part of the settings about crediting orders to sources.
type Attribution struct {
	Rule       string // LastTouch or FirstTouch
	WindowDays int    // last touch: older touches credit nothing (1 to 90)
	LockDays   int    // binding: how long other associates' codes cannot take a customer (0 to 365)
}

// Attribution returns the shop's attribution settings.
func (s Shop) Attribution() Attribution {
	return Attribution{Rule: s.AttributionRule, WindowDays: s.AttributionWindowDays, LockDays: s.BindingLockDays}
}

// Window is how long a last touch credits orders.
func (a Attribution) Window() time.Duration { return time.Duration(a.WindowDays) * 24 * time.Hour }

// Lock is how long a binding holds against other associates.
func (a Attribution) Lock() time.Duration { return time.Duration(a.LockDays) * 24 * time.Hour }

func (a Attribution) validate() error {
	switch {
	case a.Rule != LastTouch && a.Rule != FirstTouch:
		return errs.Field("attribution_rule", "setting.attribution_rule")
	case a.WindowDays < 1 || a.WindowDays > 90:
		return errs.Field("attribution_window_days", "invalid.range", "min", 1, "max", 90)
	case a.LockDays < 0 || a.LockDays > 365:
		return errs.Field("binding_lock_days", "invalid.range", "min", 0, "max", 365)
	}
	return nil
}

// UpdateAttribution validates and saves the attribution settings, recording
// what changed and who changed it in the audit log, in one transaction.
// Orders already placed keep the source they were credited to.
func (s *Service) UpdateAttribution(ctx context.Context, actor string, a Attribution) (Shop, error) {
	if err := a.validate(); err != nil {
		return Shop{}, err
	}
	cols := map[string]any{"attribution_rule": a.Rule, "attribution_window_days": a.WindowDays, "binding_lock_days": a.LockDays}
	return s.updateColumns(ctx, actor, cols, func(before Shop) []i18n.Msg {
		if before.Attribution() == a {
			return nil
		}
		return []i18n.Msg{i18n.M("record.attribution.settings", "rule", i18n.M(RuleName(a.Rule)), "window", a.WindowDays, "lock", a.LockDays)}
	})
}
