package archtest

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The table rule: a package's SQL may name only the tables it owns
// (migrations/owners.txt), so each table has one place that knows its rows
// and everyone else asks that package's service. Without it a column rename
// breaks packages nobody thought to look in, and rules such as "stock only
// changes with a ledger row" can be bypassed by any query.

// readModels may read (never write) any table: report builds the console's
// cross-domain figures, and a join there is cheaper than asking N services.
var readModels = []string{"internal/report"}

// tableExempt skips the table rule, with the reason beside each.
var tableExempt = []string{
	"internal/seed",    // bulk-loads demo and load-test rows straight into tables, for speed; not part of the shop
	"internal/loadgen", // `kaidian load` checks a shop's invariants from the database after a run; not part of the shop
	"internal/testkit", // test fixtures written straight into tables, as the tests of several domains need them; imported by tests only
}

// sharedColumns lets a package write named tables it does not own, with the
// reason beside each. Keep it empty where possible.
var sharedColumns = map[string][]string{
	// inventory's guarded single-statement UPDATEs of skus.stock/reserved/sold
	// are what keep the ledger and the stock in step (one statement, one row
	// lock); catalog owns every other column of skus.
	"internal/inventory": {"skus"},
}

// sqlRef finds table names after SQL keywords in a string literal; writes
// are the keywords that change rows.
var sqlRef = regexp.MustCompile(`(?i)\b(FROM|JOIN|INTO|UPDATE|TABLE|EXISTS)\s+"?([a-z_][a-z0-9_]*)`)

// tableUse is one place a package names a table.
type tableUse struct {
	pkg, table, where string
	write             bool
}

func TestTablesHaveOneOwner(t *testing.T) {
	root := repoRoot(t)
	owners, external := loadOwners(t, root)
	created := migrationTables(t, root)
	for _, tb := range created {
		if _, ok := owners[tb]; !ok {
			t.Errorf("table %s is created by a migration but has no owner line in migrations/owners.txt", tb)
		}
	}
	createdSet := map[string]bool{}
	for _, tb := range created {
		createdSet[tb] = true
	}
	for tb, owner := range owners {
		if !createdSet[tb] && !external[tb] {
			t.Errorf("migrations/owners.txt names %s, which no migration creates (mark it external if another library's migrations do)", tb)
		}
		if st, err := os.Stat(filepath.Join(root, filepath.FromSlash(owner))); err != nil || !st.IsDir() {
			t.Errorf("migrations/owners.txt: owner %s of %s is not a package folder", owner, tb)
		}
	}
}

func TestTablesNamedOnlyByOwner(t *testing.T) {
	root := repoRoot(t)
	owners, _ := loadOwners(t, root)
	for _, v := range tableViolations(owners, scanTables(t, root, owners)) {
		t.Error(v)
	}
}

