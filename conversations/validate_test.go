package conversations

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestCheckTimes(t *testing.T) {
	t.Parallel()
	loc, _ := time.LoadLocation("America/Toronto")
	now := time.Date(2026, 6, 22, 9, 0, 0, 0, loc)
	at := func(d, h, m int) time.Time { return time.Date(2026, 6, d, h, m, 0, 0, loc) }
	cfg := DefaultConfig()
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       ProblemKind // "" = accepted
	}{
		{"yesterday", at(21, 10, 0), at(21, 11, 0), ProblemPastDay},
		{"earlier today", at(22, 8, 0), at(22, 9, 30), ProblemPast},
		{"right now", now, now.Add(time.Hour), ProblemPast},
		{"in 10 minutes", now.Add(10 * time.Minute), now.Add(time.Hour), ProblemTooSoon},
		{"in exactly 15 minutes", now.Add(15 * time.Minute), now.Add(time.Hour), ProblemTooSoon},
		{"in 16 minutes", now.Add(16 * time.Minute), now.Add(time.Hour), ""},
		{"in 15 minutes and 1 second", now.Add(15*time.Minute + time.Second), now.Add(time.Hour), ""},
		{"end before start", at(23, 14, 0), at(23, 13, 0), ProblemEndBefore},
		{"end equals start", at(23, 14, 0), at(23, 14, 0), ProblemEndBefore},
		{"9 minutes", at(23, 14, 0), at(23, 14, 9), ProblemTooShort},
		{"10 minutes", at(23, 14, 0), at(23, 14, 10), ""},
		{"23 h 59", at(23, 0, 0), at(23, 23, 59), ""},
		{"24 h", at(23, 0, 0), at(24, 0, 0), ProblemTooLong},
		{"next year", time.Date(2027, 1, 5, 9, 0, 0, 0, loc), time.Date(2027, 1, 5, 10, 0, 0, 0, loc), ""},
	} {
		p := checkTimes(tc.start, tc.end, now, cfg)
		if tc.want == "" {
			assert.Nil(t, p, tc.name)
			continue
		}
		if assert.NotNil(t, p, tc.name) {
			assert.Equal(t, tc.want, p.Kind, tc.name)
		}
	}
}

func TestTitleLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		title string
		ok    bool
	}{
		{string(make([]rune, 0)), true},
		{repeatRune('é', 128), true}, // characters, not bytes
		{repeatRune('é', 129), false},
		{repeatRune('a', 128), true},
	} {
		assert.Equal(t, tc.ok, runeLen(tc.title) <= DefaultConfig().MaxTitle, "%d runes", runeLen(tc.title))
	}
	assert.Equal(t, 128, runeLen(truncateRunes(repeatRune('é', 300), 128)))
}

func repeatRune(r rune, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return string(out)
}
