package conversations

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/conversations/nlu"
)

var cardNow = time.Date(2026, 6, 22, 9, 0, 0, 0, time.FixedZone("EDT", -4*3600))

func cardStep(t *testing.T, st State, in Input, now time.Time) (State, []Reply, []Effect) {
	t.Helper()
	in.Organizer, in.TimeZone = alex, "America/Toronto"
	if in.EventID == "" {
		in.EventID = "m-" + in.Text
	}
	return Step(st, in, now, Config{})
}

// summaryAt runs a typed request to its summary and returns the state and the summary card.
func summaryAt(t *testing.T) (State, map[string]any) {
	t.Helper()
	st, _, eff := cardStep(t, State{}, Input{Text: "programme une rencontre pour Jean Dupont demain à 14 h"}, cardNow)
	require.Len(t, eff, 1)
	st, replies, _ := cardStep(t, st, Input{Result: &Result{Kind: PeopleFound, People: []Person{jeanDupont}}}, cardNow)
	require.Equal(t, StageConfirm, st.Stage)
	require.NotNil(t, replies[0].Card)
	return st, replies[0].Card
}

func TestSummaryButtonOfAnOlderRevisionIsStale(t *testing.T) {
	t.Parallel()
	st, card := summaryAt(t)
	old := pressButton(t, card, "Confirmer", nil)

	st, replies, _ := cardStep(t, st, Input{Text: "plutôt à 15 h"}, cardNow)
	require.Equal(t, StageConfirm, st.Stage)
	fresh := pressButton(t, replies[0].Card, "Confirmer", nil)

	st2, replies, eff := cardStep(t, st, Input{Card: &old}, cardNow)
	assert.Empty(t, eff, "the summary it confirms is not the current one")
	assert.Contains(t, replies[0].Markdown, "déjà servi")
	assert.Equal(t, StageConfirm, st2.Stage)

	_, _, eff = cardStep(t, st, Input{Card: &fresh}, cardNow)
	require.Len(t, eff, 1)
	assert.Equal(t, CreateMeeting, eff[0].Kind)
	assert.Equal(t, 15, eff[0].Meeting.Start.Hour())
}

func TestSummaryButtonAfterExpiryCreatesNothing(t *testing.T) {
	t.Parallel()
	st, card := summaryAt(t)
	c := pressButton(t, card, "Confirmer", nil)
	st, replies, eff := cardStep(t, st, Input{Card: &c}, cardNow.Add(45*time.Minute))
	assert.Empty(t, eff)
	assert.False(t, st.Active())
	assert.Contains(t, replies[0].Markdown, "déjà servi")
}

func TestAnsweredCardIsToldKindly(t *testing.T) {
	t.Parallel()
	st, card := summaryAt(t)
	c := pressButton(t, card, "Confirmer", nil)
	c.Answered = true
	st2, replies, eff := cardStep(t, st, Input{Card: &c}, cardNow)
	assert.Empty(t, eff)
	assert.Equal(t, st.Stage, st2.Stage)
	assert.Contains(t, replies[0].Markdown, "déjà servi")
	c.Lang = nlu.English
	_, replies, _ = cardStep(t, State{}, Input{Card: &c}, cardNow)
	assert.Contains(t, replies[0].Markdown, "already used")
}

// webexCardTypes are the element and action types Webex renders (FACTS §7, the cards guide).
var webexCardTypes = map[string]bool{
	"TextBlock": true, "FactSet": true, "Container": true, "ColumnSet": true, "Column": true, "Image": true,
	"Input.Text": true, "Input.Date": true, "Input.Time": true, "Input.ChoiceSet": true, "Input.Number": true,
	"Input.Toggle": true, "Action.Submit": true, "Action.OpenUrl": true, "Action.ShowCard": true,
}

func assertWebexCard(t *testing.T, name string, card map[string]any) {
	t.Helper()
	require.NotNil(t, card, name)
	assert.Equal(t, "AdaptiveCard", card["type"], name)
	assert.Equal(t, "1.3", card["version"], name)
	var walk func(x any)
	walk = func(x any) {
		switch v := x.(type) {
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			if ty, ok := v["type"].(string); ok && ty != "AdaptiveCard" {
				assert.True(t, webexCardTypes[ty], "%s: %s is not rendered by Webex", name, ty)
			}
			for k, e := range v {
				if k == "body" || k == "actions" || k == "items" {
					for _, el := range e.([]any) {
						_, ok := el.(map[string]any)["type"]
						assert.True(t, ok, "%s: an element without type", name)
					}
				}
				if k != "data" && k != "choices" && k != "facts" {
					walk(e)
				}
			}
		}
	}
	walk(card)
	assert.LessOrEqual(t, len(card["actions"].([]any)), 5, "%s: Webex shows up to five buttons", name)
}

