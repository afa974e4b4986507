package webexapi

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A refresh token Webex rotates is written to the operator's file, so that a restart (a new
// RefreshingToken read from that file) still renews: the old refresh token is refused by then.
func TestARotatedRefreshTokenSurvivesARestart(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 3600)
	clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "refresh-token")
	require.NoError(t, os.WriteFile(path, []byte("rt-0\n"), 0o600))
	start := func() *RefreshingToken {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		return newRefreshing(t, te, clk, func(c *RefreshConfig) {
			c.RefreshToken = strings.TrimSpace(string(raw))
			c.OnRefresh = func(tok string) { require.NoError(t, SaveRefreshToken(path, tok)) }
		})
	}
	_, err := start().Token(context.Background())
	require.NoError(t, err)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "rt-1\n", string(raw), "the rotated refresh token is kept")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the file stays private")

	tok, err := start().Token(context.Background()) // the restart
	require.NoError(t, err, "after a restart the kept refresh token renews")
	assert.Equal(t, "at-2", tok)
}

func TestSaveRefreshTokenInAReadOnlyDirectoryRewritesTheFile(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere: a read-only directory cannot be simulated")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "refresh-token")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	require.NoError(t, os.Chmod(dir, 0o500))
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	require.NoError(t, SaveRefreshToken(path, "new"))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(raw))
}

func TestSaveRefreshTokenErrorsNeverShowTheToken(t *testing.T) {
	t.Parallel()
	err := SaveRefreshToken(filepath.Join(t.TempDir(), "missing-dir", "f"), "rt-secret-value")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "rt-secret-value")
}
