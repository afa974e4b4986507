package webextest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// FuzzLoadDirectory: the --directory file of `relais fake-webex` is read from outside; a bad
// file is an error, never a panic, and what loads is usable by a fake.
func FuzzLoadDirectory(f *testing.F) {
	f.Add([]byte(`[{"email":"zoe@example.com","displayName":"Zoé Roy","firstName":"Zoé","lastName":"Roy","timezone":"America/Toronto"}]`))
	f.Add([]byte(`[{"email":"bot@webex.bot","type":"bot"},{"email":"a@b.c","timezone":"Mars/Olympus"}]`))
	f.Add([]byte(`[{"email":"no-at-sign"}]`))
	f.Add([]byte(`{"email":"a@b.c"}`))
	f.Add([]byte(`[null, {}]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		path := filepath.Join(t.TempDir(), "people.json")
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		people, err := webextest.LoadDirectory(path)
		if err != nil {
			return
		}
		for _, p := range people {
			if !strings.Contains(p.Email, "@") {
				t.Fatalf("entry without a valid e-mail accepted: %q", p.Email)
			}
			if p.Timezone != "" {
				if _, err := time.LoadLocation(p.Timezone); err != nil {
					t.Fatalf("unknown time zone accepted: %q", p.Timezone)
				}
			}
		}
		s := webextest.New(webextest.Options{Directory: people})
		s.Close()
	})
}
