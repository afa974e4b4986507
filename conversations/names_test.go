package conversations

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoRecurrenceWordInTheQuery: whatever way the person is given — in the request, as the
// answer to « Pour qui ? », or in the form — the name looked up never holds a word of a repeat
// rule (« Jean Dupont chaque » was looked up in the directory).
func TestNoRecurrenceWordInTheQuery(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	askWho, _, _ := Step(State{}, msg("programme une rencontre demain à 10 h"), now, Config{})
	require.Equal(t, StageAskWho, askWho.Stage)
	for _, c := range []struct {
		st   State
		in   Input
		want string
	}{
		{askWho, msg("Jean Dupont chaque semaine"), "Jean Dupont"},
		{askWho, msg("Bob Smith every week"), "Bob Smith"},
		{askWho, msg("jean dupont tous les mois"), "jean dupont"},
		{State{}, msg("programme une rencontre pour Jean Dupont chaque 15 du mois à 10 h"), "Jean Dupont"},
		{State{}, msg("schedule a meeting for Bob Smith each month at 10am"), "Bob Smith"},
		{State{}, Input{Organizer: alex, TimeZone: "America/Toronto", Card: &CardInput{Action: CardSubmitForm,
			Values: FormValues{Who: "Jean Dupont chaque semaine", Date: "2026-06-23", Time: "10:00"}}}, "Jean Dupont"},
	} {
		_, _, effects := Step(c.st, c.in, now, Config{})
		var query string
		for _, e := range effects {
			if e.Kind == ResolvePerson {
				query = e.Query
			}
		}
		assert.Equal(t, c.want, query, "%q %+v", c.in.Text, c.in.Card)
	}
}
