package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

// TestSearchWordsPage pins, reorders and unpins hot words through the
// console, each step audited; a duplicate (as searches compare it) and an
// overlong word are refused with nothing changed; the most searched words
// are listed with a button to pin them.
func TestSearchWordsPage(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	c := e.SignIn(t, "lily", staff.RoleStaff)
	e.App.Search.Record(0, "袜子")
	e.App.Search.Record(0, "袜子")
	if err := e.App.Search.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if p := c.Get("/console/search-words"); p.Status != 200 || !p.Has("袜子") || !p.Has("还没有置顶的词") {
		t.Fatalf("page: %d %s", p.Status, p.Body)
	}
	for _, w := range []string{"T恤", "新品"} {
		if p := c.Post("/console/search-words", url.Values{"word": {w}}); p.Status != http.StatusSeeOther {
			t.Fatalf("pin %s: %d %s", w, p.Status, p.Body)
		}
	}
	if p := c.Post("/console/search-words", url.Values{"word": {"ｔ恤"}}); p.Status != http.StatusConflict || !p.Has("该词已置顶") {
		t.Fatalf("duplicate: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/search-words", url.Values{"word": {strings.Repeat("长", 10_000)}}); p.Status != http.StatusBadRequest {
		t.Fatalf("overlong: %d", p.Status)
	}
	pins, _ := e.App.Search.Pins(ctx)
	if len(pins) != 2 || pins[0].Word != "T恤" {
		t.Fatalf("pins %+v", pins)
	}
	if p := c.Post(fmt.Sprintf("/console/search-words/%d/move", pins[1].ID), url.Values{"dir": {"up"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("move: %d %s", p.Status, p.Body)
	}
	if after, _ := e.App.Search.Pins(ctx); after[0].Word != "新品" || after[1].Word != "T恤" {
		t.Fatalf("after move %+v", after)
	}
	if p := c.Post(fmt.Sprintf("/console/search-words/%d/unpin", pins[0].ID), nil); p.Status != http.StatusSeeOther {
		t.Fatalf("unpin: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/search-words/424242/unpin", nil); p.Status != http.StatusNotFound {
		t.Fatalf("unpin unknown: %d", p.Status)
	}
	hot, _ := e.App.Search.Hot(ctx)
	if got := fmt.Sprint(hot); got != "[{新品 true 0} {袜子 false 2}]" {
		t.Fatalf("hot = %s", got)
	}
	var actions []string
	e.App.DB.Conn(ctx).Table("audit_log").Where("action LIKE 'search.%'").Order("id").Pluck("action", &actions)
	if fmt.Sprint(actions) != "[search.pin search.pin search.move_pin search.unpin]" {
		t.Fatalf("audited %v", actions)
	}
}
