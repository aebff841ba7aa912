// Package i18n is how Kaidian speaks to people: Simplified Chinese by
// default, English on request. Every sentence a merchant or a shopper reads
// lives in the message catalogs under locales/ (one file per area and
// language, "<area>.<lang>.toml", read by go-i18n), never in Go code or
// templates; code names a message by its id and passes the values its
// placeholders need. The tests in this package fail when an id lacks a
// translation in either language, when a catalog holds an id nothing uses,
// or when a Chinese message slips into English.
package i18n

import (
	"github.com/kaidian/kaidian/internal/errs"

	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	gotemplate "github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/money"
)

// Lang is a language Kaidian speaks, as its BCP 47 tag.
type Lang string

// The languages, the default first.
const (
	ZhCN Lang = "zh-CN"
	En   Lang = "en"
)

// Default is what a person reads when they asked for nothing Kaidian speaks.
const Default = ZhCN

// Langs lists every language, the default first.
var Langs = []Lang{ZhCN, En}

//go:embed locales/*.toml
var locales embed.FS

var (
	bundle   = load(locales)
	matcher  = language.NewMatcher([]language.Tag{language.MustParse(string(ZhCN)), language.English})
	printers = map[Lang]*Printer{ZhCN: newPrinter(ZhCN), En: newPrinter(En)}
)

func load(fsys fs.FS) *goi18n.Bundle {
	b := goi18n.NewBundle(language.MustParse(string(Default)))
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(fsys, "locales/*.toml")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(fsys, f); err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", f, err)) // the catalogs are compiled in: a broken one is a build defect
		}
	}
	return b
}

// Parse reads a language a person chose ("zh-CN", "en"); ok is false for
// anything else.
func Parse(s string) (Lang, bool) {
	for _, l := range Langs {
		if strings.EqualFold(s, string(l)) {
			return l, true
		}
	}
	return "", false
}

// Match picks the language for an Accept-Language header: the best of
// Kaidian's languages for it, zh-CN when the header is empty, malformed or
// names nothing close. Any Chinese (zh, zh-TW, zh-Hant) gets zh-CN: it is
// the only Chinese Kaidian writes, and closer to the reader than English.
func Match(acceptLanguage string) Lang {
	if acceptLanguage == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	if idx == 1 {
		return En
	}
	return ZhCN
}

// Printer writes messages, money and times in one language.
type Printer struct {
	lang Lang
	loc  *goi18n.Localizer
}

func newPrinter(l Lang) *Printer {
	return &Printer{lang: l, loc: goi18n.NewLocalizer(bundle, string(l))}
}

// For is the printer of a language (the default's for one Kaidian does not speak).
func For(l Lang) *Printer {
	if p, ok := printers[l]; ok {
		return p
	}
	return printers[Default]
}

// Lang is the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// T is the message id in the printer's language, its placeholders filled
// from kv (name, value, name, value…). A "count" value also picks the plural
// form where the language has one. An id missing from the catalogs comes
// back as itself in brackets, so a page shows the defect rather than
// nothing; the catalog tests keep that from reaching a release.
func (p *Printer) T(id string, kv ...any) string {
	return p.localize(id, errs.Pairs(kv))
}

// Data is T with the placeholders' values already in a map.
func (p *Printer) Data(id string, data map[string]any) string {
	return p.localize(id, data)
}

func (p *Printer) localize(id string, data map[string]any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data, TemplateParser: msgParser}
	if n, ok := data["count"]; ok {
		cfg.PluralCount = n
	}
	s, err := p.loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// A message written without plural forms (Chinese has none) is
		// its "other" text whatever the count.
		cfg.PluralCount = nil
		s, err = p.loc.Localize(cfg)
	}
	if err != nil {
		return "[" + id + "]"
	}
	return s
}

// msgParser reads messages as Go templates that may call funcs besides
// filling placeholders. The functions never change, so a parsed message is
// kept (go-i18n parses again on every use when it is given functions).
var msgParser = cachedParser{&gotemplate.TextParser{Funcs: funcs}}

type cachedParser struct{ *gotemplate.TextParser }

func (cachedParser) Cacheable() bool { return true }

// funcs are what a message may call: notations one language writes from a
// value both languages get, so both fill the same placeholders.
var funcs = texttemplate.FuncMap{"zhe": zhe}

// zhe writes a discount as Chinese shops do, by the share paid in 折:
// {{zhe .off}} is "8.5" for 15 (% off), "9" for 10.
func zhe(percentOff any) string {
	off, _ := strconv.Atoi(fmt.Sprint(percentOff))
	pay := 100 - off
	if pay%10 == 0 {
		return strconv.Itoa(pay / 10)
	}
	return fmt.Sprintf("%d.%d", pay/10, pay%10)
}

// Enum names one value of a closed set (an order status, a role): the
// message "<family>.<value>". Families are declared with Enum so the catalog
// test knows every one of their ids is in use.
func (p *Printer) Enum(family string, value any) string {
	return p.T(family + "." + fmt.Sprint(value))
}

// Money writes an amount of fen as shops print it, in either language:
// 123450 → "¥1,234.50", -100 → "-¥1.00".
func (p *Printer) Money(fen int64) string { return money.Yuan(fen) }

// When writes a moment in China's time: "2026年12月6日 10:07" in Chinese,
// "6 Dec 2026 10:07" in English; the zero time (or a nil pointer) is "".
func (p *Printer) When(t any) string {
	v, ok := moment(t)
	if !ok {
		return ""
	}
	v = v.In(clock.China)
	if p.lang == ZhCN {
		return fmt.Sprintf("%d年%d月%d日 %02d:%02d", v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute())
	}
	return v.Format("2 Jan 2006 15:04")
}

// Day writes the calendar day in China's time: "2026年12月6日", "6 Dec 2026".
func (p *Printer) Day(t any) string {
	v, ok := moment(t)
	if !ok {
		return ""
	}
	v = v.In(clock.China)
	if p.lang == ZhCN {
		return fmt.Sprintf("%d年%d月%d日", v.Year(), v.Month(), v.Day())
	}
	return v.Format("2 Jan 2006")
}

func moment(t any) (time.Time, bool) {
	switch v := t.(type) {
	case time.Time:
		return v, !v.IsZero()
	case *time.Time:
		if v == nil {
			return time.Time{}, false
		}
		return *v, !v.IsZero()
	}
	return time.Time{}, false
}

// Has reports whether id has a message of its own in l (not a fallback).
func Has(l Lang, id string) bool {
	_, ok := messages(l)[id]
	return ok
}

// messages is every id with its message text ("other" form) in l, read
// from the catalog files with go-i18n's own parser, for the tests and Has.
func messages(l Lang) map[string]string {
	out := map[string]string{}
	files, _ := fs.Glob(locales, "locales/*."+string(l)+".toml")
	for _, f := range files {
		b, _ := fs.ReadFile(locales, f)
		mf, err := goi18n.ParseMessageFileBytes(b, f, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
		if err != nil {
			continue
		}
		for _, m := range mf.Messages {
			out[m.ID] = m.Other
		}
	}
	return out
}

// IDs lists every message id of l, sorted.
func IDs(l Lang) []string {
	m := messages(l)
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
