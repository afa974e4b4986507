package conversations

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A state stored by the version before cards, series, changes and own accounts (its JSON, as it
// was written then) still loads after the upgrade, and its dialogue goes on: a typed « oui »
// creates the meeting shown, and a card button pressed on it (a client showing an older card)
// is told stale rather than acting on a summary it did not show.
func TestStateStoredBeforeTheUpgradeStillWorks(t *testing.T) {
	t.Parallel()
	const stored = `{"stage":"confirm","lang":"fr","dialogueId":"ev-1","lastActive":"2026-06-22T12:55:00Z","revision":2,` +
		`"draft":{"query":"Jean Dupont","designate":{"email":"jean.dupont@exemple.ca","displayName":"Jean Dupont","firstName":"Jean","lastName":"Dupont"},` +
		`"title":"Suivi","date":{"year":2026,"month":6,"day":23},"time":{"hour":14,"minute":0},"duration":1800000000000}}`
	var st State
	require.NoError(t, json.Unmarshal([]byte(stored), &st))
	require.NotNil(t, st.Draft.Designate)
	now := at(t, monday)

	stale := CardInput{Action: CardConfirm, Token: "ev-1#1"}
	after, replies, eff := Step(st, Input{Card: &stale, Organizer: alex, TimeZone: "America/Toronto"}, now, Config{})
	assert.Empty(t, eff)
	assert.Equal(t, StageConfirm, after.Stage)
	require.NotEmpty(t, replies)
	assert.Contains(t, replies[0].Markdown, "déjà servi")

	after, _, eff = Step(st, msg("oui"), now, Config{})
	assert.Equal(t, StageCreating, after.Stage)
	require.Len(t, eff, 1)
	require.NotNil(t, eff[0].Meeting)
	assert.Equal(t, "Suivi", eff[0].Meeting.Title)
	assert.Equal(t, jeanDupont.Email, eff[0].Meeting.Designate.Email)
	assert.Equal(t, 14, eff[0].Meeting.Start.Hour())
	assert.Equal(t, 30, int(eff[0].Meeting.End.Sub(eff[0].Meeting.Start).Minutes()))
	assert.Empty(t, eff[0].Meeting.Recurrence, "one meeting, as it was described")
}
