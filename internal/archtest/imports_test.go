// Package archtest holds tests about the shape of the repository rather than
// its behaviour: which packages may import which (domain packages
// below the HTTP faces, plumbing below the domain, domain packages in
// tiers), which tables each package's SQL may name (tables_test.go) and
// which entries the top level may hold. They parse
// source files only, so they run in milliseconds and fail in CI the moment a
// change breaks the layering, before review has to notice.
package archtest

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/kaidian/kaidian"

// Package groups, as paths relative to the module. A name that does not
// exist yet is fine: the rules apply the day it appears. A group matches the
// package itself and everything beneath it (internal/wechat/sandbox is in
// "internal/wechat").
var (
	// domain packages: business rules, no HTTP, no templates, no WeChat code.
	domain = concat(domainTiers...)
	// faces: the front ends (HTTP, and the background-job workers); none imports another.
	faces = []string{"internal/mpapi", "internal/console", "internal/webhook", "internal/worker"}
	// plumbing: generic libraries with no business knowledge.
	plumbing = []string{
		"internal/config", "internal/database", "internal/httpx", "internal/errs",
		"internal/page", "internal/metrics", "internal/jobs", "internal/money", "internal/clock",
		"internal/i18n", "internal/shortcode", "internal/batch",
	}
	// outside: code that speaks to WeChat (the clients and the local fake);
	// it knows WeChat's wire formats, never the shop's rules or tables.
	outside = []string{"internal/wechat"}
	// wiring: the one package that knows every other and connects them.
	wiring = []string{"internal/app"}
	// exempt lists packages the group rules skip on purpose, with the reason
	// kept beside them.
	exempt = []string{
		"internal/seed",    // builds the demo shop through the domain services; not a domain itself
		"internal/loadgen", // `kaidian load`: an HTTP client of running shops with database checks; not part of the shop
		"internal/testkit", // helpers and fixtures the domain packages' tests share; imported by tests only
	}
)

// domainTiers orders the domain packages, lowest first: a domain package
// imports only packages of lower tiers, so the order of calls is fixed and
// no cycle can start. When a lower package must ask a higher one (coupon
// counting orders), it declares an interface the higher one satisfies and
// internal/app passes it in. Inventory sits below catalog because a new SKU's
// stock goes through the ledger in the catalog's own transaction. Cart and
// address sit above order: they satisfy the interfaces order declares for
// checkout (order.Cart, order.AddressBook) with order's own types, so order
// never imports them and the app needs no adapter.
var domainTiers = [][]string{
	{"internal/audit", "internal/upload"},
	{"internal/setting", "internal/customer", "internal/staff", "internal/coupon", "internal/inventory",
		"internal/channel", "internal/promoter"}, // promoters and channels: sources of traffic, below everything that credits them
	{"internal/subscribe"}, // subscribe messages: order, payment and later kinds emit into it
	{"internal/auth", "internal/catalog"},
	{"internal/favorite", "internal/footprint"}, // a shopper's saved and viewed products, over the catalog
	{"internal/flashsale", "internal/catalogio", "internal/search"},
	{"internal/share"},       // share cards and mini-program codes, over products, flash sales and coupons
	{"internal/attribution"}, // visits, bindings and the source an order is credited to
	{"internal/order", "internal/home"},
	{"internal/payment", "internal/shipping", "internal/cart", "internal/address", "internal/review"},
	// Coupons friends give each other, over coupons, share references and masked names (review).
	{"internal/couponshare"},
	{"internal/couponpack"}, // lucky coupon packs: coupons made at grab time, given when payment says an order was paid
	// Gift cards: orders of kind gift_card, and the balance spent on goods.
	{"internal/giftcard"},
	{"internal/commission"}, // the promoters' ledger, fed by payments and refunds
	{"internal/report"},     // read models across domains
}