// TestTableRuleCatchesViolations proves the checker on made-up uses.
func TestTableRuleCatchesViolations(t *testing.T) {
	owners := map[string]string{"orders": "internal/order", "skus": "internal/catalog", "shoppers": "internal/customer"}
	uses := []tableUse{
		{pkg: "internal/coupon", table: "orders", where: "a.go:1"},
		{pkg: "internal/order", table: "orders", where: "b.go:1"},
		{pkg: "internal/order/orderpg", table: "orders", where: "c.go:1"},
		{pkg: "internal/report", table: "skus", where: "d.go:1"},
		{pkg: "internal/report", table: "shoppers", where: "e.go:1", write: true},
		{pkg: "internal/inventory", table: "skus", where: "f.go:1", write: true},
		{pkg: "internal/inventory", table: "orders", where: "g.go:1"},
		{pkg: "internal/loadgen", table: "orders", where: "h.go:1"},
	}
	got := strings.Join(tableViolations(owners, uses), "\n")
	for _, want := range []string{"a.go:1", "e.go:1", "g.go:1"} {
		if !strings.Contains(got, want) {
			t.Errorf("violation at %s not reported; got:\n%s", want, got)
		}
	}
	for _, allowed := range []string{"b.go:1", "c.go:1", "d.go:1", "f.go:1", "h.go:1"} {
		if strings.Contains(got, allowed) {
			t.Errorf("allowed use at %s reported:\n%s", allowed, got)
		}
	}
	// and the scanner finds each spelling of a table in source
	src := `package x
type row struct{}
func (row) TableName() string { return "orders" }
func f(db interface{ Table(string) any; Raw(string) any; Joins(string) any; LockRow(any, string, int) }) {
	db.Table("skus k")
	db.Raw("SELECT id FROM shoppers WHERE 1 = 1")
	db.Joins("JOIN orders o ON o.id = x.order_id")
	db.Raw("UPDATE skus SET stock = 1")
	db.LockRow(nil, "shoppers", 1)
}
`
	found := scanSource(t, "internal/x/x.go", src, owners)
	var lines []string
	for _, u := range found {
		lines = append(lines, fmt.Sprintf("%s %s %v", u.where, u.table, u.write))
	}
	want := []string{
		"internal/x/x.go:3 orders true", "internal/x/x.go:5 skus false", "internal/x/x.go:6 shoppers false",
		"internal/x/x.go:7 orders false", "internal/x/x.go:8 skus true", "internal/x/x.go:9 shoppers true",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("scanner found:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestModelUsesAreFound proves the model side of the scanner: a gorm call
// given another package's model names that model's table.
func TestModelUsesAreFound(t *testing.T) {
	src := `package y

import (
	"` + module + `/internal/catalog"
	inv "` + module + `/internal/inventory"
)

func g(db any) {
	var ks []catalog.SKU
	db.Find(&ks)
	db.Create(&catalog.SKU{})
	ms := []inv.Movement{}
	db.Find(&ms)
	var mine []row
	db.Find(&mine)
	db.Where("x").Take(&catalog.Product{})
}
`
	models := map[string]string{"internal/catalog.SKU": "skus", "internal/inventory.Movement": "inventory_movements"}
	owners := map[string]string{"skus": "internal/catalog", "inventory_movements": "internal/inventory"}
	var got []string
	for _, u := range modelUses(t, "internal/y/y.go", src, models, owners) {
		got = append(got, fmt.Sprintf("%s %s %v", u.where, u.table, u.write))
	}
	want := []string{"internal/y/y.go:10 skus false", "internal/y/y.go:11 skus true", "internal/y/y.go:13 inventory_movements false"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("model uses:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if m := modelsIn(t, "internal/catalog/model.go", "package catalog\ntype SKU struct{}\nfunc (SKU) TableName() string { return \"skus\" }\n"); m["internal/catalog.SKU"] != "skus" {
		t.Errorf("modelsIn = %v", m)
	}
}

// tableViolations returns one line per use of a table outside its owner.
func tableViolations(owners map[string]string, uses []tableUse) []string {
	var out []string
	for _, u := range uses {
		owner := owners[u.table]
		switch {
		case owner == "" || within(u.pkg, owner) || inAny(u.pkg, tableExempt):
			continue
		case !u.write && inAny(u.pkg, readModels):
			continue
		}
		shared := false
		for _, tb := range sharedColumns[u.pkg] {
			shared = shared || tb == u.table
		}
		if shared {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s names table %s, owned by %s: ask %s's service instead (migrations/owners.txt)",
			u.where, u.pkg, u.table, owner, path.Base(owner)))
	}
	sort.Strings(out)
	return out
}

// scanTables finds every table named in the non-test Go source of the module.
func scanTables(t *testing.T, root string, owners map[string]string) []tableUse {
	t.Helper()
	files := map[string]string{} // repo-relative path → source
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(src)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	models := map[string]string{}
	for rel, src := range files {
		for typ, table := range modelsIn(t, rel, src) {
			models[typ] = table
		}
	}
	var uses []tableUse
	for rel, src := range files {
		uses = append(uses, scanSource(t, rel, src, owners)...)
		uses = append(uses, modelUses(t, rel, src, models, owners)...)
	}
	return uses
}

// modelsIn maps "pkg/dir.Type" to the table of each gorm model one file
// declares (a TableName method returning a literal).
func modelsIn(t *testing.T, rel, src string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), rel, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "TableName" || fn.Recv == nil || fn.Body == nil || len(fn.Body.List) != 1 {
			continue
		}
		r, ok := fn.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(r.Results) != 1 {
			continue
		}
		lit, ok := r.Results[0].(*ast.BasicLit)
		recv, ok2 := baseType(fn.Recv.List[0].Type).(*ast.Ident)
		if ok && ok2 && lit.Kind == token.STRING {
			table, _ := strconv.Unquote(lit.Value)
			out[path.Dir(rel)+"."+recv.Name] = table
		}
	}
	return out
}

// gormCalls are the gorm methods whose first argument names the model (and
// so the table) they read or write; the value says whether they write.
var gormCalls = map[string]bool{
	"Find": false, "Take": false, "First": false, "Last": false, "Scan": false, "Pluck": false,
	"Model": true, "Create": true, "Save": true, "Delete": true, "Updates": true, "FirstOrCreate": true,
}

// modelUses finds gorm calls in one file given another package's model:
// `var ks []catalog.SKU; db.Find(&ks)` names catalog's skus table as surely
// as SQL text does.
func modelUses(t *testing.T, rel, src string, models, owners map[string]string) []tableUse {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	imports := map[string]string{} // local name → module-relative dir
	for _, im := range f.Imports {
		ip, _ := strconv.Unquote(im.Path.Value)
		dir, local := strings.CutPrefix(ip, module+"/")
		if !local {
			continue
		}
		name := path.Base(dir)
		if im.Name != nil {
			name = im.Name.Name
		}
		imports[name] = dir
	}
	foreign := func(e ast.Expr) string { // the table of a foreign model type, or ""
		sel, ok := baseType(e).(*ast.SelectorExpr)
		if !ok {
			return ""
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok || imports[x.Name] == "" {
			return ""
		}
		return models[imports[x.Name]+"."+sel.Sel.Name]
	}
	vars := map[string]string{} // variable name → table of its foreign model type
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			if tb := foreign(n.Type); tb != "" {
				for _, id := range n.Names {
					vars[id.Name] = tb
				}
			}
		case *ast.AssignStmt:
			for i, r := range n.Rhs {
				if cl, ok := r.(*ast.CompositeLit); ok && i < len(n.Lhs) {
					if id, ok := n.Lhs[i].(*ast.Ident); ok && foreign(cl.Type) != "" {
						vars[id.Name] = foreign(cl.Type)
					}
				}
			}
		}
		return true
	})
	var uses []tableUse
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		write, known := gormCalls[sel.Sel.Name]
		if !known {
			return true
		}
		arg := call.Args[len(call.Args)-1] // Pluck("id", &ids) names its model elsewhere; the rest take it last
		if sel.Sel.Name != "Pluck" {
			arg = call.Args[0]
		}
		if u, ok := arg.(*ast.UnaryExpr); ok && u.Op == token.AND {
			arg = u.X
		}
		table := ""
		switch a := arg.(type) {
		case *ast.Ident:
			table = vars[a.Name]
		case *ast.CompositeLit:
			table = foreign(a.Type)
		}
		if _, owned := owners[table]; owned {
			uses = append(uses, tableUse{pkg: path.Dir(rel), table: table, write: write,
				where: fmt.Sprintf("%s:%d", rel, fset.Position(call.Pos()).Line)})
		}
		return true
	})
	return uses
}

