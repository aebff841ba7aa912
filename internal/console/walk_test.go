package console_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
)

// readable is what a person reads on a page: its visible text and the
// attributes browsers show or speak (title, placeholder, aria-label, alt),
// the labels of buttons and the confirmations the console asks
// (data-confirm). Scripts, styles, the values of fields (the data typed
// or stored) and <code> (a literal a tool reads: a CSV column's name, a
// command) are not.
func readable(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{page}
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if s := strings.TrimSpace(n.Data); s != "" {
				out = append(out, s)
			}
		case html.ElementNode:
			if n.Data == "script" || n.Data == "style" || n.Data == "code" {
				return
			}
			typ := attrOf(n, "type")
			for _, a := range n.Attr {
				switch a.Key {
				case "title", "placeholder", "aria-label", "alt", "data-confirm":
					out = append(out, a.Val)
				case "value": // an input button's label (a <button>'s value is not shown; its text is)
					if n.Data == "input" && (typ == "submit" || typ == "button" || typ == "reset") {
						out = append(out, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// latinIn lists the Latin words of s (as i18n.EnglishIn sees them).
var latinIn = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)

// dataWords are the Latin words of the test's own records (titles, codes,
// usernames, order numbers): they are what the merchant typed, shown as
// typed in either language.
func dataWords(data []string) map[string]bool {
	words := map[string]bool{}
	for _, s := range data {
		for _, w := range latinIn.FindAllString(s, -1) {
			words[w] = true
		}
	}
	return words
}

// unknownIDMark is how a page shows a message id with no message ("[console.x]").
var unknownIDMark = regexp.MustCompile(`\[[a-z0-9_]+(?:\.[a-z0-9_\[\]]+)+\]`)

// TestNoEnglishLeftInTheChineseConsole walks every console page (every GET
// route, with real records made by the fixtures) as a zh-CN reader and
// fails on any English word a person would read there, beyond the names
// and formats i18n allows and the test data's own words.
func TestNoEnglishLeftInTheChineseConsole(t *testing.T) {
	e := apptest.Start(t)
	s := demoShop(t, e)
	allowed := dataWords(s.Data)
	pages := consolePages(t, e, s.Owner)
	if len(pages) < 20 {
		t.Fatalf("walked only %d console pages", len(pages))
	}
	pages = append(pages, consolePage{"/console/login", "/console/login"})
	anon := e.Anonymous(t)
	for _, pg := range pages {
		c := s.Owner
		if pg.Route == "/console/login" {
			c = anon
		}
		body := c.Get(pg.Path).Body
		found := map[string][]string{}
		for _, text := range readable(body) {
			for _, w := range i18n.EnglishIn(text) {
				if !allowed[w] {
					found[w] = append(found[w], text)
				}
			}
		}
		if len(found) > 0 {
			t.Errorf("%s (%s) shows English in zh-CN: %s", pg.Route, pg.Path, english(found))
		}
	}
}

// english summarises the words found with one place each.
func english(found map[string][]string) string {
	words := make([]string, 0, len(found))
	for w := range found {
		words = append(words, w)
	}
	sort.Strings(words)
	var b strings.Builder
	for i, w := range words {
		if i == 12 {
			fmt.Fprintf(&b, " … and %d more", len(words)-i)
			break
		}
		where := found[w][0]
		if len(where) > 60 {
			where = where[:60] + "…"
		}
		fmt.Fprintf(&b, "\n    %s  (in %q)", w, where)
	}
	return b.String()
}

// TestNoMissingMessagesOnAnyPage walks every console page in both
// languages: no page shows a message id in brackets, the mark of an id
// with no message.
func TestNoMissingMessagesOnAnyPage(t *testing.T) {
	e := apptest.Start(t)
	s := demoShop(t, e)
	for _, lang := range i18n.Langs {
		s.Owner.Lang = string(lang)
		anon := e.Anonymous(t)
		anon.Lang = string(lang)
		pages := consolePages(t, e, s.Owner)
		for _, pg := range append(pages, consolePage{"/console/login", "/console/login"}) {
			c := s.Owner
			if pg.Route == "/console/login" {
				c = anon
			}
			for _, text := range readable(c.Get(pg.Path).Body) {
				if m := unknownIDMark.FindString(text); m != "" {
					t.Errorf("%s %s shows %s: a message id with no message", lang, pg.Path, m)
				}
			}
		}
	}
}
