package bot_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// press presses the button titled title on the card of message m, as Webex does: the inputs
// (values) with the button's data merged in. It returns the new bot messages in the 1:1 space
// of from, or in the group space room.
func (h *harness) press(from, room string, m webextest.Message, title string, values map[string]any) []webextest.Message {
	h.t.Helper()
	require.NotEmpty(h.t, m.Attachments, "the message has no card: %s", m.Markdown)
	var card struct {
		Version string `json:"version"`
		Actions []struct {
			Type  string         `json:"type"`
			Title string         `json:"title"`
			Data  map[string]any `json:"data"`
		} `json:"actions"`
	}
	require.NoError(h.t, json.Unmarshal(m.Attachments[0].Content, &card))
	require.Equal(h.t, "1.3", card.Version)
	inputs := map[string]any{}
	for k, v := range values {
		inputs[k] = v
	}
	found := false
	for _, a := range card.Actions {
		if a.Title == title {
			require.Equal(h.t, "Action.Submit", a.Type)
			for k, v := range a.Data {
				inputs[k] = v
			}
			found = true
		}
	}
	require.True(h.t, found, "no button %q on the card", title)
	list := func() []webextest.Message {
		if room != "" {
			return h.fake.RoomMessages(room)
		}
		return h.fake.BotMessages(from)
	}
	before := len(list())
	id, err := h.fake.SubmitCard(webextest.CardSubmission{From: from, MessageID: m.ID, Inputs: inputs})
	require.NoError(h.t, err)
	h.waitHandled(id)
	return list()[before:]
}

const bobEmail = "bob.smith@example.com"

func last(t *testing.T, ms []webextest.Message) webextest.Message {
	t.Helper()
	require.NotEmpty(t, ms)
	return ms[len(ms)-1]
}

// TestFormCardSubmitConfirmAndStaleClick: the form is offered on « formulaire », its submission
// reaches the summary through the people look-up, « Confirmer » creates the meeting, and a second
// click on the same old card is told kindly and creates nothing.
func TestFormCardSubmitConfirmAndStaleClick(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"websocket", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, harnessOptions{mode: mode})
			h.dm(alex, "programme une rencontre") // not a first contact any more
			h.dm(alex, "annuler")
			r := h.dm(alex, "formulaire")
			require.Len(t, r, 1)
			form := r[0]
			assert.Contains(t, form.Markdown, "formulaire")
			tomorrow := reference.AddDate(0, 0, 1).Format("2006-01-02")
			r = h.press(alex, "", form, "Programmer", map[string]any{"who": "Jean Dupont", "date": tomorrow, "time": "14:00", "duration": "90", "title": "Suivi"})
			summary := last(t, r)
			assert.Contains(t, summary.Markdown, "Jean Dupont")
			assert.Contains(t, summary.Markdown, "de 14 h 00 à 15 h 30")

			r = h.press(alex, "", summary, "Confirmer", nil)
			require.NotEmpty(t, r)
			assert.Contains(t, texts(r), "C'est fait")
			require.Len(t, h.fake.Meetings(), 1)

			r = h.press(alex, "", summary, "Confirmer", nil)
			require.Len(t, r, 1)
			assert.Contains(t, r[0].Markdown, "déjà servi")
			assert.Len(t, h.fake.Meetings(), 1, "an old card never creates a second meeting")

			r = h.press(alex, "", form, "Programmer", map[string]any{"who": "Jean Dupont", "date": tomorrow, "time": "16:00", "duration": "60"})
			assert.Contains(t, last(t, r).Markdown, "déjà servi", "a form is answered once too")
		})
	}
}

// TestFormErrorComesBackAsTheForm: a start too soon comes back as the form filled in as
// submitted, the problem under the time; « Modifier » on a summary opens the form filled in.
func TestFormErrorComesBackAsTheForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.dm(alex, "schedule a meeting")
	r := h.dm(alex, "form")
	today := reference.Format("2006-01-02")
	r = h.press(alex, "", r[0], "Schedule", map[string]any{"who": "Bob Smith", "date": today, "time": "09:05", "duration": "60"})
	back := last(t, r)
	require.Len(t, back.Attachments, 1, "the form comes back")
	var card struct {
		Body []map[string]any `json:"body"`
	}
	require.NoError(t, json.Unmarshal(back.Attachments[0].Content, &card))
	var after string
	for i, el := range card.Body {
		if el["id"] == "time" {
			assert.Equal(t, "09:05", el["value"], "filled in as submitted")
			require.Less(t, i+1, len(card.Body))
			after = fmt.Sprint(card.Body[i+1]["text"])
		}
		if el["id"] == "who" {
			assert.Equal(t, "Bob Smith", el["value"])
		}
	}
	assert.Contains(t, after, "soon", "the problem is next to the time")
	assert.Empty(t, h.fake.Meetings())

	r = h.press(alex, "", back, "Schedule", map[string]any{"who": "Bob Smith", "date": today, "time": "11:00", "duration": "30"})
	summary := last(t, r)
	r = h.press(alex, "", summary, "Change", nil)
	require.NoError(t, json.Unmarshal(last(t, r).Attachments[0].Content, &card))
	values := map[string]any{}
	for _, el := range card.Body {
		if id, ok := el["id"].(string); ok {
			values[id] = el["value"]
		}
	}
	assert.Equal(t, map[string]any{"who": "bob.smith@example.com", "date": today, "time": "11:00", "duration": "30", "title": ""}, values)
	r = h.dm(alex, "yes")
	assert.Contains(t, texts(r), "scheduled", "typing yes still works after « Modifier »")
	assert.Len(t, h.fake.Meetings(), 1)
}

