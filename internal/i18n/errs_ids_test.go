package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// errsConstructors maps each errs constructor to the position of its
// message id among its arguments.
var errsConstructors = map[string]int{"New": 2, "Invalid": 1, "NotFound": 1, "Conflict": 1, "Rule": 1, "Field": 1}

// verb is a fmt verb in a field path pattern: fmt.Sprintf("skus[%d].code", i).
var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-z]`)

// TestErrsIDsExist: every message id written as a literal where an errs
// error is made (errs.Invalid("…", "cart.full"), &errs.Error{ID: "…"}) has
// a message in both languages, and every request field an error names
// (errs.Field's path, With("field", …)), as a literal or a fmt.Sprintf
// pattern, has a label ("field.<path>", list positions as "[]"). Ids and
// paths computed at run time are checked where they are computed.
func TestErrsIDsExist(t *testing.T) {
	zh, en := messages(ZhCN), messages(En)
	need := func(where, id string) {
		if _, ok := zh[id]; !ok {
			t.Errorf("%s: %q has no zh-CN message", where, id)
		}
		if _, ok := en[id]; !ok {
			t.Errorf("%s: %q has no en message", where, id)
		}
	}
	field := func(where string, e ast.Expr) {
		path, ok := fieldPath(e)
		if !ok {
			return
		}
		need(where, "field."+index.ReplaceAllString(path, "[]"))
	}
	calls := 0
	for path, src := range sourceFiles(t) {
		if !strings.HasSuffix(path, ".go") || strings.Contains(path, "internal/errs/") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				where := fset.Position(n.Pos()).String()
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "errs" {
					if i, ok := errsConstructors[sel.Sel.Name]; ok && i < len(n.Args) {
						calls++
						if id, ok := literal(n.Args[i]); ok {
							need(where, id)
						}
						if sel.Sel.Name == "Field" {
							field(where, n.Args[0])
						}
					}
				}
				if sel.Sel.Name == "With" && len(n.Args) == 2 {
					if k, ok := literal(n.Args[0]); ok && k == "field" {
						field(where, n.Args[1])
					}
				}
			case *ast.CompositeLit:
				if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Error" {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "errs" {
						for _, el := range n.Elts {
							if kv, ok := el.(*ast.KeyValueExpr); ok {
								if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
									if id, ok := literal(kv.Value); ok {
										need(fset.Position(kv.Pos()).String(), id)
									}
								}
							}
						}
					}
				}
			}
			return true
		})
	}
	if calls < 200 {
		t.Fatalf("found only %d errs constructor calls; is the source walk broken?", calls)
	}
}

// literal is the value of a string literal.
func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// fieldPath is a field path written as a literal, or as a fmt.Sprintf
// pattern whose verbs stand for list positions ("skus[%d].code").
func fieldPath(e ast.Expr) (string, bool) {
	if s, ok := literal(e); ok {
		return s, true
	}
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return "", false
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Sprintf" {
		return "", false
	}
	pattern, ok := literal(call.Args[0])
	if !ok {
		return "", false
	}
	return verb.ReplaceAllString(pattern, "0"), true
}
