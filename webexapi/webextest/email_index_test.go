package webextest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// peopleMatchingEmail must find, in directory order, every person a scan with
// strings.EqualFold finds, including e-mails that fold to ASCII from other letters.
func TestPeopleMatchingEmailFindsWhatAScanFinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	letters := []string{"a", "A", "k", "K", "\u212a", "s", "S", "\u017f", "é", "@", "."}
	word := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			b.WriteString(letters[rng.IntN(len(letters))])
		}
		return b.String()
	}
	var st state
	st.init(time.Now(), []Person{{Email: "bot@webex.bot", Type: "bot"}})
	for range 300 {
		st.addPerson(Person{Email: word()}, time.Now()) // duplicates too, as the admin may be
	}
	for range 2000 {
		q := word()
		var want []*person
		for _, p := range st.people {
			if strings.EqualFold(p.email, q) {
				want = append(want, p)
			}
		}
		var got []*person
		for _, p := range st.peopleMatchingEmail(q) {
			if strings.EqualFold(p.email, q) {
				got = append(got, p)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%q: got %d people, want %d", q, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%q: person %d differs", q, i)
			}
		}
	}
}
