package webexapi

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SaveRefreshToken writes a rotated refresh token to path, the secret file the operator named
// (WEBEX_MEETINGS_REFRESH_TOKEN_FILE), so that the credential survives a restart: Webex may
// hand out a new refresh token at each renewal and stop accepting the old one. The file is
// replaced atomically when its directory is writable, else rewritten in place; it is left
// untouched when it already holds token. The token never appears in the error.
func SaveRefreshToken(path, token string) error {
	if path == "" || token == "" {
		return errors.New("save refresh token: no file or no token")
	}
	if old, err := os.ReadFile(path); err == nil && strings.TrimSpace(string(old)) == token {
		return nil
	}
	mode := os.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".refresh-token-*")
	if err == nil {
		name := tmp.Name()
		_, werr := tmp.WriteString(token + "\n")
		cerr := tmp.Close()
		if werr == nil && cerr == nil && os.Chmod(name, mode) == nil && os.Rename(name, path) == nil {
			return nil
		}
		_ = os.Remove(name)
	}
	// A directory we cannot write to (a mounted file): rewrite the file itself.
	if err := os.WriteFile(path, []byte(token+"\n"), mode); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("save refresh token to %s: %w", path, err)
	}
	return nil
}
