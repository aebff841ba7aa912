package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
)

type commissionRulesData struct {
	Rules     []commission.Rule // the shop's, for every promoter
	Campaigns []commission.Campaign
	Now       time.Time
	// CampaignForm is the campaign form (new, or ?edit= one), apart from
	// the rule form in View.Form.
	CampaignForm *Form
	SettleDays   int
}

// commissionRules: GET /console/commission?edit= — the shop-wide rules
// (per category, per product) with the form that sets one, and the
// campaigns with theirs. A promoter's own rules are on their page.
func (h *handlers) commissionRules(c *gin.Context) {
	cf := NewForm(c, url.Values{"starts_at": {time.Now().In(clock.China).Format(couponTimeLayout)},
		"ends_at": {time.Now().In(clock.China).AddDate(0, 0, 7).Format(couponTimeLayout)}})
	if s := c.Query("edit"); s != "" {
		id, _ := strconv.ParseInt(s, 10, 64)
		cp, err := h.d.Commission.Campaign(c.Request.Context(), id)
		if err != nil {
			h.fail(c, err)
			return
		}
		cf = NewForm(c, campaignValues(cp))
	}
	h.commissionPage(c, http.StatusOK, NewForm(c, url.Values{"scope": {"category"}}), cf)
}

func campaignValues(cp commission.Campaign) url.Values {
	return url.Values{"campaign_id": {strconv.FormatInt(cp.ID, 10)}, "name": {cp.Name}, "rate": {strconv.Itoa(cp.RateBP)},
		"starts_at": {cp.StartsAt.In(clock.China).Format(couponTimeLayout)}, "ends_at": {cp.EndsAt.In(clock.China).Format(couponTimeLayout)},
		"product_ids": {joinIDs(cp.ProductIDs.V)}, "category_ids": {joinIDs(cp.CategoryIDs.V)}}
}

func (h *handlers) commissionPage(c *gin.Context, status int, ruleForm, campaignForm *Form) {
	ctx := c.Request.Context()
	d := commissionRulesData{CampaignForm: campaignForm, Now: time.Now()}
	all, err := h.d.Commission.Rules(ctx, 0)
	if err == nil {
		d.Campaigns, err = h.d.Commission.Campaigns(ctx)
	}
	if err == nil {
		d.SettleDays, err = h.d.Settings.CommissionSettleDays(ctx)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, r := range all {
		if r.PromoterID == nil {
			d.Rules = append(d.Rules, r)
		}
	}
	h.render(c, status, "commission.html", View{Title: httpx.Printer(c).T("console.commission.title"), Nav: "commission", Form: ruleForm, Data: d})
}

// commissionRuleSave: POST /console/commission/rules {scope, target_id,
// rate, promoter_id?, back?} — sets (or replaces) a rule; with promoter_id
// it is that promoter's own, and the answer goes back to their page.
func (h *handlers) commissionRuleSave(c *gin.Context) {
	form := postedForm(c)
	r := commission.Rule{Scope: commission.Scope(form.Get("scope"))}
	var err error
	if r.TargetID, err = strconv.ParseInt(strings.TrimSpace(form.Get("target_id")), 10, 64); err != nil {
		err = errs.Field("target_id", "invalid.positive_id")
	}
	if err == nil {
		if r.RateBP, err = strconv.Atoi(strings.TrimSpace(form.Get("rate"))); err != nil {
			err = errs.Field("rate", "invalid.whole_number")
		}
	}
	if s := form.Get("promoter_id"); err == nil && s != "" {
		id, _ := strconv.ParseInt(s, 10, 64)
		r.PromoterID = &id
	}
	if err == nil {
		_, err = h.d.Commission.SaveRule(c.Request.Context(), me(c).Actor(), r)
	}
	if err != nil {
		if r.PromoterID != nil {
			p, gerr := h.d.Promoters.Get(c.Request.Context(), *r.PromoterID)
			if gerr != nil {
				h.fail(c, gerr)
				return
			}
			f := NewForm(c, promoterValues(p))
			for k, v := range form.Values {
				f.Values["rule_"+k] = v
			}
			h.promoterPage(c, httpx.Status(err), p, f.Fail(err))
			return
		}
		h.commissionPage(c, httpx.Status(err), form.Fail(err), NewForm(c, url.Values{}))
		return
	}
	redirect(c, ruleBack(form), httpx.Printer(c).T("console.commission.rule_saved"))
}

// ruleBack is where a rule form returns: the promoter's page it was on, or the rules page.
func ruleBack(f *Form) string {
	if id, err := strconv.ParseInt(f.Get("promoter_id"), 10, 64); err == nil && id > 0 {
		return "/console/promoters/" + strconv.FormatInt(id, 10)
	}
	return "/console/commission"
}

// commissionRuleDelete: POST /console/commission/rules/{id}/delete {promoter_id?}
func (h *handlers) commissionRuleDelete(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = h.d.Commission.DeleteRule(c.Request.Context(), me(c).Actor(), id)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, ruleBack(form), httpx.Printer(c).T("console.commission.rule_deleted"))
}

// commissionCampaignSave: POST /console/commission/campaigns {campaign_id?,
// name, rate, starts_at, ends_at, product_ids, category_ids} — ids typed
// separated by commas or spaces; none means every product.
func (h *handlers) commissionCampaignSave(c *gin.Context) {
	form := postedForm(c)
	in := commission.CampaignInput{Name: form.Get("name")}
	var id int64
	var err error
	if s := form.Get("campaign_id"); s != "" {
		id, _ = strconv.ParseInt(s, 10, 64)
	}
	if in.RateBP, err = strconv.Atoi(strings.TrimSpace(form.Get("rate"))); err != nil {
		err = errs.Field("rate", "invalid.whole_number")
	}
	if err == nil {
		in.StartsAt, err = couponTime("starts_at", form.Get("starts_at"))
	}
	if err == nil {
		in.EndsAt, err = couponTime("ends_at", form.Get("ends_at"))
	}
	if err == nil {
		in.ProductIDs, err = splitIDs("product_ids", form.Get("product_ids"))
	}
	if err == nil {
		in.CategoryIDs, err = splitIDs("category_ids", form.Get("category_ids"))
	}
	if err == nil {
		_, err = h.d.Commission.SaveCampaign(c.Request.Context(), me(c).Actor(), id, in)
	}
	if err != nil {
		h.commissionPage(c, httpx.Status(err), NewForm(c, url.Values{"scope": {"category"}}), form.Fail(err))
		return
	}
	redirect(c, "/console/commission", httpx.Printer(c).T("console.commission.campaign_saved"))
}

// splitIDs reads ids typed separated by commas, spaces or 、.
func splitIDs(field, s string) ([]int64, error) {
	var ids []int64
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '、' || r == '，' }) {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, errs.Field(field, "invalid.positive_id")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}
