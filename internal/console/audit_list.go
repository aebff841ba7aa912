package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
)

// auditActions and auditSubjects are the audit log's action codes and
// subject types the page names in words and offers as filters. The domain
// packages record them; one recorded without a name here is shown as its
// code.
var (
	auditActions = []string{"product.create", "product.update", "product.shelf", "sku.create", "sku.price", "sku.sale",
		"sku.code", "stock.adjust", "catalog.import", "coupon.create", "coupon.update", "coupon.issue", "coupon.stop",
		"flash_sale.create", "flash_sale.update", "flash_sale.end",
		"home.create", "home.update", "home.delete", "home.move", "home.notice", "refund.create", "refund.approve", "refund.decline",
		"settings.update", "staff.create", "staff.update", "staff.password_change", "staff.language", "subscribe.template",
		"aftersale.request", "aftersale.return_shipment", "aftersale.cancel", "aftersale.receive", "aftersale.refund", "shipment.event",
		"search.pin", "search.unpin", "search.move_pin", "review.reply", "review.hide", "review.unhide", "review.approve",
		"channel.create", "channel.update", "unlock.create", "unlock.stop",
		"gift_card_design.create", "gift_card_design.sale",
		"gift_card_design.create", "gift_card_design.sale",
		"promoter.create", "promoter.approve", "promoter.reject", "promoter.disable", "promoter.enable", "promoter.update", "promoter.invite", "promoter.accept_invite",
		"store.create", "store.update", "commission.rule", "commission.rule_delete", "commission.campaign",
		"payout.create", "payout.paid", "payout.cancel", "binding.move", "binding.move_all",
		"coupon_pack.create", "coupon_pack.update", "coupon_pack.stop", "coupon_pack.issue"}
	auditSubjects = []string{"product", "sku", "import", "coupon", "flash_sale", "home_banner", "home_section", "home_notice", "order", "settings", "staff", "subscribe_scene", "search_pin", "review", "channel", "unlock_campaign",
		"promoter", "store", "commission_rule", "commission_campaign", "payout_batch", "binding", "coupon_pack_campaign", "gift_card_design"}
)

type auditData struct {
	Entries           []auditRow
	Actions, Subjects []choice
	Next              string
	Query             url.Values
	Filtered          bool
}

// auditRow is an entry with its action and subject type in words.
type auditRow struct {
	audit.Entry
	What, On string
}

// choice is an option of a select: the value sent and the name shown.
type choice struct{ Value, Name string }

// auditList: GET /console/audit?actor=&action=&subject_type=&subject_id=&cursor= (owners)
// The actor filter takes an account's username as well as a recorded
// actor ("staff:3:lily").
func (h *handlers) auditList(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), "50")
	if err != nil {
		h.fail(c, err)
		return
	}
	q := audit.Query{Actor: strings.TrimSpace(c.Query("actor")), Action: c.Query("action"),
		SubjectType: c.Query("subject_type"), SubjectID: strings.TrimSpace(c.Query("subject_id")), Page: pg}
	if q.Actor, err = h.actorOf(c, q.Actor); err != nil {
		h.fail(c, err)
		return
	}
	es, next, err := h.d.Audit.List(c.Request.Context(), q)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := httpx.Printer(c)
	d := auditData{Next: next, Query: c.Request.URL.Query(),
		Filtered: q.Actor != "" || q.Action != "" || q.SubjectType != "" || q.SubjectID != ""}
	for _, e := range es {
		d.Entries = append(d.Entries, auditRow{Entry: e, What: auditAction(p, e.Action),
			On: auditSubject(p, e.SubjectType)})
	}
	for _, a := range auditActions {
		d.Actions = append(d.Actions, choice{a, auditAction(p, a)})
	}
	for _, s := range auditSubjects {
		d.Subjects = append(d.Subjects, choice{s, auditSubject(p, s)})
	}
	h.render(c, http.StatusOK, "audit.html", View{Title: p.T("console.audit.title"), Nav: "audit", Data: d})
}

// auditAction and auditSubject name an action code ("sku.price" is
// "console.audit_action.sku_price") and a subject type; a code without a
// name (one a newer domain package records) is shown as it is.
func auditAction(p *i18n.Printer, code string) string {
	return orCode(p.Enum("console.audit_action", strings.ReplaceAll(code, ".", "_")), code)
}

func auditSubject(p *i18n.Printer, code string) string {
	return orCode(p.Enum("console.audit_subject", code), code)
}

// orCode is name, unless the printer wrote a missing message's "[id]".
func orCode(name, code string) string {
	if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
		return code
	}
	return name
}

// actorOf reads the actor filter: a username is its account's actor.
func (h *handlers) actorOf(c *gin.Context, typed string) (string, error) {
	if typed == "" || strings.Contains(typed, ":") {
		return typed, nil
	}
	as, err := h.d.Staff.List(c.Request.Context())
	if err != nil {
		return "", err
	}
	for _, a := range as {
		if strings.EqualFold(a.Username, typed) {
			return a.Actor(), nil
		}
	}
	return typed, nil
}
