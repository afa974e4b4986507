package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestGroupSpaceShowsNoWayIntoTheMeeting walks a group space as a new organizer would — the
// greeting on being added, the form from its button, the summary's « Confirmer », then a series
// typed in French and English — and checks that no message there, in text, markdown, HTML or
// card, shows a host key, a password, a join link or a meeting number: with the number anyone in
// the space could find the meeting and join it.
func TestGroupSpaceShowsNoWayIntoTheMeeting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	const room = "Soins intensifs — équipe"
	id, err := h.fake.AddBot(webextest.AddRequest{Room: room, By: alex})
	require.NoError(t, err)
	h.waitHandled(id)
	greeting := h.fake.RoomMessages(room)[0]
	form := last(t, h.press(alex, room, greeting, "Ouvrir le formulaire", nil))
	tomorrow := reference.AddDate(0, 0, 1).Format("2006-01-02")
	summary := last(t, h.press(alex, room, form, "Programmer", map[string]any{"who": "Jean Dupont", "date": tomorrow, "time": "13:00", "duration": "45"}))
	h.press(alex, room, summary, "Confirmer", nil)

	first := h.say(webextest.SayRequest{From: alex, Room: room, Text: "programme une rencontre pour Marie Tremblay chaque mardi à 10 h pendant 6 semaines"})
	h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "oui"})
	first = h.say(webextest.SayRequest{From: bobEmail, Room: room, Text: "schedule a meeting for Jean Dupont every other Thursday at 2pm, 5 times"})
	h.say(webextest.SayRequest{From: bobEmail, Room: room, ParentID: first, Text: "yes"})

	meetings := h.fake.Meetings()
	require.Len(t, meetings, 3)
	var body strings.Builder
	for _, m := range h.fake.RoomMessages(room) {
		body.WriteString(m.Text + "\n" + m.Markdown + "\n" + m.HTML + "\n")
		for _, a := range m.Attachments {
			body.Write(a.Content)
		}
	}
	shown := body.String()
	require.Contains(t, shown, "Done!")
	for _, m := range meetings {
		for what, secret := range map[string]string{
			"host key": m.HostKey, "password": m.Password, "join link": m.WebLink,
			"meeting number": m.MeetingNumber, "grouped meeting number": conversations.GroupNumber(m.MeetingNumber),
		} {
			require.NotEmpty(t, secret, what)
			assert.NotContains(t, shown, secret, "a group space message shows the %s", what)
		}
	}
}