// TestGreetingWhenAddedToAGroupSpace: Relais introduces itself once, with the form's button,
// through the websocket and through webhooks; the button opens the form in the space.
func TestGreetingWhenAddedToAGroupSpace(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"websocket", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, harnessOptions{mode: mode})
			id, err := h.fake.AddBot(webextest.AddRequest{Room: "Équipe projet", By: alex})
			require.NoError(t, err)
			h.waitHandled(id)
			msgs := h.fake.RoomMessages("Équipe projet")
			require.Len(t, msgs, 1)
			assert.Contains(t, msgs[0].Markdown, "@Relais")
			assert.Contains(t, msgs[0].Markdown, "mentionnez-moi")
			require.Len(t, msgs[0].Attachments, 1)

			again, err := h.fake.AddBot(webextest.AddRequest{Room: "Équipe projet", By: alex})
			require.NoError(t, err)
			assert.Equal(t, id, again)
			assert.Len(t, h.fake.RoomMessages("Équipe projet"), 1, "said once")

			r := h.press(alex, "Équipe projet", msgs[0], "Ouvrir le formulaire", nil)
			require.Len(t, r, 1)
			assert.NotEmpty(t, r[0].Attachments, "the form")
			assert.NotContains(t, r[0].Markdown, "clé organisateur :")
		})
	}
}

// TestGreetingOnFirstContactOnly: the first message in a 1:1 space that is no request gets the
// greeting in the person's language; the next one does not.
func TestGreetingOnFirstContactOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	r := h.dm(bobEmail, "hi")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "Hello, I'm **Relais**")
	require.Len(t, r[0].Attachments, 1)
	r = h.dm(bobEmail, "hi")
	require.Len(t, r, 1)
	assert.NotContains(t, r[0].Markdown, "Hello, I'm **Relais**", "never twice in a row")

	r = h.dm(alex, "bonjour")
	assert.Contains(t, r[0].Markdown, "Bonjour, je suis **Relais**")
}

// TestGroupCardPressedBySomeoneElse: in a group space, someone else pressing the organizer's
// « Confirm » creates nothing and does not use the card up; the organizer's press creates the
// meeting, in the request's thread, without the link, password or host key. The greeting's
// button opens the form as often as it is pressed.
func TestGroupCardPressedBySomeoneElse(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	const room = "Équipe"
	h.say(webextest.SayRequest{From: bobEmail, Text: "aide", Room: room})
	before := len(h.fake.RoomMessages(room))
	h.say(webextest.SayRequest{From: alex, Text: "form", Room: room})
	form := last(t, h.fake.RoomMessages(room)[before:])
	tomorrow := reference.AddDate(0, 0, 1).Format("2006-01-02")
	r := h.press(alex, room, form, "Schedule", map[string]any{"who": "Jean Dupont", "date": tomorrow, "time": "13:00", "duration": "45"})
	summary := last(t, r)
	require.NotEmpty(t, summary.ParentID, "the answer is in the request's thread")

	r = h.press(bobEmail, room, summary, "Confirm", nil)
	assert.Contains(t, texts(r), "already used")
	assert.Empty(t, h.fake.Meetings(), "someone else's press creates nothing")

	r = h.press(alex, room, summary, "Confirm", nil)
	require.Len(t, h.fake.Meetings(), 1)
	done := texts(r)
	assert.Contains(t, done, "Done!")
	m := h.fake.Meetings()[0]
	assert.NotContains(t, done, m.HostKey)
	assert.NotContains(t, done, m.Password)
	assert.NotContains(t, done, m.WebLink)
	assert.Equal(t, summary.ParentID, last(t, r).ParentID)

	id, err := h.fake.AddBot(webextest.AddRequest{Room: "Autre", By: alex})
	require.NoError(t, err)
	h.waitHandled(id)
	greeting := h.fake.RoomMessages("Autre")[0]
	for range 2 {
		r = h.press(alex, "Autre", greeting, "Ouvrir le formulaire", nil)
		require.Len(t, r, 1)
		assert.Contains(t, r[0].Markdown, "formulaire")
		assert.NotContains(t, r[0].Markdown, "déjà servi")
	}
}
