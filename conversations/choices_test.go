package conversations

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNumberNotOnTheList: a number outside a numbered list says so with how many choices there
// are, in the person's language, and the list stays; a number on it still picks.
func TestNumberNotOnTheList(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	ledger := sampleLedger(now, "America/Toronto")
	three := State{Stage: StageChoosing, Lang: "fr", DialogueID: "d", LastActive: now.UTC(),
		Draft: Draft{Query: "Marie"}, Candidates: []Person{marieTremblay, marieGagnon, sophieRoy}}
	one := State{Stage: StagePicking, Lang: "en", DialogueID: "d", LastActive: now.UTC(), Purpose: PurposeCancel, Meetings: ledger[:1]}
	for _, c := range []struct {
		st         State
		text, want string
	}{
		{three, "99", "Le numéro 99 n'est pas dans la liste : répondez par un numéro de 1 à 3."},
		{three, "la 4e", "Le numéro 4 n'est pas dans la liste : répondez par un numéro de 1 à 3."},
		{one, "7", "Number 7 is not on the list: there is only one choice, number 1."},
	} {
		st, replies, effects := Step(c.st, msg(c.text), now, Config{})
		require.Len(t, replies, 1, c.text)
		assert.Contains(t, replies[0].Markdown, c.want, c.text)
		assert.NotContains(t, replies[0].Markdown, "compris", c.text)
		assert.NotContains(t, replies[0].Markdown, "understand", c.text)
		assert.Equal(t, c.st.Stage, st.Stage, "%s: the choice is still open", c.text)
		assert.Empty(t, effects, c.text)
	}
	st, _, _ := Step(three, msg("3"), now, Config{})
	require.NotNil(t, st.Draft.Designate)
	assert.Equal(t, sophieRoy.Email, st.Draft.Designate.Email)
}
