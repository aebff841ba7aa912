package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// TestEveryIDInBothLanguages: a message written in one language only would
// show the other language's reader the fallback, or the bare id.
func TestEveryIDInBothLanguages(t *testing.T) {
	zh, en := messages(ZhCN), messages(En)
	if len(zh) == 0 {
		t.Fatal("no zh-CN messages read")
	}
	for id := range zh {
		if _, ok := en[id]; !ok {
			t.Errorf("%s: zh-CN only; add it to the en catalog", id)
		}
	}
	for id := range en {
		if _, ok := zh[id]; !ok {
			t.Errorf("%s: en only; add it to the zh-CN catalog", id)
		}
	}
}

// TestOneFilePerID: go-i18n lets a later file silently replace an id an
// earlier one defined; each id has one home.
func TestOneFilePerID(t *testing.T) {
	files, _ := fs.Glob(locales, "locales/*.toml")
	home := map[string]string{}
	for _, f := range files {
		b, _ := fs.ReadFile(locales, f)
		mf, err := goi18n.ParseMessageFileBytes(b, f, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		lang := mf.Tag.String()
		for _, m := range mf.Messages {
			key := lang + " " + m.ID
			if prev, ok := home[key]; ok {
				t.Errorf("%s is in both %s and %s", key, prev, f)
			}
			home[key] = f
		}
	}
}

// TestPlaceholdersMatch: both languages fill the same placeholders, so a
// value one language shows is never missing from the other.
func TestPlaceholdersMatch(t *testing.T) {
	zh, en := messages(ZhCN), messages(En)
	for id, z := range zh {
		e, ok := en[id]
		if !ok {
			continue
		}
		if a, b := placeholders(z), placeholders(e); a != b {
			t.Errorf("%s: zh-CN fills %s, en fills %s", id, a, b)
		}
	}
}

var placeholder = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)

func placeholders(msg string) string {
	set := map[string]bool{}
	for _, a := range action.FindAllString(msg, -1) {
		for _, m := range placeholder.FindAllStringSubmatch(a, -1) {
			set[m[1]] = true
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return "[" + strings.Join(names, " ") + "]"
}

// TestChineseIsChinese: a zh-CN message holds no English beyond the
// allowed names and formats.
func TestChineseIsChinese(t *testing.T) {
	for id, msg := range messages(ZhCN) {
		if words := EnglishIn(msg); len(words) > 0 {
			t.Errorf("%s = %q: English words %v", id, msg, words)
		}
	}
}

// TestGlossary: zh-CN messages use the glossary's terms, never the words it
// sets aside.
func TestGlossary(t *testing.T) {
	b, err := os.ReadFile("glossary.md")
	if err != nil {
		t.Fatal(err)
	}
	avoid := map[string]string{} // word to avoid → the term to use
	rows := 0
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") || strings.TrimSpace(cells[1]) == "English" {
			continue
		}
		rows++
		for _, w := range strings.Split(cells[3], ",") {
			if w = strings.TrimSpace(w); w != "" {
				avoid[w] = strings.TrimSpace(cells[2])
			}
		}
	}
	if rows < 40 || len(avoid) < 20 {
		t.Fatalf("glossary.md read as %d rows and %d words to avoid; is the table intact?", rows, len(avoid))
	}
	for id, msg := range messages(ZhCN) {
		for w, use := range avoid {
			if strings.Contains(msg, w) {
				t.Errorf("%s = %q uses %q; the glossary says %q", id, msg, w, use)
			}
		}
	}
}

// The source the ids are looked for in: the whole module but tests.
func sourceFiles(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..", "..")
	out := map[string]string{}
	for _, dir := range []string{"cmd", "internal", "web"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "node_modules" || d.Name() == "locales" {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(p, "_test.go") || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".html")) {
				return nil
			}
			b, err := os.ReadFile(p)
			out[p] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

var (
	// Families whose ids are built from a value: Enum("order.status", s) in
	// Go, {{enum "order.status" .Status}} in a template.
	familyUse = regexp.MustCompile(`(?:\bEnum\(|\benum )"([a-z0-9_.]+)"`)
	// Ids named in templates ({{t "id" …}}) and in Go (.T("id", …)).
	idUse = regexp.MustCompile(`(?:\bt |\.T\()"([a-z0-9_.\[\]]+)"`)
)

// TestEveryIDUsed: a catalog id nothing names is dead text that translators
// would keep maintaining. An id counts as used when the source quotes it
// exactly, or when it belongs to a family the source uses with Enum; field
// names ("field.…") are built from request paths and checked where the
// errors are made.
func TestEveryIDUsed(t *testing.T) {
	src := sourceFiles(t)
	families := map[string]bool{"field": true}
	var all strings.Builder
	for _, s := range src {
		all.WriteString(s)
		for _, m := range familyUse.FindAllStringSubmatch(s, -1) {
			families[m[1]] = true
		}
	}
	text := all.String()
	for _, id := range IDs(ZhCN) {
		if strings.Contains(text, `"`+id+`"`) {
			continue
		}
		if i := strings.LastIndex(id, "."); i > 0 && families[id[:i]] {
			continue
		}
		if strings.HasPrefix(id, "field.") {
			continue
		}
		t.Errorf("%s: no code or template uses it; delete it from the catalogs", id)
	}
}

// TestEveryUsedIDExists: every id a template or Go code names with t/T has
// a message in both languages.
func TestEveryUsedIDExists(t *testing.T) {
	zh, en := messages(ZhCN), messages(En)
	for path, s := range sourceFiles(t) {
		for _, m := range idUse.FindAllStringSubmatch(s, -1) {
			id := m[1]
			if _, ok := zh[id]; !ok {
				t.Errorf("%s: %q has no zh-CN message", path, id)
			}
			if _, ok := en[id]; !ok {
				t.Errorf("%s: %q has no en message", path, id)
			}
		}
	}
}
