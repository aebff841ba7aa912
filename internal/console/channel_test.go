package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/internal/testkit"
)

var codeLink = regexp.MustCompile(`href="(/console/share/code\.png\?[^"]+)"`)

// readCode fetches a code image from the console and reads what it opens:
// its page and what its scene key stands for.
func readCode(t *testing.T, e *apptest.Env, c *apptest.Console, path string) (p apptest.Page, width int, page, target, ref string) {
	t.Helper()
	p = c.Get(path)
	if p.Status != http.StatusOK || p.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("GET %s: %d %s", path, p.Status, p.Body)
	}
	text, width := testkit.ReadQR(t, []byte(p.Body))
	page, key, _ := strings.Cut(text, "?scene=")
	sc, err := e.App.Scenes.Resolve(context.Background(), key)
	if err != nil {
		t.Fatalf("%s reads %q: %v", path, text, err)
	}
	return p, width, page, sc.Target, sc.Ref
}

// TestChannelsCreateEditAndDownloadCodes: a clerk creates a channel, sees
// it listed with its code, downloads its home page code in every print
// size and a product's, each reading page?scene=<key> whose key stands for
// the channel; edits it (stopped); both changes are in the audit log.
func TestChannelsCreateEditAndDownloadCodes(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "mei", staff.RoleStaff)
	if p := c.Get("/console/channels"); p.Status != http.StatusOK || !p.Has(zh.T("console.channel.empty")) {
		t.Fatalf("empty channels page: %d %s", p.Status, p.Body)
	}
	p := c.Post("/console/channels", url.Values{"name": {"静安店橱窗"}, "note": {"春季海报"}, "active": {"on"}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/channels/") {
		t.Fatalf("create: %d %s", p.Status, p.Body)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(p.Location, "/console/channels/"), 10, 64)
	ch, err := e.App.Channels.Get(context.Background(), id)
	if err != nil || ch.Name != "静安店橱窗" || ch.Note != "春季海报" || !ch.Active || len(ch.Code) != channel.CodeLength {
		t.Fatalf("created channel: %+v %v", ch, err)
	}
	if l := c.Get("/console/channels"); !l.Has("静安店橱窗") || !l.Has(ch.Code) || !l.Has(zh.T("console.channel.active")) {
		t.Fatalf("list: %s", l.Body)
	}

	show := c.Get(p.Location)
	links := codeLink.FindAllStringSubmatch(show.Body, -1)
	if show.Status != http.StatusOK || len(links) != 4 || !show.Has(ch.Code) {
		t.Fatalf("channel page: %d, %d code links\n%s", show.Status, len(links), show.Body)
	}
	for i, w := range []int{280, 430, 860, 1280} {
		got, width, page, target, ref := readCode(t, e, c, html.UnescapeString(links[i][1]))
		if page != "pages/index/index" || target != "home" || ref != "channel:"+ch.Code || width < w {
			t.Errorf("code %d: %d px, %s %s %s", w, width, page, target, ref)
		}
		if cd := got.Header.Get("Content-Disposition"); cd != `attachment; filename="channel-`+ch.Code+`-home-`+strconv.Itoa(w)+`.png"` {
			t.Errorf("code %d saved as %q", w, cd)
		}
	}

	prod := e.Product(t)
	withProduct := c.Get(p.Location + "?product=" + itoa(prod.ID))
	links = codeLink.FindAllStringSubmatch(withProduct.Body, -1)
	if len(links) != 8 {
		t.Fatalf("with a product: %d code links", len(links))
	}
	if _, _, page, target, ref := readCode(t, e, c, html.UnescapeString(links[5][1])); page != "pages/product/index" ||
		target != "product:"+itoa(prod.ID) || ref != "channel:"+ch.Code {
		t.Errorf("product code: %s %s %s", page, target, ref)
	}
	for _, bad := range []string{"999999", "abc", "-1"} {
		pg := c.Get(p.Location + "?product=" + bad)
		if pg.Status != http.StatusOK || len(codeLink.FindAllString(pg.Body, -1)) != 4 || !strings.Contains(pg.Body, `class="field-error"`) {
			t.Errorf("product %q: %d, %d links", bad, pg.Status, len(codeLink.FindAllString(pg.Body, -1)))
		}
	}

	if p := c.Post(p.Location, url.Values{"name": {"静安店橱窗（已撤）"}, "note": {""}}); p.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", p.Status, p.Body)
	}
	if ch, _ = e.App.Channels.Get(context.Background(), id); ch.Active || ch.Name != "静安店橱窗（已撤）" || ch.Note != "" {
		t.Fatalf("updated channel: %+v", ch)
	}
	if l := c.Get("/console/channels"); !l.Has(zh.T("console.channel.inactive")) {
		t.Errorf("a stopped channel is not shown stopped")
	}
	entries, _, err := e.App.Audit.List(context.Background(), audit.Query{SubjectType: "channel", SubjectID: itoa(id), Page: page.Request{Limit: 10}})
	if err != nil || len(entries) != 2 || entries[0].Action != "channel.update" || entries[1].Action != "channel.create" ||
		!strings.Contains(entries[0].Actor, "mei") {
		t.Fatalf("audit: %+v %v", entries, err)
	}
}

