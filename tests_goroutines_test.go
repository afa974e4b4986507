package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoFailNowOutsideTheTestGoroutine reads every test file: require.* and t.Fatal/FailNow/
// Skip stop the goroutine that calls them, so called from a goroutine the test started (a go
// statement) or from an HTTP handler (the server's goroutine) they leave the test running, or
// hang it. There, tests use assert.* or t.Error and send the failure back.
func TestNoFailNowOutsideTheTestGoroutine(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	var found []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		found = append(found, failNowOffTheTestGoroutine(fset, f)...)
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, found, "require or t.Fatal on another goroutine than the test's")
}

// failNowOffTheTestGoroutine lists the calls that stop a goroutine, written inside a go
// statement or an HTTP handler (a function whose first parameter is an http.ResponseWriter).
func failNowOffTheTestGoroutine(fset *token.FileSet, f *ast.File) []string {
	var out []string
	report := func(body ast.Node, where string) {
		ast.Inspect(body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			x, _ := sel.X.(*ast.Ident)
			switch {
			case x != nil && x.Name == "require",
				sel.Sel.Name == "FailNow", sel.Sel.Name == "Fatal", sel.Sel.Name == "Fatalf",
				sel.Sel.Name == "SkipNow", sel.Sel.Name == "Skip", sel.Sel.Name == "Skipf":
				out = append(out, fset.Position(call.Pos()).String()+" ("+where+")")
			}
			return true
		})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			report(n.Call, "go statement")
			return false
		case *ast.FuncLit:
			if httpHandler(n.Type) {
				report(n.Body, "HTTP handler")
				return false
			}
		case *ast.FuncDecl:
			if httpHandler(n.Type) && n.Body != nil {
				report(n.Body, "HTTP handler "+n.Name.Name)
				return false
			}
		}
		return true
	})
	return out
}

func httpHandler(ft *ast.FuncType) bool {
	if ft.Params == nil || len(ft.Params.List) == 0 {
		return false
	}
	sel, ok := ft.Params.List[0].Type.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "http" && sel.Sel.Name == "ResponseWriter"
}
