package bot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChangeSummaryButtons: the change summary carries « Confirmer » / « Annuler ». The card of
// a change corrected since is stale and changes nothing; « Confirmer » on the current one makes
// the change, once: pressed again it is told kindly, in words about a change (not about a
// meeting scheduled twice), and neither Webex nor the designate hears of it twice. « Annuler »
// drops a change.
func TestChangeSummaryButtons(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	first := onlyMeeting(t, h)
	require.Len(t, h.fake.BotMessages(jean), 1)

	r := h.dm(alex, "déplace la rencontre 1 à jeudi 15 h")
	require.Len(t, r, 1)
	old := r[0]
	require.Len(t, old.Attachments, 1, "the change summary has its card")
	r = h.dm(alex, "et change le titre pour Bilan")
	require.Len(t, r, 1)
	current := r[0]

	r = h.press(alex, "", old, "Confirmer", nil)
	require.NotEmpty(t, r)
	assert.Contains(t, texts(r), "déjà servi", "the card of the change before the correction is stale")
	assert.Contains(t, texts(r), "ce changement a expiré", "told about the change")
	assert.NotContains(t, texts(r), "programmé en double", "not about a new meeting")
	m := onlyMeeting(t, h)
	assert.Equal(t, first.Start, m.Start, "a stale card changes nothing")
	assert.Equal(t, first.Title, m.Title)
	assert.Len(t, h.fake.BotMessages(jean), 1)

	r = h.press(alex, "", current, "Confirmer", nil)
	assert.Contains(t, texts(r), "C'est fait")
	m = onlyMeeting(t, h)
	assert.Equal(t, "Bilan", m.Title)
	assert.NotEqual(t, first.Start, m.Start)
	require.Len(t, h.fake.BotMessages(jean), 2, "the designate is told of the change")

	r = h.press(alex, "", current, "Confirmer", nil)
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "déjà servi", "a card is answered once")
	assert.Contains(t, r[0].Markdown, "la rencontre reste telle qu'elle est maintenant")
	assert.NotContains(t, r[0].Markdown, "programmé en double")
	assert.Equal(t, m, onlyMeeting(t, h))
	assert.Len(t, h.fake.BotMessages(jean), 2, "and the designate is not told twice")

	r = h.dm(alex, "déplace la rencontre 1 à vendredi 10 h")
	require.Len(t, r, 1)
	r = h.press(alex, "", r[0], "Annuler", nil)
	assert.Contains(t, texts(r), "je ne change rien")
	assert.Equal(t, m, onlyMeeting(t, h))
	assert.Len(t, h.fake.BotMessages(jean), 2)
}
