package bot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// botPostsSince returns the bot's posts in a group space after the first n messages.
func botPostsSince(h *harness, room string, n int) []webextest.Message {
	var out []webextest.Message
	for _, m := range h.fake.RoomMessages(room)[n:] {
		if m.PersonEmail == "relais@webex.bot" {
			out = append(out, m)
		}
	}
	return out
}

// TestResendAndCancelTypedInAGroupSpace: « renvoie la clé » and « annule la rencontre 1 » typed
// in a group space do nothing there but point to the 1:1 space (a meeting's details can be
// confidential): no key is sent again, no meeting is cancelled, nothing about the meeting is
// shown to the space. The same words in the 1:1 space do act. « annule » in a group space drops
// the dialogue of its thread.
func TestResendAndCancelTypedInAGroupSpace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	const room = "Équipe soins intensifs"
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h, titre : Bilan confidentiel")
	h.dm(alex, "oui")
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	m := ms[0]
	require.Len(t, h.fake.BotMessages(jean), 1)

	for _, tc := range []struct{ text, want string }{
		{"renvoie la clé", "écrivez-moi en message privé (1:1)"},
		{"annule la rencontre 1", "écrivez-moi en message privé (1:1)"},
		{"resend the host key", "write to me in a private (1:1) message"},
		{"cancel meeting 1", "write to me in a private (1:1) message"},
	} {
		n := len(h.fake.RoomMessages(room))
		h.say(webextest.SayRequest{From: alex, Room: room, Text: tc.text})
		posts := botPostsSince(h, room, n)
		require.Len(t, posts, 1, "%s: %s", tc.text, texts(posts))
		assert.Contains(t, posts[0].Markdown, tc.want, tc.text)
		for _, secret := range []string{m.HostKey, m.Password, m.WebLink, m.Title, "Bilan", groupNumber(m.MeetingNumber)} {
			assert.NotContains(t, posts[0].Markdown+posts[0].Text, secret, "%s: shown in the group space", tc.text)
		}
	}
	assert.Len(t, h.fake.BotMessages(jean), 1, "no key resent from the group space")
	ms = h.fake.Meetings()
	require.Len(t, ms, 1, "no meeting cancelled from the group space")
	assert.NotEqual(t, "cancelled", ms[0].State)

	// The same request in the 1:1 space acts: the designate gets the key again.
	h.dm(alex, "renvoie la clé 1")
	dms := h.fake.BotMessages(jean)
	require.Len(t, dms, 2, "« renvoie la clé 1 » in the 1:1 space resends the key")
	assert.Contains(t, dms[1].Markdown, m.HostKey)

	// « annule » in a group thread drops that thread's dialogue: a later « oui » creates nothing.
	first := h.say(webextest.SayRequest{From: alex, Room: room, Text: "programme une rencontre pour Bob Smith demain à 15 h"})
	n := len(h.fake.RoomMessages(room))
	h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "annule"})
	posts := botPostsSince(h, room, n)
	require.Len(t, posts, 1, texts(posts))
	assert.Contains(t, posts[0].Markdown, "j'abandonne cette demande")
	assert.Equal(t, first, posts[0].ParentID, "answered in the thread")
	h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "oui"})
	assert.Len(t, h.fake.Meetings(), 1, "the dropped dialogue created no meeting")
	assert.Empty(t, h.fake.BotMessages(bob), "Bob was never told of a meeting")
}
