package bot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOneClock holds clock.go's rule: the wall clock is read in clock.go only; everything else
// asks the bot's clock.
func TestOneClock(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "clock.go" {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, banned := range []string{"time.Now(", "time.Since(", "time.Until("} {
			assert.NotContains(t, string(src), banned, name)
		}
	}
}
