package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFormWithHugeValuesStillAnswers: a form submitted with thousands of characters in « Pour
// qui » or « Titre » (a paste gone wrong) is answered. Card inputs are not bounded like a typed
// message, and echoing them back made the reply longer than Webex accepts (7439 characters):
// Webex refused it and the organizer got nothing.
func TestFormWithHugeValuesStillAnswers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	tomorrow := reference.AddDate(0, 0, 1).Format("2006-01-02")
	huge := strings.Repeat("Marie ", 1500)
	for _, values := range []map[string]any{
		{"who": huge, "date": tomorrow, "time": "14:00", "duration": "60", "title": "Suivi"},
		{"who": "Jean Dupont", "date": tomorrow, "time": "14:00", "duration": "60", "title": huge},
		{"who": huge, "date": huge, "time": huge, "duration": huge, "title": huge},
	} {
		form := last(t, h.dm(alex, "formulaire"))
		r := h.press(alex, "", form, "Programmer", values)
		require.Len(t, r, 1, "the organizer is answered")
		assert.NotEmpty(t, r[0].Attachments, "with the form again")
		assert.Less(t, len(r[0].Markdown), 7439, "bytes, as Webex counts")
		h.dm(alex, "annuler")
	}
	assert.Empty(t, h.fake.Meetings())
}
