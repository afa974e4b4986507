package conversations

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seedMeeting(t *testing.T) MeetingDetails {
	t.Helper()
	loc, err := time.LoadLocation("America/Toronto")
	require.NoError(t, err)
	return MeetingDetails{
		ID: "m-1", Title: "La rencontre pour une autre personne",
		Start: time.Date(2026, 6, 23, 11, 0, 0, 0, loc), End: time.Date(2026, 6, 23, 12, 0, 0, 0, loc),
		TimeZone:      "America/Toronto",
		WebLink:       "https://cifss.webex.com/cifss/j.php?MTID=m9857165f7a22cf022a875c575a594664",
		MeetingNumber: "1296477859", Password: "Cp6gRpWES83", HostKey: "762046",
		CallIn: []CallIn{
			{Label: "Canada Toll (Quebec)", Number: "+1-581-319-7414"},
			{Label: "Canada Toll (Montreal)", Number: "+1-438-488-9118"},
		},
		AccessCode: "1296477859", SIPAddress: "1296477859@cifss.webex.com",
		Designate: marieTremblay, Organizer: alex,
	}
}

func TestDesignateMessageFrenchHasEverything(t *testing.T) {
	t.Parallel()
	md, card := DesignateMessage(nlu.French, seedMeeting(t))
	for _, want := range []string{
		"Bonjour Marie",
		"**Alex Martin** a programmé pour vous une rencontre Webex", // who and why
		"« La rencontre pour une autre personne »",
		"mardi 23 juin 2026, de 11 h 00 à 12 h 00 (heure de l'Est)",
		"https://cifss.webex.com/cifss/j.php?MTID=m9857165f7a22cf022a875c575a594664",
		"129 647 7859", "Cp6gRpWES83", "**Clé organisateur** : **762046**",
		"- **+1-581-319-7414** — Canada Toll (Quebec)", "- **+1-438-488-9118** — Canada Toll (Montreal)",
		"Code d'accès : 129 647 7859",
		"jusqu'à 15 minutes avant le début, dès 10 h 45",
		"1. Rejoignez la rencontre avec le bouton vert « Rejoindre la réunion »",
		"cliquez sur « OK »",
		"« Participants », puis sur « Prendre le rôle d'organisateur » (dans la version anglaise : *Reclaim host role*)",
		"« Plus d'options » (…)", "clic droit sur votre propre nom",
		"4. Entrez la clé organisateur : **762046**",
		"« Organisateur » (« Host » en anglais) apparaît alors à côté de votre nom",
		"« Rejoindre avant l'organisateur » est activée",
		"le rôle d'organisateur lui revient automatiquement",
	} {
		assert.Contains(t, md, want)
	}
	assert.LessOrEqual(t, len(md), MaxMarkdownBytes)

	raw, err := json.Marshal(card)
	require.NoError(t, err)
	s := string(raw)
	assert.Contains(t, s, `"type":"AdaptiveCard"`)
	assert.Contains(t, s, `"version":"1.3"`)
	assert.Contains(t, s, `"type":"FactSet"`)
	assert.Contains(t, s, `{"title":"Rejoindre la réunion","type":"Action.OpenUrl","url":"https://cifss.webex.com/cifss/j.php?MTID=m9857165f7a22cf022a875c575a594664"}`)
	assert.Contains(t, s, "762046")
	assert.Contains(t, s, "129 647 7859")
}

