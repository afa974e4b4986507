package conversations

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// TestTitleLimit drives the dialogue with titles typed by a person: Webex counts a title's
// characters, not its bytes, so 128 « é » (256 bytes) is accepted as typed and 129 is refused
// with the count a person would make.
func TestTitleLimit(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	for _, tc := range []struct {
		name  string
		title string
		ok    bool
	}{
		{"128 accented characters", repeatRune('é', 128), true},
		{"128 ASCII characters", repeatRune('a', 128), true},
		{"128 characters outside the BMP", repeatRune('😀', 128), true},
		{"129 accented characters", repeatRune('é', 129), false},
		{"129 ASCII characters", repeatRune('a', 129), false},
	} {
		st := toSummary(t, now)
		st, replies, eff := Step(st, msg("titre : "+tc.title), now, Config{})
		require.Empty(t, eff, tc.name)
		require.NotEmpty(t, replies, tc.name)
		if !tc.ok {
			assert.Equal(t, StageAskTitle, st.Stage, tc.name)
			assert.Contains(t, replies[0].Markdown, "Le titre compte 129 caractères ; Webex en accepte au plus 128.", tc.name)
			continue
		}
		require.Equal(t, StageConfirm, st.Stage, tc.name)
		_, _, eff = Step(st, msg("oui"), now, Config{})
		require.Len(t, eff, 1, tc.name)
		require.Equal(t, CreateMeeting, eff[0].Kind, tc.name)
		assert.Equal(t, tc.title, eff[0].Meeting.Title, tc.name)
	}
}

// TestDefaultTitleIsCutInCharacters: a designate whose name makes the default title too long
// gets a title of 128 characters that ends with « … », never a split character.
func TestDefaultTitleIsCutInCharacters(t *testing.T) {
	t.Parallel()
	cut := truncateRunes(repeatRune('é', 300), 128)
	assert.Equal(t, repeatRune('é', 127)+"…", cut)
	assert.True(t, utf8.ValidString(truncateRunes("a"+repeatRune('😀', 200), 10)))
	assert.Equal(t, "a"+repeatRune('😀', 8)+"…", truncateRunes("a"+repeatRune('😀', 200), 10))
}

func repeatRune(r rune, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return string(out)
}

// TestOneWordTitleAnswerKeepsTheDesignate: asked for a title, a person answers with one
// capitalized word (« Bilan »); it is the title, not a new designate.
func TestOneWordTitleAnswerKeepsTheDesignate(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	for _, answer := range []string{"Bilan", "« Rétrospective »", repeatRune('é', 128)} {
		st := toSummary(t, now)
		st, _, _ = Step(st, msg("titre : "+repeatRune('é', 129)), now, Config{})
		require.Equal(t, StageAskTitle, st.Stage)
		st, replies, eff := Step(st, msg(answer), now, Config{})
		require.Empty(t, eff, "%s: no directory search", answer)
		require.Equal(t, StageConfirm, st.Stage, "%s: %v", answer, replies)
		require.NotNil(t, st.Draft.Designate)
		assert.Equal(t, jeanDupont.Email, st.Draft.Designate.Email, answer)
		assert.Equal(t, strings.Trim(answer, "« »"), st.Draft.Title)
	}
	// Naming someone with « pour » still changes the designate.
	st := toSummary(t, now)
	st, _, _ = Step(st, msg("titre : "+repeatRune('é', 129)), now, Config{})
	st, _, eff := Step(st, msg("en fait pour Marie Tremblay"), now, Config{})
	require.Len(t, eff, 1)
	assert.Equal(t, ResolvePerson, eff[0].Kind)
	assert.Nil(t, st.Draft.Designate)
}