// tierOf returns the tier of a domain package, or -1.
func tierOf(pkg string) int {
	for i, tier := range domainTiers {
		if inAny(pkg, tier) {
			return i
		}
	}
	return -1
}

// rule forbids packages in From from importing anything that matches Deny.
// A Deny entry starting with "internal/" is a module-relative group
// ("internal/wechat" covers internal/wechat/sandbox); any other entry is an
// import path, matched with everything beneath it ("net/http" covers
// net/http/httputil, "github.com/gin-gonic/gin" covers its subpackages).
// To add a rule, append to rules(); to add a package, put it in a group.
type rule struct {
	Name string
	From []string
	Deny []string
	// SameGroupOK allows imports between members of From (false for faces,
	// which must not import each other).
	SameGroupOK bool
}

func rules() []rule {
	return []rule{
		{
			Name: "domain packages import no HTTP, templates, WeChat code or faces",
			From: domain,
			Deny: concat([]string{
				"github.com/gin-gonic/gin", "net/http", "html/template",
				"internal/wechat", "internal/app",
			}, faces),
			SameGroupOK: true,
		},
		{
			Name: "HTTP faces do not import each other",
			From: faces,
			Deny: faces,
		},
		{
			Name:        "WeChat code imports no domain or face package",
			From:        outside,
			Deny:        concat(domain, faces, exempt, wiring),
			SameGroupOK: true,
		},
		{
			Name:        "plumbing imports no domain or face package",
			From:        plumbing,
			Deny:        concat(domain, faces, exempt, []string{"internal/app", "internal/wechat", "internal/worker"}),
			SameGroupOK: true,
		},
	}
}

// appImporters may import internal/app: the binary and app's own subpackages
// (internal/app/apptest boots the app for end-to-end tests).
var appImporters = []string{"cmd", "internal/app"}

