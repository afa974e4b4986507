package bot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStaleChangeCardPressTellsAboutTheChange: through the fake, the change summary's
// « Confirmer » pressed a second time changes nothing more and is told about the change, not
// about a meeting scheduled twice.
func TestStaleChangeCardPressTellsAboutTheChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	first := onlyMeeting(t, h)

	r := h.dm(alex, "déplace la rencontre 1 à jeudi 15 h")
	require.Len(t, r, 1)
	summary := r[0]
	r = h.press(alex, "", summary, "Confirmer", nil)
	assert.Contains(t, texts(r), "C'est fait")
	moved := onlyMeeting(t, h)
	assert.NotEqual(t, first.Start, moved.Start)

	r = h.press(alex, "", summary, "Confirmer", nil)
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "ce changement a expiré")
	assert.NotContains(t, r[0].Markdown, "programmé en double")
	assert.Equal(t, moved.Start, onlyMeeting(t, h).Start, "nothing more changed")
	assert.Len(t, h.fake.BotMessages(jean), 2, "the designate was told once of the change")
}
