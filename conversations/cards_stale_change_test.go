package conversations

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/conversations/nlu"
)

// changeSummaryAt runs « déplace la rencontre 1 à jeudi 15 h » to its summary (the ledger holds
// one meeting, Tuesday 11:00) and returns the state, the summary's replies, how to say the next
// line, and now.
func changeSummaryAt(t *testing.T) (State, []Reply, func(string) Input, time.Time) {
	t.Helper()
	now := mustTime(t, monday)
	in := func(text string) Input {
		return Input{Text: text, EventID: "e-" + text, Organizer: alex, TimeZone: "America/Toronto"}
	}
	ledger := []MeetingSummary{{Ref: "ledger-1", Title: "Comité", Start: now.Add(26 * time.Hour), End: now.Add(27 * time.Hour),
		TimeZone: "America/Toronto", Designate: marieTremblay}}
	st, _, eff := Step(State{}, in("déplace la rencontre 1 à jeudi 15 h"), now, Config{})
	require.Len(t, eff, 1)
	require.Equal(t, ListMeetings, eff[0].Kind)
	st, replies, _ := Step(st, Input{Result: &Result{Kind: MeetingsListed, Meetings: ledger}, Organizer: alex, TimeZone: "America/Toronto"}, now, Config{})
	require.Equal(t, StageConfirmChange, st.Stage)
	require.Len(t, replies, 1)
	return st, replies, in, now
}

// TestStaleChangeCardToldAboutTheChange: a stale press of a change summary's button (pressed
// before, or of an older version of the change) is told about the change, in its own words,
// never « Rien n'a été programmé en double », which is about new meetings.
func TestStaleChangeCardToldAboutTheChange(t *testing.T) {
	t.Parallel()
	st, replies, in, now := changeSummaryAt(t)
	require.NotNil(t, replies[0].Card)
	old := pressButton(t, replies[0].Card, "Confirmer", nil)

	// An older version of the change: the person corrected it since.
	st, _, _ = Step(st, in("plutôt à 16 h"), now, Config{})
	require.Equal(t, StageConfirmChange, st.Stage)
	_, replies, eff := Step(st, Input{Card: &old, Organizer: alex, TimeZone: "America/Toronto"}, now, Config{})
	assert.Empty(t, eff)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "ce changement a expiré")
	assert.NotContains(t, replies[0].Markdown, "programmé en double")

	// Pressed before, in English.
	old.Answered, old.Lang = true, nlu.English
	_, replies, eff = Step(State{}, Input{Card: &old, Organizer: alex, TimeZone: "America/Toronto"}, now, Config{})
	assert.Empty(t, eff)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "this change has expired")
	assert.NotContains(t, replies[0].Markdown, "scheduled twice")

	// A new meeting's summary keeps its words.
	_, card := summaryAt(t)
	c := pressButton(t, card, "Confirmer", nil)
	c.Answered = true
	_, replies, _ = cardStep(t, State{}, Input{Card: &c}, cardNow)
	assert.Contains(t, replies[0].Markdown, "Rien n'a été programmé en double")
}
