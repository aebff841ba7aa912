package subscribe

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Template is the merchant's choice of WeChat template for one scene.
type Template struct {
	Scene      Scene                            `gorm:"column:scene;primaryKey"`
	TemplateID string                           `gorm:"column:template_id"`
	Fields     database.JSON[map[string]string] `gorm:"column:fields"` // keyword → source key
	Page       string                           `gorm:"column:page"`   // may name sources: pages/order/detail?order_no={order_no}
	Enabled    bool                             `gorm:"column:enabled"`
	UpdatedBy  string                           `gorm:"column:updated_by"`
	UpdatedAt  time.Time                        `gorm:"column:updated_at"`
}

// TableName maps Template to its table.
func (Template) TableName() string { return "subscribe_templates" }

// Keywords are the template's keywords in WeChat's order (thing1 before amount2).
func (t Template) Keywords() []string {
	ks := make([]string, 0, len(t.Fields.V))
	for k := range t.Fields.V {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		return keywordNo(ks[i]) < keywordNo(ks[j]) || keywordNo(ks[i]) == keywordNo(ks[j]) && ks[i] < ks[j]
	})
	return ks
}

func keywordNo(k string) string {
	m := keywordPattern.FindStringSubmatch(k)
	if m == nil {
		return k
	}
	return strings.Repeat("0", 3-len(m[2])) + m[2]
}

// Limits of a mapping.
const (
	maxKeywords   = 10 // WeChat's templates have at most five; room for more
	maxTemplateID = 64
	maxPage       = 256
)

// Errors of saving a mapping.
var (
	ErrUnknownScene = errs.NotFound("scene_not_found", "subscribe.unknown_scene")
	errTemplateID   = errs.Field("template_id", "subscribe.template_id_format", "max", maxTemplateID)
	errNoKeywords   = errs.Field("fields", "subscribe.fields_needed", "max", maxKeywords)
	errKeyword      = errs.Field("fields", "subscribe.keyword_format")
	errSource       = errs.Field("fields", "subscribe.source_unknown")
	errSourceKind   = errs.Field("fields", "subscribe.source_kind")
	errPage         = errs.Field("page", "subscribe.page_format", "max", maxPage)
	errPageSource   = errs.Field("page", "subscribe.page_source")
)

var (
	templateIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	pagePattern       = regexp.MustCompile(`^[A-Za-z0-9_\-./?=&{}%]*$`)
	pageSource        = regexp.MustCompile(`\{([a-z_]+)\}`)
)

// validate checks a mapping against its scene and WeChat's rules.
func (t *Template) validate() error {
	def, ok := Def(t.Scene)
	if !ok {
		return ErrUnknownScene.With("scene", string(t.Scene))
	}
	t.TemplateID, t.Page = strings.TrimSpace(t.TemplateID), strings.TrimSpace(t.Page)
	if n := len(t.TemplateID); n == 0 || n > maxTemplateID || !templateIDPattern.MatchString(t.TemplateID) {
		return errTemplateID
	}
	if len(t.Fields.V) == 0 || len(t.Fields.V) > maxKeywords {
		return errNoKeywords
	}
	for kw, src := range t.Fields.V {
		kt := keywordType(kw)
		if kt == "" {
			return errKeyword.Arg("keyword", cut(kw, 32, "…"))
		}
		s, ok := def.Source(src)
		if !ok {
			return errSource.Arg("source", cut(src, 32, "…"))
		}
		if !canFill(s.Kind, kt) {
			return errSourceKind.Arg("keyword", kw).Arg("source", src)
		}
	}
	if utf8.RuneCountInString(t.Page) > maxPage || strings.HasPrefix(t.Page, "/") || !pagePattern.MatchString(t.Page) {
		return errPage
	}
	for _, m := range pageSource.FindAllStringSubmatch(t.Page, -1) {
		if _, ok := def.Source(m[1]); !ok {
			return errPageSource.Arg("source", m[1])
		}
	}
	return nil
}

// Templates lists the mappings saved, by scene.
func (s *Service) Templates(ctx context.Context) (map[Scene]Template, error) {
	var ts []Template
	if err := s.db.Conn(ctx).Find(&ts).Error; err != nil {
		return nil, err
	}
	out := make(map[Scene]Template, len(ts))
	for _, t := range ts {
		out[t.Scene] = t
	}
	return out, nil
}

// SaveTemplate stores a scene's mapping and records it in the audit log,
// in one transaction.
func (s *Service) SaveTemplate(ctx context.Context, actor string, t Template) (Template, error) {
	if err := t.validate(); err != nil {
		return Template{}, err
	}
	t.UpdatedBy, t.UpdatedAt = actor, s.clock.Now()
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&Template{}).Where("scene = ?", t.Scene).Updates(map[string]any{
			"template_id": t.TemplateID, "fields": t.Fields, "page": t.Page, "enabled": t.Enabled,
			"updated_by": t.UpdatedBy, "updated_at": t.UpdatedAt})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			if err := s.db.Conn(ctx).Create(&t).Error; err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, actor, "subscribe.template", "subscribe_scene", string(t.Scene),
			i18n.M("record.subscribe.template_saved", "template", t.TemplateID, "enabled", t.Enabled))
	})
	if err != nil {
		return Template{}, err
	}
	s.mu.Lock()
	s.mapping = nil // this replica sees its own change at once
	s.mu.Unlock()
	return t, nil
}

// enabled returns the enabled mappings, read again once MappingTTL has
// passed: events on the payment path then cost no query for scenes nobody
// mapped.
func (s *Service) enabled(ctx context.Context) (map[Scene]Template, error) {
	now := time.Now()
	s.mu.Lock()
	if s.mapping != nil && now.Sub(s.readAt) < s.ttl {
		m := s.mapping
		s.mu.Unlock()
		return m, nil
	}
	s.mu.Unlock()
	var ts []Template
	if err := s.db.Conn(ctx).Where("enabled = ?", true).Find(&ts).Error; err != nil {
		return nil, err
	}
	m := make(map[Scene]Template, len(ts))
	for _, t := range ts {
		m[t.Scene] = t
	}
	s.mu.Lock()
	s.mapping, s.readAt = m, now
	s.mu.Unlock()
	return m, nil
}

// Offer is a template a shopper may be asked to subscribe to.
type Offer struct {
	Scene      Scene
	TemplateID string
}

// Offers lists the enabled templates in the scenes' order, for the mini
// program to pass to wx.requestSubscribeMessage.
func (s *Service) Offers(ctx context.Context) ([]Offer, error) {
	m, err := s.enabled(ctx)
	if err != nil {
		return nil, err
	}
	var out []Offer
	for _, d := range Scenes {
		if t, ok := m[d.Scene]; ok {
			out = append(out, Offer{Scene: d.Scene, TemplateID: t.TemplateID})
		}
	}
	return out, nil
}