func TestDesignateMessageEnglish(t *testing.T) {
	t.Parallel()
	md, card := DesignateMessage(nlu.English, seedMeeting(t))
	for _, want := range []string{
		"Hello Marie", "**Alex Martin** scheduled a Webex meeting for you",
		"Tuesday, June 23, 2026, from 11:00 AM to 12:00 PM (Eastern Time)",
		"129 647 7859", "Cp6gRpWES83", "**Host key**: **762046**", "Access code: 129 647 7859",
		"from 10:45 AM", "Reclaim host role", "More options", "right-click your own name",
		"\"Host\" then shows next to your name", "join before host", "goes back to them",
	} {
		assert.Contains(t, md, want)
	}
	raw, err := json.Marshal(card)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"title":"Join meeting"`)
}

func TestDesignateMessageWorstCaseFitsWebexLimit(t *testing.T) {
	t.Parallel()
	m := seedMeeting(t)
	m.Title = strings.Repeat("<é>", 43)[:128] // every character escaped into an entity
	long := strings.Repeat("Éloïse-Marguerite ", 8)
	m.Designate = Person{Email: strings.Repeat("e", 60) + "@exemple.ca", DisplayName: long, FirstName: long}
	m.Organizer = Person{Email: strings.Repeat("o", 60) + "@exemple.ca", DisplayName: long + "[o]"}
	m.WebLink = "https://exemple.webex.com/exemple/j.php?MTID=" + strings.Repeat("m", 200)
	for i := range 120 {
		m.CallIn = append(m.CallIn, CallIn{Label: fmt.Sprintf("Numéro international n° %d (%s)", i, strings.Repeat("é", 20)), Number: fmt.Sprintf("+1-800-555-%04d", i)})
	}
	for _, l := range []nlu.Lang{nlu.French, nlu.English} {
		md, _ := DesignateMessage(l, m)
		assert.LessOrEqual(t, len(md), MaxMarkdownBytes, "lang %s", l)
		assert.Contains(t, md, "762046", "the host key survives the cut")
		assert.Contains(t, md, "+1-800-555-0000", "the first call-in number survives the cut")
		assert.NotContains(t, md, "+1-800-555-0119", "the last call-in numbers were cut")
		assert.Contains(t, md, t2(l, "voyez l'invitation reçue par courriel", "see the invitation you received by e-mail"))
		assert.Contains(t, md, t2(l, "Entrez la clé organisateur", "Enter the host key"), "the steps survive the cut")
		assert.LessOrEqual(t, len(ReminderMessage(l, m, time.Hour)), MaxMarkdownBytes)
		assert.LessOrEqual(t, len(CancelledNotice(l, m)), MaxMarkdownBytes)
		rs, _ := ResentMessage(l, m)
		assert.LessOrEqual(t, len(rs), MaxMarkdownBytes)
	}
}

func t2(l nlu.Lang, fr, en string) string { return t(l, fr, en) }

func TestDesignateMessageEscapesWhatPeopleTyped(t *testing.T) {
	t.Parallel()
	m := seedMeeting(t)
	m.Title = "<@all> [lien](http://exemple.invalid) **x**"
	m.Organizer.DisplayName = "Alex <@personEmail:x@y.z|X> _Martin_"
	for _, l := range []nlu.Lang{nlu.French, nlu.English} {
		md, card := DesignateMessage(l, m)
		for _, bad := range []string{"<@all>", "<@personEmail", "[lien](", "http://exemple", "**x**", "_Martin_"} {
			assert.NotContains(t, md, bad, "lang %s", l)
		}
		assert.Contains(t, md, `&lt;@all&gt; \[lien\](http:`+"\u200b"+`//exemple.invalid) \*\*x\*\*`)
		raw, err := json.Marshal(card)
		require.NoError(t, err)
		var back map[string]any
		require.NoError(t, json.Unmarshal(raw, &back))
		for _, bad := range []string{"<@all>", "[lien](", "http://exemple", "**x**"} {
			assert.NotContains(t, fmt.Sprint(back), bad, "card, lang %s", l)
		}
		for _, s := range []string{ReminderMessage(l, m, 15*time.Minute), CancelledNotice(l, m)} {
			assert.NotContains(t, s, "<@all>")
			assert.NotContains(t, s, "[lien](")
		}
	}
}

func TestReminderAndCancelledNotice(t *testing.T) {
	t.Parallel()
	m := seedMeeting(t)
	m.HostKey = "111222" // fetched fresh
	r := ReminderMessage(nlu.French, m, time.Hour)
	assert.Contains(t, r, "commence dans 1 h")
	assert.Contains(t, r, "**111222**")
	assert.Contains(t, r, "Prendre le rôle d'organisateur")
	c := CancelledNotice(nlu.French, m)
	assert.Contains(t, c, "**Alex Martin** a annulé la rencontre Webex « La rencontre pour une autre personne »")
	assert.NotContains(t, c, "111222", "a cancelled meeting's key is not repeated")
	rs, _ := ResentMessage(nlu.English, m)
	assert.Contains(t, rs, "current **host key**")
	assert.Contains(t, rs, "**111222**")
}

func TestGroupNumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"1296477859":   "129 647 7859",
		"129 647 7859": "129 647 7859",
		"123456789":    "123 456 789",
		"12345678901":  "123 456 789 01",
		"2345678":      "234 5678",
		"123":          "123",
		"abc<x>":       "abc&lt;x&gt;",
	} {
		assert.Equal(t, want, GroupNumber(in), in)
	}
}
