package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTitleLengthInCharacters: Webex counts a title's characters, not its bytes. A title of 128
// « é » (256 bytes) reaches Webex as typed; one of 129 is refused before Webex is called, with
// the count a person would make.
func TestTitleLengthInCharacters(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})

	long := strings.Repeat("é", 129)
	r := h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h, titre : "+long)
	assert.Contains(t, texts(r), "Le titre compte 129 caractères ; Webex en accepte au plus 128.")
	assert.Empty(t, h.fake.Meetings())

	title := strings.Repeat("é", 128)
	r = h.dm(alex, title) // the answer to « Quel titre… ? »
	require.Contains(t, texts(r), "« oui »", "the summary again")
	h.dm(alex, "oui")
	ms := h.fake.Meetings()
	require.Len(t, ms, 1, "Webex accepted the 128-character title")
	assert.Equal(t, title, ms[0].Title)
}