// baseType strips pointers, slices and arrays from a type expression.
func baseType(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ArrayType:
			e = x.Elt
		default:
			return e
		}
	}
}

// scanSource finds the tables one file names: after SQL keywords in string
// literals, as the first word of a gorm Table("…") argument, as the table of
// a database LockRow call, and as what a TableName method returns (a model
// is a write: gorm can save it).
func scanSource(t *testing.T, rel, src string, owners map[string]string) []tableUse {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	pkg := path.Dir(rel)
	var uses []tableUse
	add := func(pos token.Pos, table string, write bool) {
		if _, ok := owners[table]; ok {
			uses = append(uses, tableUse{pkg: pkg, table: table, write: write,
				where: fmt.Sprintf("%s:%d", rel, fset.Position(pos).Line)})
		}
	}
	literal := func(e ast.Expr) (string, bool) {
		l, ok := e.(*ast.BasicLit)
		if !ok || l.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(l.Value)
		return s, err == nil
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Name.Name == "TableName" && n.Body != nil && len(n.Body.List) == 1 {
				if r, ok := n.Body.List[0].(*ast.ReturnStmt); ok && len(r.Results) == 1 {
					if s, ok := literal(r.Results[0]); ok {
						add(r.Pos(), s, true)
						return false
					}
				}
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "LockRow" && len(n.Args) > 1 {
				if s, ok := literal(n.Args[1]); ok {
					add(n.Pos(), s, true) // database.LockRow(ctx, "table", id): a row lock is a write
				}
			}
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Table" && len(n.Args) > 0 {
				if s, ok := literal(n.Args[0]); ok {
					if w := strings.Fields(s); len(w) > 0 {
						add(n.Pos(), w[0], false) // the chain may only read; counted as a read
					}
					return true
				}
			}
		case *ast.BasicLit:
			if s, ok := literal(n); ok {
				for _, m := range sqlRef.FindAllStringSubmatch(s, -1) {
					kw := strings.ToUpper(m[1])
					add(n.Pos(), m[2], kw != "FROM" && kw != "JOIN")
				}
			}
		}
		return true
	})
	// one use per line and table is enough to report
	seen := map[string]bool{}
	out := uses[:0]
	for _, u := range uses {
		k := u.where + " " + u.table
		if !seen[k] {
			seen[k] = true
			out = append(out, u)
		}
	}
	return out
}

