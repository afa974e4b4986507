package bot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestGroupMentionAloneOrHelloGetsTheGreeting: « @Relais » alone, « @Relais bonjour » or
// "@Relais hi" in a group space is answered with the short greeting and the form's button, in
// the person's language — not « Je n'ai pas compris » — and never with a secret.
func TestGroupMentionAloneOrHelloGetsTheGreeting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	const room = "Équipe accueil"
	for _, tc := range []struct{ text, want, button string }{
		{"", "mentionnez-moi", "Ouvrir le formulaire"},
		{"bonjour", "mentionnez-moi", "Ouvrir le formulaire"},
		{"hi", "mention me", "Open the form"},
	} {
		n := len(h.fake.RoomMessages(room))
		h.say(webextest.SayRequest{From: alex, Room: room, Text: tc.text})
		posts := botPostsSince(h, room, n)
		require.Len(t, posts, 1, "%q: %s", tc.text, texts(posts))
		assert.Contains(t, posts[0].Markdown, tc.want, "%q", tc.text)
		assert.NotContains(t, posts[0].Markdown, "pas compris", "%q", tc.text)
		assert.NotContains(t, posts[0].Markdown, "understand", "%q", tc.text)
		require.Len(t, posts[0].Attachments, 1, "%q: the form's button", tc.text)
		assert.Contains(t, string(posts[0].Attachments[0].Content), tc.button, "%q", tc.text)
		if tc.button == "Ouvrir le formulaire" && tc.text == "" {
			r := h.press(alex, room, posts[0], tc.button, nil)
			require.NotEmpty(t, r)
			assert.Contains(t, string(last(t, r).Attachments[0].Content), "Pour qui", "the button opens the form")
		}
	}
}
