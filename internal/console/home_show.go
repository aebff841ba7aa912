package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/httpx"
)

type homeData struct {
	Banners  []homeRow[home.Banner]
	Sections []homeRow[home.Section]
	Preview  home.Page
	Now      time.Time
	Coupons  map[int64]string // the preview's coupons' value, in the reader's language
}

// homeRow is a banner or section in the editor's list: whether it shows
// now, where it is (the first cannot move up, the last down), the path of
// its forms and the CSRF token they carry.
type homeRow[T any] struct {
	Item        T
	ID          int64
	Live        bool
	First, Last bool
	Path, CSRF  string
	home.Schedule
}

// homeData builds the editor's data from the layout and the preview.
func newHomeData(c *gin.Context, l home.Layout, pv home.Page) homeData {
	csrf := ""
	if s, ok := sessionOf(c); ok {
		csrf = s.CSRFToken
	}
	d := homeData{Preview: pv, Now: pv.At, Coupons: map[int64]string{}}
	for i, b := range l.Banners {
		d.Banners = append(d.Banners, homeRow[home.Banner]{Item: b, ID: b.ID, Live: b.LiveAt(pv.At), First: i == 0,
			Last: i == len(l.Banners)-1, Path: "/console/home/banners/" + strconv.FormatInt(b.ID, 10), CSRF: csrf, Schedule: b.Schedule})
	}
	for i, s := range l.Sections {
		d.Sections = append(d.Sections, homeRow[home.Section]{Item: s, ID: s.ID, Live: s.LiveAt(pv.At), First: i == 0,
			Last: i == len(l.Sections)-1, Path: "/console/home/sections/" + strconv.FormatInt(s.ID, 10), CSRF: csrf, Schedule: s.Schedule})
	}
	p := httpx.Printer(c)
	for _, s := range pv.Sections {
		for _, cp := range s.Coupons {
			d.Coupons[cp.ID] = p.Msg(cp.Value())
		}
	}
	return d
}

// homeShow: GET /console/home — the home page editor (首页装修): the notice
// line, the banners and the sections in order with their switches and
// windows, and beside them the page as a shopper sees it now, drawn at a
// phone's width (375px).
func (h *handlers) homeShow(c *gin.Context) {
	ctx := c.Request.Context()
	l, err := h.d.Home.Layout(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	pv, err := h.d.Home.Live(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "home.html", View{Title: httpx.Printer(c).T("console.home.title"), Nav: "home",
		Form: NewForm(c, url.Values{"notice": {l.Notice}}), Data: newHomeData(c, l, pv)})
}

// homeNoticeSave: POST /console/home/notice
func (h *handlers) homeNoticeSave(c *gin.Context) {
	form := postedForm(c)
	if err := h.d.Home.SetNotice(c.Request.Context(), me(c).Actor(), form.Get("notice")); err != nil {
		h.homeRefused(c, form, err)
		return
	}
	redirect(c, "/console/home", httpx.Printer(c).T("console.home.notice_saved"))
}

// homeRefused shows the editor again with the refused notice and its error.
func (h *handlers) homeRefused(c *gin.Context, form *Form, err error) {
	ctx := c.Request.Context()
	l, lerr := h.d.Home.Layout(ctx)
	pv, perr := h.d.Home.Live(ctx)
	if rerr := errors.Join(lerr, perr); rerr != nil {
		h.fail(c, rerr) // the editor itself cannot be drawn: that is the error to show
		return
	}
	p := httpx.Printer(c)
	h.render(c, httpx.Status(err), "home.html", View{Title: p.T("console.home.title"), Nav: "home",
		Form: form.Fail(err), Data: newHomeData(c, l, pv)})
}