func TestCardsStayWithinWebexSchema(t *testing.T) {
	t.Parallel()
	for _, l := range []nlu.Lang{nlu.French, nlu.English} {
		assertWebexCard(t, "form", formCard(l, FormValues{Who: "Marie", Duration: "75"}, FieldWho, "problème"))
		for _, group := range []bool{false, true} {
			md, card := GreetingMessage(l, group, "Relais")
			assertWebexCard(t, "greeting", card)
			if group {
				assert.Contains(t, md, "@Relais")
			}
		}
	}
	_, card := summaryAt(t)
	assertWebexCard(t, "summary", card)
	_, designate := DesignateMessage(nlu.French, fakeDetails(MeetingRequest{Title: "x", Start: cardNow, End: cardNow.Add(time.Hour), Designate: jeanDupont, Organizer: alex}, 1))
	assertWebexCard(t, "designate", designate)
}

func TestFormDurationKeepsAnUnlistedLength(t *testing.T) {
	t.Parallel()
	card := formCard(nlu.French, FormValues{Duration: "75"}, "", "")
	for _, el := range card["body"].([]any) {
		m := el.(map[string]any)
		if m["id"] == FieldDuration {
			assert.Equal(t, "75", m["value"])
			choices := m["choices"].([]any)
			assert.Len(t, choices, len(durationChoices)+1)
			assert.Equal(t, "15 minutes", choices[0].(map[string]any)["title"])
			assert.True(t, strings.HasPrefix(choices[len(durationChoices)-1].(map[string]any)["title"].(string), "3 h"))
		}
	}
}

// A huge number of minutes pasted in the form's length is not understood, rather than wrapped
// around into a wrong length told back to the organizer.
func TestFormHugeDurationIsNotWrappedAround(t *testing.T) {
	t.Parallel()
	c := CardInput{Action: CardSubmitForm, Values: FormValues{Who: "jean.dupont@example.com", Date: "2026-06-23", Time: "14:00", Duration: "9999999999999999"}}
	st, replies, eff := cardStep(t, State{}, Input{Card: &c}, cardNow)
	assert.Empty(t, eff)
	assert.Equal(t, StageAskDuration, st.Stage)
	require.NotEmpty(t, replies)
	assert.Equal(t, msgFormBadDuration(nlu.French), replies[0].Markdown)
	assert.NotContains(t, replies[0].Markdown, "894488")

	c.Values.Duration = "1500"
	_, replies, _ = cardStep(t, State{}, Input{Card: &c}, cardNow)
	assert.Contains(t, replies[0].Markdown, "25 h", "a long but readable length is still told it is too long")
}

// A page pasted in the form's title (the card's maxLength is only a hint to the client) is
// still told too long, but is not kept whole in the state nor sent back whole in the form.
func TestFormHugeTitleIsBounded(t *testing.T) {
	t.Parallel()
	c := CardInput{Action: CardSubmitForm, Values: FormValues{Who: "jean.dupont@example.com", Date: "2026-06-23", Time: "14:00", Duration: "30", Title: strings.Repeat("é", 100000)}}
	st, replies, eff := cardStep(t, State{}, Input{Card: &c}, cardNow)
	assert.Empty(t, eff)
	assert.Equal(t, StageAskTitle, st.Stage)
	require.NotEmpty(t, replies)
	assert.Contains(t, replies[0].Markdown, "au plus 128")
	require.NotNil(t, st.Form)
	assert.LessOrEqual(t, runeLen(st.Form.Title), DefaultConfig().MaxMessage)
	assert.LessOrEqual(t, runeLen(st.Draft.Title), DefaultConfig().MaxMessage)
	b, err := json.Marshal(replies[0].Card)
	require.NoError(t, err)
	assert.Less(t, len(b), 10000, "the form sent back holds a bounded title")
}
