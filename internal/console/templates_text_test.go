package console_test

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/web"
)

// templateAction is a template action ({{…}}, comments included).
var templateAction = regexp.MustCompile(`(?s){{.*?}}`)

// TestTemplatesHoldNoWords: every word a console page shows comes from the
// catalog ({{t "id"}}, {{enum …}}), so both languages have it. Outside
// actions, a template's text and its readable attributes (title,
// placeholder, aria-label, alt, data-confirm, input buttons' values) hold
// no Latin word beyond the names and formats i18n allows; <code> holds
// literals for tools (CSV column names), the same in every language.
func TestTemplatesHoldNoWords(t *testing.T) {
	files, err := fs.Glob(web.ConsoleTemplates(), "*.html")
	if err != nil || len(files) < 20 {
		t.Fatalf("console templates: %v (%d)", err, len(files))
	}
	for _, f := range files {
		b, err := fs.ReadFile(web.ConsoleTemplates(), f)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string][]string{}
		for _, text := range readable(templateAction.ReplaceAllString(string(b), " ")) {
			for _, w := range i18n.EnglishIn(text) {
				found[w] = append(found[w], text)
			}
		}
		if len(found) > 0 {
			t.Errorf("%s has words outside the catalog: %s", f, english(found))
		}
	}
}
