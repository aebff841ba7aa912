package subscribe

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Record is one event in the outbox, with what its message says.
type Record struct {
	ID         int64                            `gorm:"column:id;primaryKey"`
	Scene      Scene                            `gorm:"column:scene"`
	ShopperID  int64                            `gorm:"column:shopper_id"`
	Ref        string                           `gorm:"column:ref"`
	TemplateID string                           `gorm:"column:template_id"`
	Page       string                           `gorm:"column:page"`
	Data       database.JSON[map[string]string] `gorm:"column:data"` // keyword → value, as sent
	Status     string                           `gorm:"column:status"`
	Attempts   int                              `gorm:"column:attempts"`
	ErrCode    int                              `gorm:"column:errcode"` // WeChat's, when it refused
	Error      i18n.Msg                         `gorm:"column:error"`   // why it was skipped or failed, or the last retry's error
	LeaseUntil *time.Time                       `gorm:"column:lease_until"`
	CreatedAt  time.Time                        `gorm:"column:created_at"`
	UpdatedAt  time.Time                        `gorm:"column:updated_at"`
	SentAt     *time.Time                       `gorm:"column:sent_at"`
}

// TableName maps Record to its table.
func (Record) TableName() string { return "subscribe_events" }

// Wants reports whether the merchant has an enabled template for the
// scene; an emitter may skip building an event nobody would be sent.
func (s *Service) Wants(ctx context.Context, sc Scene) bool {
	m, err := s.enabled(ctx)
	if err != nil {
		return true // let Emit read again and report the error
	}
	_, ok := m[sc]
	return ok
}

// Emit records an event in the outbox, in the caller's transaction, with
// its message built from the scene's mapping as it stands now. Its send is
// enqueued once the transaction commits. A scene with no enabled mapping
// records nothing. An event missing one of its scene's values is a
// programming error and fails the caller's transaction, so it is caught by
// the emitter's tests rather than lost.
func (s *Service) Emit(ctx context.Context, e Event) error {
	def, ok := Def(e.Scene)
	if !ok {
		return fmt.Errorf("subscribe: unknown scene %q", e.Scene)
	}
	for _, src := range def.Sources {
		if v, ok := e.Values[src.Key]; !ok || v.kind != src.Kind {
			return fmt.Errorf("subscribe: %s event without its %s value (%s)", e.Scene, src.Key, src.Kind)
		}
	}
	m, err := s.enabled(ctx)
	if err != nil {
		return err
	}
	t, ok := m[e.Scene]
	if !ok {
		return nil
	}
	data := make(map[string]string, len(t.Fields.V))
	for kw, src := range t.Fields.V {
		data[kw] = render(e.Values[src], keywordType(kw))
	}
	now := s.clock.Now()
	r := Record{Scene: e.Scene, ShopperID: e.ShopperID, Ref: e.Ref, TemplateID: t.TemplateID,
		Page: pagePath(t.Page, e.Values), Data: database.JSON[map[string]string]{V: data}, Status: StatusPending,
		CreatedAt: now, UpdatedAt: now}
	if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("record %s event: %w", e.Scene, err)
	}
	if s.schedule != nil {
		database.AfterCommit(ctx, func() { s.schedule(context.WithoutCancel(ctx), []int64{r.ID}) })
	}
	return nil
}

// pagePath fills the page's {source} placeholders with the event's values (an
// order number, so the message opens that order).
func pagePath(p string, vs Values) string {
	if !strings.Contains(p, "{") {
		return p
	}
	return pageSource.ReplaceAllStringFunc(p, func(m string) string {
		return url.QueryEscape(render(vs[m[1:len(m)-1]], "character_string"))
	})
}
