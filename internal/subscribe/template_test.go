package subscribe_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/subscribe"
	"github.com/kaidian/kaidian/internal/testkit"
)

func TestSavingAMappingChecksItAgainstTheSceneAndWeChatsTypes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	fields := func(kv ...string) database.JSON[map[string]string] {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return database.JSON[map[string]string]{V: m}
	}
	for _, tc := range []struct {
		name  string
		t     subscribe.Template
		code  string // error code, or field for field errors
		field string
	}{
		{"a scene outside the set", subscribe.Template{Scene: "birthday", TemplateID: "x", Fields: fields("thing1", "product_name")}, "scene_not_found", ""},
		{"no template id", subscribe.Template{Scene: subscribe.OrderPaid, Fields: fields("thing1", "product_name")}, "", "template_id"},
		{"a template id with spaces", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "a b", Fields: fields("thing1", "product_name")}, "", "template_id"},
		{"a template id too long", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: strings.Repeat("a", 65), Fields: fields("thing1", "product_name")}, "", "template_id"},
		{"no keywords", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "x", Fields: fields()}, "", "fields"},
		{"not a keyword", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "x", Fields: fields("title", "product_name")}, "", "fields"},
		{"a value the scene lacks", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "x", Fields: fields("thing1", "tracking_no")}, "", "fields"},
		{"money in a phrase", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "x", Fields: fields("phrase1", "pay_amount")}, "", "fields"},
		{"a title in a character_string", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "x", Fields: fields("character_string1", "product_name")}, "", "fields"},
		{"a page from the root", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "x", Fields: fields("thing1", "product_name"), Page: "/pages/x"}, "", "page"},
		{"a page naming another scene's value", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "x", Fields: fields("thing1", "product_name"), Page: "pages/x?no={tracking_no}"}, "", "page"},
		{"a page with a script", subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: "x", Fields: fields("thing1", "product_name"), Page: "pages/x?<script>"}, "", "page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.SaveTemplate(ctx, "staff:1:owner", tc.t)
			if tc.field != "" {
				testkit.WantField(t, err, tc.field)
			} else {
				testkit.WantCode(t, err, tc.code)
			}
		})
	}
	ts, err := e.svc.Templates(ctx)
	testkit.Must(t, err)
	if len(ts) != 1 || ts[subscribe.OrderPaid].TemplateID != "tpl-paid" {
		t.Fatalf("refused mappings changed what is saved: %+v", ts)
	}

	// Saving again replaces the mapping, and the change is in the audit log.
	_, err = e.svc.SaveTemplate(ctx, "staff:1:owner", paidTemplate("tpl-paid-2"))
	testkit.Must(t, err)
	es, _, err := audit.New(e.db, clock.New()).List(ctx, audit.Query{Action: "subscribe.template", Page: pageAll})
	testkit.Must(t, err)
	if len(es) != 2 || es[0].SubjectID != "order_paid" || es[0].Actor != "staff:1:owner" {
		t.Fatalf("audit entries: %+v", es)
	}
	offers, err := e.svc.Offers(ctx)
	testkit.Must(t, err)
	if len(offers) != 1 || offers[0].TemplateID != "tpl-paid-2" {
		t.Fatalf("offers after the change: %+v", offers)
	}
	// Switched off: no longer offered.
	off := paidTemplate("tpl-paid-2")
	off.Enabled = false
	_, err = e.svc.SaveTemplate(ctx, "staff:1:owner", off)
	testkit.Must(t, err)
	if offers, _ := e.svc.Offers(ctx); len(offers) != 0 {
		t.Fatalf("a disabled template is offered: %+v", offers)
	}
}

func TestRecordingResults(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	frank := testkit.Shopper(t, e.db, "frank")
	cs, err := e.svc.RecordResults(ctx, frank, map[string]string{"tpl-paid": "accept"})
	testkit.Must(t, err)
	if cs["tpl-paid"] != 1 {
		t.Fatalf("after one accept: %v", cs)
	}
	for _, r := range []string{"reject", "ban", "filter"} {
		if cs, err = e.svc.RecordResults(ctx, frank, map[string]string{"tpl-paid": r}); err != nil || cs["tpl-paid"] != 1 {
			t.Fatalf("%s changed the credits: %v %v", r, cs, err)
		}
	}
	_, err = e.svc.RecordResults(ctx, frank, map[string]string{"tpl-paid": "accept", "tpl-unknown": "accept"})
	testkit.WantCode(t, err, "unknown_template")
	_, err = e.svc.RecordResults(ctx, frank, map[string]string{"tpl-paid": "yes"})
	testkit.WantField(t, err, "results")
	_, err = e.svc.RecordResults(ctx, frank, map[string]string{})
	testkit.WantField(t, err, "results")
	if n := e.credits(t, frank, "tpl-paid"); n != 1 {
		t.Fatalf("refused reports changed the credits: %d", n)
	}
	// Another shopper's credits are their own.
	if n := e.credits(t, testkit.Shopper(t, e.db, "grace"), "tpl-paid"); n != 0 {
		t.Fatalf("grace has %d credits", n)
	}
}
