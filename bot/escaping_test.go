package bot_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

const hostileTitle = "<@all> [lien](http://exemple.invalid) **x**"

// cardTexts returns every string of a card's JSON (TextBlock texts, FactSet values…).
func cardTexts(raw json.RawMessage) []string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for k, e := range x {
				if k == "url" { // Action.OpenUrl's target is the meeting link, not text
					continue
				}
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// hostileTitleEscaped is hostileTitle as Relais must write it in markdown: every character
// that Webex would turn into a mention, a link or emphasis is escaped, and a zero-width space
// breaks the URL so that no autolink is made.
const hostileTitleEscaped = "&lt;@all&gt; \\[lien\\](http:\u200b//exemple.invalid) \\*\\*x\\*\\*"

// assertShownLiterally checks that a message repeats the hostile title without letting it
// mention anyone or make a link, as the fake Webex renders it: the fake turns a live « <@all> »
// into a group mention (mentionedGroups) and links and bold into html, like Webex.
func assertShownLiterally(t *testing.T, who string, m webextest.Message) {
	t.Helper()
	bodies := []string{m.Markdown, m.Text}
	for _, a := range m.Attachments {
		bodies = append(bodies, cardTexts(a.Content)...)
	}
	for _, b := range bodies {
		assert.NotContains(t, b, "<@all>", "%s: a raw <@all> would mention everyone", who)
		assert.NotContains(t, b, "](http://exemple.invalid", "%s: a markdown link to the typed URL", who)
		assert.NotContains(t, b, "http://exemple.invalid", "%s: an autolink to the typed URL", who)
		assert.NotContains(t, b, " **x**", "%s: the typed emphasis is live", who)
	}
	assert.Contains(t, m.Markdown, hostileTitleEscaped, "%s: the title is shown, escaped", who)
	assert.Empty(t, m.MentionedGroups, "%s: Webex would mention everyone", who)
	assert.Empty(t, m.MentionedPeople, "%s: nobody is mentioned", who)
	assert.NotContains(t, m.HTML, "groupMention", "%s", who)
	assert.NotContains(t, m.HTML, `<a href="http://exemple.invalid`, "%s: Webex would show a link", who)
	assert.NotContains(t, m.HTML, "<strong>x</strong>", "%s: Webex would show the typed emphasis", who)
	assert.Contains(t, m.HTML, "&lt;@all&gt; [lien](http:\u200b//exemple.invalid) **x**", "%s: Webex shows the title as typed", who)
}

// TestHostileTitleShownLiterally: a title that tries to mention everyone, make a link and
// bold text reaches Webex as typed (it is the meeting's title) and shows literally in the
// designate's message and card and in the organizer's replies, in a 1:1 and a group space.
func TestHostileTitleShownLiterally(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})

	r := h.dm(alex, `programme une rencontre pour Jean Dupont demain à 14 h, titre : "`+hostileTitle+`"`)
	require.Len(t, r, 1, texts(r))
	assertShownLiterally(t, "summary", r[0])
	r = h.dm(alex, "oui")
	require.NotEmpty(t, r)
	for _, m := range r {
		assertShownLiterally(t, "confirmation", m)
	}

	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	assert.Equal(t, hostileTitle, ms[0].Title, "Webex gets the title as typed")

	dms := h.fake.BotMessages("jean.dupont@example.com")
	require.Len(t, dms, 1)
	require.NotEmpty(t, dms[0].Attachments, "the card is checked too")
	assertShownLiterally(t, "designate", dms[0])

	// In a group space, where a live <@all> would notify every member.
	const room = "Salle commune"
	first := h.say(webextest.SayRequest{From: alex, Room: room,
		Text: `programme une rencontre pour Bob Smith demain à 16 h, titre : "` + hostileTitle + `"`})
	h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "oui"})
	var posted int
	for _, m := range h.fake.RoomMessages(room) {
		if m.PersonEmail != "relais@webex.bot" {
			continue
		}
		posted++
		if strings.Contains(m.Markdown, "lien") {
			assertShownLiterally(t, "group reply", m)
		}
	}
	assert.GreaterOrEqual(t, posted, 2, "the summary and the confirmation")
	bobs := h.fake.BotMessages("bob.smith@example.com")
	require.Len(t, bobs, 1)
	assertShownLiterally(t, "designate from a group space", bobs[0])
}