// TestChannelFormRefusesBadInput: no name, a name or note too long, and an
// unknown channel are refused with the field named; nothing is created
// or changed.
func TestChannelFormRefusesBadInput(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "mei", staff.RoleOwner)
	c.Get("/console/channels/new")
	for _, form := range []url.Values{
		{"name": {"  "}},
		{"name": {strings.Repeat("长", 41)}},
		{"name": {"海报"}, "note": {strings.Repeat("长", 201)}},
	} {
		if p := c.Post("/console/channels", form); p.Status != http.StatusBadRequest || !p.Has(`class="field-error"`) {
			t.Errorf("%v: %d", form, p.Status)
		}
	}
	if cs, _ := e.App.Channels.List(context.Background()); len(cs) != 0 {
		t.Fatalf("refused forms created %d channels", len(cs))
	}
	ch, err := e.App.Channels.Create(context.Background(), "test", channel.Input{Name: "海报", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Post("/console/channels/"+itoa(ch.ID), url.Values{"name": {""}, "active": {"on"}}); p.Status != http.StatusBadRequest {
		t.Errorf("empty name on edit: %d", p.Status)
	}
	if got, _ := e.App.Channels.Get(context.Background(), ch.ID); got.Name != ch.Name || !got.Active || !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Errorf("a refused edit changed the channel: %+v", got)
	}
	for _, path := range []string{"/console/channels/999999", "/console/channels/abc"} {
		if p := c.Get(path); p.Status != http.StatusNotFound && p.Status != http.StatusBadRequest {
			t.Errorf("GET %s: %d", path, p.Status)
		}
	}
}

// TestConsoleShareCode: the generic code route serves a code for a
// channel, a promoter or no one, and refuses (changing nothing) an
// unknown or malformed reference, a width out of range, a page outside the
// mini program and an unknown target; it is for signed-in merchants only.
func TestConsoleShareCode(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "mei", staff.RoleStaff)
	ctx := context.Background()
	p, err := e.App.Promoters.Create(ctx, "test", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive, Name: "小红", RateBP: 300})
	if err != nil {
		t.Fatal(err)
	}
	prod := e.Product(t)
	_, width, page, target, ref := readCode(t, e, c, "/console/share/code.png?page=pages/product/index&target=product:"+itoa(prod.ID)+"&ref=promoter:"+p.Code+"&width=1280")
	if page != "pages/product/index" || target != "product:"+itoa(prod.ID) || ref != "promoter:"+p.Code || width < 1280 {
		t.Errorf("promoter's product code: %d px %s %s %s", width, page, target, ref)
	}
	if _, _, page, target, ref = readCode(t, e, c, "/console/share/code.png"); page != "pages/index/index" || target != "home" || ref != "" {
		t.Errorf("plain code: %s %s %q", page, target, ref)
	}

	drawn := e.App.Sandbox.CodesDrawn()
	for q, status := range map[string]int{
		"ref=channel:ZZZZZZ": http.StatusNotFound, "ref=promoter:ZZZZZZ": http.StatusNotFound,
		"ref=share:1": http.StatusBadRequest, "ref=unknown": http.StatusBadRequest, "ref=channel": http.StatusNotFound,
		"width=2000": http.StatusBadRequest, "width=big": http.StatusBadRequest, "page=pages/secret/index": http.StatusBadRequest,
		"target=product:999999": http.StatusNotFound, "target=order:1": http.StatusBadRequest,
	} {
		if pg := c.Get("/console/share/code.png?" + q); pg.Status != status || pg.Header.Get("Content-Type") == "image/png" {
			t.Errorf("%s: %d, want %d", q, pg.Status, status)
		}
	}
	if e.App.Sandbox.CodesDrawn() != drawn {
		t.Errorf("refused requests drew %d codes", e.App.Sandbox.CodesDrawn()-drawn)
	}
	if pg := e.Anonymous(t).Get("/console/share/code.png"); pg.Status == http.StatusOK {
		t.Errorf("anonymous: %d", pg.Status)
	}
}