// loadOwners reads migrations/owners.txt: table → owner package, and the
// tables marked external. A table listed twice fails the test.
func loadOwners(t *testing.T, root string) (map[string]string, map[string]bool) {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "migrations", "owners.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	owners, external := map[string]string{}, map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		w := strings.Fields(line)
		switch {
		case len(w) == 0:
			continue
		case len(w) > 3 || len(w) < 2 || len(w) == 3 && w[2] != "external" || !strings.HasPrefix(w[1], "internal/"):
			t.Errorf("migrations/owners.txt:%d: want `table internal/pkg [external]`, got %q", n, sc.Text())
			continue
		}
		if prev, dup := owners[w[0]]; dup {
			t.Errorf("migrations/owners.txt:%d: table %s has two owners, %s and %s", n, w[0], prev, w[1])
		}
		owners[w[0]] = w[1]
		external[w[0]] = len(w) == 3
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return owners, external
}

var createTable = regexp.MustCompile(`(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([a-z_][a-z0-9_]*)`)

// migrationTables lists every table the Up part of any migration creates,
// in either dialect, sorted.
func migrationTables(t *testing.T, root string) []string {
	t.Helper()
	set := map[string]bool{}
	for _, dialect := range []string{"postgres", "sqlite"} {
		files, err := filepath.Glob(filepath.Join(root, "migrations", dialect, "*.sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no migrations in %s: %v", dialect, err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			up, _, _ := strings.Cut(string(b), "-- +goose Down")
			for _, m := range createTable.FindAllStringSubmatch(up, -1) {
				set[strings.ToLower(m[1])] = true
			}
		}
	}
	var out []string
	for tb := range set {
		out = append(out, tb)
	}
	sort.Strings(out)
	return out
}
