package subscribe

import (
	"context"
	"sort"

	"github.com/kaidian/kaidian/internal/errs"
)

// What wx.requestSubscribeMessage reports for each template: the shopper
// accepted, refused, has the template banned in settings, or WeChat
// filtered it (the template's title matched another's).
const (
	ResultAccept = "accept"
	ResultReject = "reject"
	ResultBan    = "ban"
	ResultFilter = "filter"
)

// maxResults bounds one report: wx.requestSubscribeMessage takes at most
// three templates a call; a few calls' worth is accepted at once.
const maxResults = 20

// Errors of recording results.
var (
	errNoResults       = errs.Field("results", "subscribe.results_needed", "max", maxResults)
	errResult          = errs.Field("results", "subscribe.result_value")
	ErrUnknownTemplate = errs.Invalid("unknown_template", "subscribe.unknown_template")
)

// Credit is a shopper's one-time credits for one template.
type Credit struct {
	ShopperID  int64  `gorm:"column:shopper_id;primaryKey"`
	TemplateID string `gorm:"column:template_id;primaryKey"`
	Credits    int    `gorm:"column:credits"`
}

// TableName maps Credit to its table.
func (Credit) TableName() string { return "subscribe_credits" }

// RecordResults records what the shopper answered in
// wx.requestSubscribeMessage: each accept is one more send of that
// template; the other answers add nothing. Every template must be one the
// shop offers (else nothing is recorded). It returns the shopper's credits
// for each template named.
func (s *Service) RecordResults(ctx context.Context, shopperID int64, results map[string]string) (map[string]int, error) {
	if len(results) == 0 || len(results) > maxResults {
		return nil, errNoResults
	}
	offers, err := s.Offers(ctx)
	if err != nil {
		return nil, err
	}
	offered := map[string]bool{}
	for _, o := range offers {
		offered[o.TemplateID] = true
	}
	ids := make([]string, 0, len(results))
	for id, r := range results {
		switch {
		case !offered[id]:
			return nil, ErrUnknownTemplate.With("template_id", cut(id, 64, "…"))
		case r != ResultAccept && r != ResultReject && r != ResultBan && r != ResultFilter:
			return nil, errResult.With("template_id", id)
		}
		ids = append(ids, id)
	}
	sort.Strings(ids) // one order of row locks for every caller
	now := s.clock.Now()
	out := make(map[string]int, len(ids))
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		for _, id := range ids {
			if results[id] != ResultAccept {
				continue
			}
			if err := s.db.Conn(ctx).Exec(`INSERT INTO subscribe_credits (shopper_id, template_id, credits, updated_at)
				VALUES (?, ?, 1, ?) ON CONFLICT (shopper_id, template_id)
				DO UPDATE SET credits = subscribe_credits.credits + 1, updated_at = excluded.updated_at`,
				shopperID, id, now).Error; err != nil {
				return err
			}
		}
		var cs []Credit
		if err := s.db.Conn(ctx).Where("shopper_id = ? AND template_id IN ?", shopperID, ids).Find(&cs).Error; err != nil {
			return err
		}
		for _, id := range ids {
			out[id] = 0
		}
		for _, c := range cs {
			out[c.TemplateID] = c.Credits
		}
		return nil
	})
	return out, err
}

// Credits returns a shopper's credits by template.
func (s *Service) Credits(ctx context.Context, shopperID int64) (map[string]int, error) {
	var cs []Credit
	if err := s.db.Conn(ctx).Where("shopper_id = ?", shopperID).Find(&cs).Error; err != nil {
		return nil, err
	}
	out := make(map[string]int, len(cs))
	for _, c := range cs {
		out[c.TemplateID] = c.Credits
	}
	return out, nil
}