func TestDependencyDirection(t *testing.T) {
	pkgs := loadImports(t)
	if _, ok := pkgs["internal/app"]; !ok {
		t.Fatalf("internal/app not found among %d packages: is the test running from its own folder?", len(pkgs))
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

// TestRulesCatchViolations proves the checker on a made-up tree: each
// forbidden edge is reported, each allowed one is not.
func TestRulesCatchViolations(t *testing.T) {
	imp := func(paths ...string) []importRef {
		var refs []importRef
		for _, p := range paths {
			refs = append(refs, importRef{path: p, file: "x.go"})
		}
		return refs
	}
	pkgs := map[string][]importRef{
		"internal/order":          imp("net/http", module+"/internal/inventory", "context"),
		"internal/payment":        imp(module + "/internal/wechat/sandbox"),
		"internal/cart":           imp("github.com/gin-gonic/gin/binding"),
		"internal/console":        imp(module+"/internal/mpapi", module+"/internal/order", "html/template"),
		"internal/mpapi/form":     imp(module + "/internal/mpapi"),
		"internal/httpx":          imp(module+"/internal/errs", module+"/internal/catalog"),
		"internal/jobs":           imp(module + "/internal/seed"),
		"internal/wechat/x":       imp(module + "/internal/app"),
		"internal/app/apptest":    imp(module + "/internal/app"),
		"cmd/kaidian":             imp(module + "/internal/app"),
		"internal/order/orderpg":  imp("net/url"),
		"internal/seed":           imp(module + "/internal/testkit"),
		"internal/wechat/sandbox": imp(module+"/internal/order", module+"/internal/database"),
		"internal/coupon":         imp(module+"/internal/order", module+"/internal/audit"),
		"internal/flashsale/x":    imp(module+"/internal/order", module+"/internal/catalog", module+"/internal/flashsale"),
	}
	got := strings.Join(violations(pkgs), "\n")
	for _, want := range []string{
		`internal/order imports "net/http"`,
		`internal/payment imports "` + module + `/internal/wechat/sandbox"`,
		`internal/cart imports "github.com/gin-gonic/gin/binding"`,
		`internal/console imports "` + module + `/internal/mpapi"`,
		`internal/httpx imports "` + module + `/internal/catalog"`,
		`internal/jobs imports "` + module + `/internal/seed"`,
		`internal/wechat/x imports "` + module + `/internal/app"`,
		`internal/seed imports "` + module + `/internal/testkit"`,
		`internal/wechat/sandbox imports "` + module + `/internal/order"`,
		`internal/coupon imports "` + module + `/internal/order", which is not in a lower tier`,
		`internal/flashsale/x imports "` + module + `/internal/order", which is not in a lower tier`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("violation not reported: %s\ngot:\n%s", want, got)
		}
	}
	for _, allowed := range []string{
		"/internal/inventory\"", "\"html/template\"", "internal/console imports \"" + module + "/internal/order\"", "/internal/errs\"",
		"internal/mpapi/form", "internal/app/apptest", "cmd/kaidian", "net/url",
		"/internal/database\"", "/internal/audit\"", "internal/flashsale/x imports \"" + module + "/internal/catalog\"", "/internal/flashsale\"",
	} {
		if strings.Contains(got, allowed) {
			t.Errorf("allowed edge reported (%s):\n%s", allowed, got)
		}
	}
}

// violations applies every rule to pkgs (package → its imports) and returns
// one line per forbidden edge, sorted.
func violations(pkgs map[string][]importRef) []string {
	var out []string
	for pkg, imports := range pkgs {
		for _, imp := range imports {
			rel, local := strings.CutPrefix(imp.path, module+"/")
			if from, to := tierOf(pkg), tierOf(rel); local && from >= 0 && to >= from && !within(rel, pkg) && !within(pkg, rel) {
				out = append(out, fmt.Sprintf("%s: %s imports %q, which is not in a lower tier (domainTiers)", imp.file, pkg, imp.path))
			}
			if local && within(rel, "internal/app") && !inAny(pkg, appImporters) {
				out = append(out, fmt.Sprintf("%s: %s imports %q; only cmd/ and internal/app wire the application", imp.file, pkg, imp.path))
			}
			if local && within(rel, "internal/testkit") { // only _test.go files, which are not read here
				out = append(out, fmt.Sprintf("%s: %s imports %q; only tests use internal/testkit", imp.file, pkg, imp.path))
			}
			for _, r := range rules() {
				if !inAny(pkg, r.From) || inAny(pkg, exempt) {
					continue
				}
				for _, deny := range r.Deny {
					if denied(pkg, imp.path, deny, r) {
						out = append(out, fmt.Sprintf("%s: %s imports %q (rule: %s)", imp.file, pkg, imp.path, r.Name))
						break
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// denied reports whether pkg importing path breaks the deny entry of r.
func denied(pkg, path, deny string, r rule) bool {
	if !strings.HasPrefix(deny, "internal/") {
		return within(path, deny) // a standard or third-party import path
	}
	rel, local := strings.CutPrefix(path, module+"/")
	switch {
	case !local || !within(rel, deny):
		return false
	case within(pkg, deny):
		return false // a package may use its own subpackages and parent
	case r.SameGroupOK && inAny(rel, r.From):
		return false
	}
	return true
}

// TestRuleTableSelfCheck keeps the table honest: a package may sit in one
// group only, and every group name is a module-relative path.
func TestRuleTableSelfCheck(t *testing.T) {
	seen := map[string]string{}
	for name, group := range groups() {
		for _, p := range group {
			if !strings.HasPrefix(p, "internal/") || strings.HasSuffix(p, "/") {
				t.Errorf("%s: %q is not a module-relative package path", name, p)
			}
			if other, dup := seen[p]; dup {
				t.Errorf("%q is in both %s and %s", p, other, name)
			}
			seen[p] = name
		}
	}
}

// groups names every group of the table.
func groups() map[string][]string {
	return map[string][]string{"domain": domain, "faces": faces, "plumbing": plumbing,
		"outside": outside, "wiring": wiring, "exempt": exempt}
}

// TestEveryPackageHasAGroup fails on a package under internal/ that no group
// holds, so a new package is placed (and its imports checked) the day it
// appears rather than slipping past every rule.
func TestEveryPackageHasAGroup(t *testing.T) {
	for _, pkg := range ungrouped(loadImports(t)) {
		t.Errorf("%s is in no group of internal/archtest/imports_test.go: add it to one (domain, faces, plumbing, outside, wiring or exempt)", pkg)
	}
	if got := ungrouped(map[string][]importRef{"internal/newthing": nil, "internal/order/x": nil, "cmd/kaidian": nil}); len(got) != 1 || got[0] != "internal/newthing" {
		t.Errorf("ungrouped on a made-up tree = %v, want [internal/newthing]", got)
	}
}

// ungrouped lists the packages under internal/ that no group holds.
func ungrouped(pkgs map[string][]importRef) []string {
	var all, out []string
	for _, g := range groups() {
		all = append(all, g...)
	}
	for pkg := range pkgs {
		if within(pkg, "internal") && !inAny(pkg, all) {
			out = append(out, pkg)
		}
	}
	sort.Strings(out)
	return out
}

// allowedTop is the top level the design fixes; dotfiles are allowed too.
var allowedTop = []string{
	"cmd", "api", "internal", "web", "migrations",
	"go.mod", "go.sum", "Dockerfile", "docker-compose.yml", "README.md", "LICENSE",
}

func TestTopLevelLayout(t *testing.T) {
	root := repoRoot(t)
	names := trackedTopLevel(t, root)
	allowed := map[string]bool{}
	for _, n := range allowedTop {
		allowed[n] = true
	}
	for _, n := range names {
		if strings.HasPrefix(n, ".") || allowed[n] {
			continue
		}
		t.Errorf("top level has %q; the design allows only %s and dotfiles", n, strings.Join(allowedTop, " "))
	}
}

// trackedTopLevel lists the repository's top-level entries: what git tracks
// when git is there (so build output and ./data in a working copy do not
// count), else what is on disk, less the untracked data folder.
func trackedTopLevel(t *testing.T, root string) []string {
	t.Helper()
	set := map[string]bool{}
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil && len(out) > 0 {
		for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
			set[strings.SplitN(f, "/", 2)[0]] = true
		}
	} else {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != "data" {
				set[e.Name()] = true
			}
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

type importRef struct {
	path string // the imported path
	file string // repo-relative file that imports it
}

// loadImports parses the imports of every non-test .go file in the module
// (internal/ and beside it, so cmd/, api/ and web/ are held to the
// internal/app rule too), keyed by module-relative package directory
// ("internal/order"). Test files may import what they need.
func loadImports(t *testing.T) map[string][]importRef {
	t.Helper()
	root := repoRoot(t)
	fset := token.NewFileSet()
	pkgs := map[string][]importRef{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			n := d.Name()
			if p != root && (n == "testdata" || n == "data" && filepath.Dir(p) == root ||
				strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		pkg := path.Dir(rel)
		if _, ok := pkgs[pkg]; !ok {
			pkgs[pkg] = nil
		}
		for _, s := range f.Imports {
			ip, err := strconv.Unquote(s.Path.Value)
			if err != nil {
				return err
			}
			pkgs[pkg] = append(pkgs[pkg], importRef{path: ip, file: rel})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// repoRoot is two levels up from this package (internal/archtest).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found at %s: %v", root, err)
	}
	return root
}

// within reports whether pkg is group or beneath it.
func within(pkg, group string) bool {
	return pkg == group || strings.HasPrefix(pkg, group+"/")
}

func inAny(pkg string, groups []string) bool {
	for _, g := range groups {
		if within(pkg, g) {
			return true
		}
	}
	return false
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
