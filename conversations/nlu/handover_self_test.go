package nlu

import (
	"testing"
	"time"
)

// TestHandOverToSelf: handing a meeting over « à moi » / "to me" is the organizer naming
// themselves, said plainly like « pour moi »; it was taken as no one and asked again in silence.
func TestHandOverToSelf(t *testing.T) {
	t.Parallel()
	loc, _ := time.LoadLocation("America/Toronto")
	now := time.Date(2026, 6, 22, 9, 0, 0, 0, loc)
	rows := []struct {
		text    string
		forSelf bool
	}{
		{"donne la rencontre 1 à moi", true},
		{"confie-moi la rencontre 2", true},
		{"hand meeting 1 over to me", true},
		{"give it to me", true},
		{"give meeting 2 back to me", true},
		{"donne la rencontre 1 à Jean Dupont", false},
		{"donne la rencontre 1 à Moïse", false},
		{"hand meeting 1 over to John Smith", false},
	}
	for _, r := range rows {
		u := Parse(r.text, now, loc)
		if u.Intent != IntentHandOver || u.ForSelf != r.forSelf {
			t.Errorf("Parse(%q): intent %s forSelf %v; want handOver %v", r.text, u.Intent, u.ForSelf, r.forSelf)
		}
	}
}
