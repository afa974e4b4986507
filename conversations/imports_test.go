package conversations

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPurity holds the package's promise: no I/O, no clock, no Webex.
func TestPurity(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{
		"fmt": true, "strings": true, "strconv": true, "time": true, "unicode": true, "unicode/utf8": true,
		"sync": true, // the cache of loaded time zones only
		"github.com/relaisbot/relais/conversations/nlu": true,
		"github.com/relaisbot/relais/rrule":             true, // pure: recurrence rules
	}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			assert.True(t, allowed[path], "%s imports %s", name, path)
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, banned := range []string{"time.Now(", "time.Since(", "time.Until(", "time." + "Sleep("} {
			assert.NotContains(t, string(src), banned, name)
		}
	}
}
