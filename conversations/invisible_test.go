package conversations

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/conversations/nlu"
)

// invisibles are characters a reader cannot see that change how text reads: a right-to-left
// override (« Paie‮fdp.exe » reads « Paieexe.pdf »), isolates, marks, zero-width characters.
var invisibles = []string{"\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069",
	"\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}

func hasInvisible(s string) bool {
	for _, c := range invisibles {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

func TestNamesAndTitlesLoseInvisibleFormatting(t *testing.T) {
	t.Parallel()
	for _, c := range invisibles {
		assert.Equal(t, "Paiefdp.exe", StripInvisible("Paie"+c+"fdp.exe"), "%U", []rune(c)[0])
		assert.False(t, hasInvisible(Escape("Marie"+c+" Tremblay")), "%U", []rune(c)[0])
	}
	assert.Equal(t, "Réunion d'équipe 🙂", StripInvisible("Réunion d'équipe 🙂"), "visible text is kept")

	// A title typed with an override: the summary and the meeting Webex creates have none.
	now := at(t, monday)
	st, _, _ := Step(State{}, msg("programme une rencontre pour Jean Dupont demain à 14 h, titre : Paie\u202efdp.exe"), now, Config{})
	st, replies, _ := Step(st, result(Result{Kind: PeopleFound, People: []Person{jeanDupont}}), now, Config{})
	require.Equal(t, StageConfirm, st.Stage)
	require.NotEmpty(t, replies)
	for _, r := range replies {
		assert.False(t, hasInvisible(r.Markdown), r.Markdown)
	}
	assert.Equal(t, "Paiefdp.exe", st.Draft.Title)
	_, _, eff := Step(st, msg("oui"), now, Config{})
	require.Len(t, eff, 1)
	require.NotNil(t, eff[0].Meeting)
	assert.False(t, hasInvisible(eff[0].Meeting.Title))

	// A name read from Webex with an override: the designate's message shows none.
	spoof := Person{Email: "x@exemple.ca", DisplayName: "Alex\u202e nitraM", FirstName: "Al\u2066ex"}
	d := fakeDetails(MeetingRequest{Title: "T\u200bitre", Start: now.Add(2 * time.Hour), End: now.Add(3 * time.Hour), TimeZone: "America/Toronto", Designate: spoof, Organizer: spoof}, 1)
	for _, l := range []nlu.Lang{nlu.French, nlu.English} {
		markdown, card := DesignateMessage(l, d)
		assert.False(t, hasInvisible(markdown), markdown)
		raw, err := json.Marshal(card)
		require.NoError(t, err)
		var decoded any
		require.NoError(t, json.Unmarshal(raw, &decoded))
		again, _ := json.Marshal(decoded)
		assert.False(t, hasInvisible(string(raw)) || hasInvisible(fmt.Sprint(decoded)), string(again))
	}
}

// A title given in the form, not typed, loses its override too before the meeting is created.
func TestFormTitleLosesInvisibleCharacters(t *testing.T) {
	t.Parallel()
	c := CardInput{Action: CardSubmitForm, Values: FormValues{Who: "Jean Dupont", Date: "2026-06-23", Time: "14:00", Duration: "30", Title: "Paie\u202efdp.exe"}}
	st, _, _ := cardStep(t, State{}, Input{Card: &c}, cardNow)
	st, _, _ = cardStep(t, st, Input{Result: &Result{Kind: PeopleFound, People: []Person{jeanDupont}}}, cardNow)
	require.Equal(t, StageConfirm, st.Stage)
	assert.Equal(t, "Paiefdp.exe", st.Draft.Title)
	_, _, eff := cardStep(t, st, Input{Text: "oui"}, cardNow)
	require.Len(t, eff, 1)
	require.NotNil(t, eff[0].Meeting)
	assert.Equal(t, "Paiefdp.exe", eff[0].Meeting.Title)
}
