package nlu

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// checkInvariants holds for any input: no panic (the caller would crash), valid clocks and
// days, non-negative lengths, a known intent and language.
func checkInvariants(t *testing.T, text string, u Understanding) {
	t.Helper()
	for _, c := range []*Clock{u.Time, u.End} {
		if c != nil && (c.Hour < 0 || c.Hour > 23 || c.Minute < 0 || c.Minute > 59) {
			t.Fatalf("Parse(%q): clock out of range %+v", text, *c)
		}
	}
	if d := u.Date; d != nil && !d.IsWeekday && (d.Month < 0 || d.Month > 12 || d.Day < 1 || d.Day > 31) {
		t.Fatalf("Parse(%q): day out of range %+v", text, *d)
	}
	if u.Duration < 0 || u.Duration > maxDuration {
		t.Fatalf("Parse(%q): duration %v", text, u.Duration)
	}
	if u.Number < 0 {
		t.Fatalf("Parse(%q): number %d", text, u.Number)
	}
	if u.Lang != French && u.Lang != English {
		t.Fatalf("Parse(%q): language %q", text, u.Lang)
	}
	switch u.Intent {
	case IntentSchedule, IntentHelp, IntentList, IntentCancel, IntentResend, IntentAbort, IntentConfirm, IntentDeny, IntentUnknown:
	default:
		t.Fatalf("Parse(%q): intent %q", text, u.Intent)
	}
	if !utf8.ValidString(u.Designate) || !utf8.ValidString(u.Title) {
		if utf8.ValidString(text) {
			t.Fatalf("Parse(%q): invalid UTF-8 out of valid input", text)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range phrases {
		f.Add(p.text)
	}
	for _, s := range []string{"", "«", "« »", "\"", "'", "le 31/02", "99h99", "de 25 h à 26 h", "dans 99999999 heures",
		"@", "a@b.c", "pour pour pour", "1-2", "2026-13-45", "\xff\xfe", "le 29 février 2027", "titre :", "entre et"} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 3, 7, 23, 59, 30, 0, loc)
	f.Fuzz(func(t *testing.T, text string) {
		u := Parse(text, now, loc)
		checkInvariants(t, text, u)
		if start, ok := u.Start(now, loc); ok {
			if d, ok := u.Length(start); ok && d <= 0 {
				t.Fatalf("Parse(%q): length %v", text, d)
			}
		}
		if text == "" {
			return
		}
		long := strings.Repeat(text+" ", 10_000/(len(text)+1)+1)
		checkInvariants(t, "(repeated) "+text, Parse(long, now, loc))
	})
}

// TestLongInputIsBounded checks that the cap holds: a pasted novel is read like its first
// kilobyte, so its cost is bounded by the cost of 1,000 bytes.
func TestLongInputIsBounded(t *testing.T) {
	t.Parallel()
	loc := toronto(t)
	now := ref(t, wed)
	head := "programme une rencontre pour Marie demain à 14h "
	long := head + strings.Repeat("de 13 h à pour « le 23/06 ", 2000)
	u := Parse(long, now, loc)
	checkInvariants(t, "long", u)
	if u.Intent != IntentSchedule || u.Designate != "Marie" {
		t.Errorf("long message: %+v", u)
	}
	// Truncation never splits a rune.
	accents := strings.Repeat("é", 3000)
	checkInvariants(t, "accents", Parse(accents, now, loc))
	// The part past the cap is not read.
	tail := strings.Repeat(" ", maxScan) + "aide"
	if got := Parse(tail, now, loc).Intent; got != IntentUnknown {
		t.Errorf("text past the cap was read: %s", got)
	}
}

func TestNeverConfused(t *testing.T) {
	t.Parallel()
	loc := toronto(t)
	now := ref(t, wed)
	for _, text := range []string{
		"programme une rencontre pour demain à 10 h",
		"programme une rencontre pour lundi",
		"programme une rencontre pour une heure demain à 10 h",
		"programme une rencontre pour l'équipe demain à 10 h",
		"schedule a meeting for 45 minutes tomorrow at 10am",
		"schedule a meeting for next Tuesday at 10am",
		"schedule a meeting for an hour tomorrow at 10am",
		"programme une rencontre pour moi demain",
		"programme une rencontre pour discuter du budget demain à 10 h",
	} {
		if u := Parse(text, now, loc); u.Designate != "" {
			t.Errorf("Parse(%q): designate %q", text, u.Designate)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 6, 17, 9, 15, 0, 0, loc)
	const msg = "@Relais programme une rencontre pour Marie Tremblay demain à 14 h 30 pendant 1 h titre : Revue du budget"
	b.ReportAllocs()
	for b.Loop() {
		Parse(msg, now, loc)
	}
}
