package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

const (
	alex          = "alex.martin@example.com"
	marieTremblay = "marie.tremblay@example.com"
	marieGagnon   = "marie.gagnon@example.com"
)

func texts(ms []webextest.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Markdown)
		b.WriteString(m.Text)
		b.WriteString("\n---\n")
	}
	return b.String()
}

// groupNumber formats a meeting number as Webex shows it: 129 647 7859.
func groupNumber(n string) string {
	if len(n) != 10 {
		return n
	}
	return n[:3] + " " + n[3:6] + " " + n[6:]
}

func TestFrenchFlowWithTwoMaries(t *testing.T) {
	for _, mode := range []string{"websocket", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, harnessOptions{mode: mode})

			r := h.dm(alex, "@Relais programme une rencontre pour Marie demain à 14h")
			require.Len(t, r, 1, texts(r))
			assert.Contains(t, r[0].Markdown, "Marie Tremblay")
			assert.Contains(t, r[0].Markdown, "Marie Gagnon")

			// Pick the Marie the bot listed second, by number.
			chosen, other := marieGagnon, marieTremblay
			if strings.Index(r[0].Markdown, "Marie Gagnon") < strings.Index(r[0].Markdown, "Marie Tremblay") {
				chosen, other = marieTremblay, marieGagnon
			}
			r = h.dm(alex, "2")
			require.Len(t, r, 1, texts(r))
			assert.Contains(t, r[0].Markdown, "mercredi 17 juin 2026, de 14 h 00 à 15 h 00")

			r = h.dm(alex, "oui")
			require.NotEmpty(t, r)
			require.Empty(t, h.fake.BotMessages(other), "the other Marie must get nothing")

			meetings := h.fake.Meetings()
			require.Len(t, meetings, 1)
			m := meetings[0]
			assert.True(t, m.EnabledJoinBeforeHost)
			assert.Equal(t, 15, m.JoinBeforeHostMinutes)
			assert.Equal(t, alex, m.HostEmail)
			require.Len(t, m.Invitees, 1)
			assert.Equal(t, chosen, m.Invitees[0].Email)
			assert.NotEmpty(t, m.Invitees[0].DisplayName)
			assert.True(t, m.InvitationsSent)
			assert.Equal(t, "America/Toronto", m.Timezone)

			dms := h.fake.BotMessages(chosen)
			require.Len(t, dms, 1, "exactly one message to the designate")
			d := dms[0]
			require.Equal(t, "direct", d.RoomType)
			for _, want := range []string{
				m.HostKey, m.WebLink, groupNumber(m.MeetingNumber), m.Password, m.Telephony.AccessCode,
				"Prendre le rôle d'organisateur", "Reclaim host role", "Rejoindre la réunion", "Participants", "Organisateur", "15 minutes",
			} {
				assert.Contains(t, d.Markdown, want)
			}
			for _, c := range m.Telephony.CallInNumbers {
				assert.Contains(t, d.Markdown, c.CallInNumber)
				assert.Contains(t, d.Markdown, c.Label)
			}
			require.Len(t, d.Attachments, 1, "an adaptive card with the join button")
			assert.Contains(t, string(d.Attachments[0].Content), `"version":"1.3"`)
			assert.Contains(t, string(d.Attachments[0].Content), m.WebLink)
			assert.LessOrEqual(t, len(d.Markdown), 7439)

			// The organizer, in a 1:1 space, gets the summary with the host key.
			assert.Contains(t, texts(r), m.HostKey)
		})
	}
}
