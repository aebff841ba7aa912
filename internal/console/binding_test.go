package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/staff"
)

// The merchant sees an associate's customers and moves one, then all, to
// another associate; a code of no associate moves nothing and says why.
// The attribution settings form saves the rule, window and lock, and
// refuses values out of range.
func TestBindingsAndAttributionSettings(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	st, err := e.App.Promoters.CreateStore(ctx, "staff:1", promoter.StoreInput{Name: "静安店", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	var as []promoter.Promoter
	for _, name := range []string{"导购甲", "导购乙"} {
		p, err := e.App.Promoters.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindAssociate, Status: promoter.StatusActive, Name: name, StoreID: &st.ID})
		if err != nil {
			t.Fatal(err)
		}
		as = append(as, p)
	}
	key, err := e.App.Scenes.Key(ctx, "pages/index/index", "home", as[0].Ref())
	if err != nil {
		t.Fatal(err)
	}
	tok := e.Login("bind-ann")
	if r := e.Post("/api/v1/visits", tok, map[string]any{"scene": key, "path": "pages/index/index", "entry": 1047}); r.Status != http.StatusAccepted {
		t.Fatalf("visit: %d", r.Status)
	}
	if err := e.App.Attribution.Recorder().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	ann, _ := e.App.Tokens.Verify(tok)

	c := e.SignIn(t, "bind-owner", staff.RoleOwner)
	if p := c.Get("/console/bindings?promoter=" + as[0].Code); p.Status != http.StatusOK || !p.Has("#"+strconv.FormatInt(ann, 10)) || !p.Has("导购甲") {
		t.Fatalf("bindings page: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/bindings?promoter=ZZZZZZ"); p.Status != http.StatusBadRequest || !p.Has("没有这个推广码的导购") {
		t.Fatalf("unknown code: %d", p.Status)
	}
	p := c.Post("/console/bindings/move", url.Values{"shopper_id": {strconv.FormatInt(ann, 10)}, "to_code": {"ZZZZZZ"}, "promoter": {as[0].Code}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("move to nobody: %d %s", p.Status, p.Body)
	}
	if p := c.Get(p.Location); !p.Has("没有转移") {
		t.Fatalf("no notice of the refused move: %s", p.Body)
	}
	if p := c.Post("/console/bindings/move", url.Values{"shopper_id": {strconv.FormatInt(ann, 10)}, "to_code": {as[1].Code}, "promoter": {as[0].Code}}); p.Status != http.StatusSeeOther {
		t.Fatalf("move: %d", p.Status)
	}
	if b, err := e.App.Attribution.BindingOf(ctx, ann); err != nil || b.PromoterID != as[1].ID || b.MovedBy != c.Account.Actor() {
		t.Fatalf("after the move: %+v %v", b, err)
	}
	if p := c.Post("/console/bindings/move-all", url.Values{"promoter_id": {strconv.FormatInt(as[1].ID, 10)}, "to_code": {as[0].Code}, "promoter": {as[1].Code}}); p.Status != http.StatusSeeOther {
		t.Fatalf("move all: %d", p.Status)
	}
	if b, _ := e.App.Attribution.BindingOf(ctx, ann); b.PromoterID != as[0].ID {
		t.Fatalf("after moving all: %+v", b)
	}
	if p := c.Get("/console/audit?action=binding.move_all"); !p.Has("转移导购全部客户") {
		t.Fatalf("audit: %s", p.Body)
	}

	if p := c.Post("/console/settings/attribution", url.Values{"attribution_rule": {"first_touch"}, "attribution_window_days": {"0"}, "binding_lock_days": {"30"}}); p.Status != http.StatusBadRequest {
		t.Fatalf("window 0: %d", p.Status)
	}
	if p := c.Post("/console/settings/attribution", url.Values{"attribution_rule": {"most_touches"}, "attribution_window_days": {"7"}, "binding_lock_days": {"30"}}); p.Status != http.StatusBadRequest {
		t.Fatalf("a made-up rule: %d", p.Status)
	}
	if p := c.Post("/console/settings/attribution", url.Values{"attribution_rule": {"first_touch"}, "attribution_window_days": {"14"}, "binding_lock_days": {"60"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.Status, p.Body)
	}
	sh, _ := e.App.Settings.Get(ctx)
	if sh.Attribution() != (setting.Attribution{Rule: setting.FirstTouch, WindowDays: 14, LockDays: 60}) {
		t.Fatalf("saved %+v", sh.Attribution())
	}
	if p := c.Get("/console/settings"); !p.Has(`value="first_touch" selected`) || !p.Has(`value="14"`) {
		t.Fatalf("settings page: %s", p.Body)
	}
}
