package bot_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi/webextest"
)

func directoryWith(extra ...webextest.Person) []webextest.Person {
	return append(webextest.DefaultDirectory(), extra...)
}

func meetingFor(fake *webextest.Server, email string) bool {
	for _, m := range fake.Meetings() {
		for _, inv := range m.Invitees {
			if strings.EqualFold(inv.Email, email) {
				return true
			}
		}
	}
	return false
}

// A bot of the organization, mentioned in a group space, is never taken as the designate.
func TestABotIsNeverADesignate(t *testing.T) {
	t.Parallel()
	const helper = "helper@webex.bot"
	h := newHarness(t, harnessOptions{orgOnly: true,
		fakeOpts: webextest.Options{Directory: directoryWith(webextest.Person{Email: helper, DisplayName: "Helper", FirstName: "Helper", Type: "bot"})}})
	h.say(webextest.SayRequest{From: alex, Room: "Équipe", Text: "programme une rencontre pour Helper demain à 10 h", Mentions: []string{helper}})
	h.say(webextest.SayRequest{From: alex, Room: "Équipe", Text: "oui"})
	assert.False(t, meetingFor(h.fake, helper), "no meeting for a bot")
	assert.Empty(t, h.fake.BotMessages(helper), "a bot never receives a host key")
}

// With allowed domains, an address of an allowed domain in another Webex organization is not a
// designate unless the operator says so.
func TestADesignateFromAnotherOrganizationNeedsTheOperatorsWord(t *testing.T) {
	t.Parallel()
	const paul = "paul.autre@example.com"
	dir := directoryWith(webextest.Person{Email: paul, DisplayName: "Paul Autre", FirstName: "Paul", LastName: "Autre", OrgID: "another-organization"})
	for _, allow := range []bool{false, true} {
		h := newHarness(t, harnessOptions{fakeOpts: webextest.Options{Directory: dir},
			botConfig: bot.Config{AllowedDomains: []string{"example.com"}, DesignatesFromOtherOrgs: allow}})
		h.dm(alex, "programme une rencontre pour "+paul+" demain à 10 h")
		h.dm(alex, "oui")
		assert.Equal(t, allow, meetingFor(h.fake, paul), "DesignatesFromOtherOrgs=%v", allow)
		assert.Equal(t, allow, len(h.fake.BotMessages(paul)) > 0, "DesignatesFromOtherOrgs=%v", allow)
	}
}

// The allowed domains change (a restart with new settings): the reminder and a resend check the
// designate again, and no key goes to someone no longer allowed.
func TestRemindersAndResendsCheckTheDesignateAgain(t *testing.T) {
	t.Parallel()
	const partner = "lea.partenaire@partner.example"
	fake := webextest.NewTestServer(t, webextest.Options{Clock: newClock(reference).Now, Directory: directoryWith(
		webextest.Person{Email: partner, DisplayName: "Léa Partenaire", FirstName: "Léa", LastName: "Partenaire", Timezone: "America/Toronto"})})
	db := filepath.Join(t.TempDir(), "relais.db")
	cfg := bot.Config{ReminderBefore: 30 * time.Minute, AllowedDomains: []string{"example.com", "partner.example"}}
	h := newHarness(t, harnessOptions{fake: fake, db: db, botConfig: cfg})
	h.dm(alex, "programme une rencontre pour "+partner+" demain à 14 h")
	h.dm(alex, "oui")
	require.Len(t, fake.BotMessages(partner), 1, "allowed at creation: the designate has their message")
	h.stop()

	cfg.AllowedDomains = []string{"example.com"} // partner.example is no longer served
	h = newHarness(t, harnessOptions{fake: fake, db: db, botConfig: cfg})
	r := h.dm(alex, "renvoie la clé à Léa Partenaire")
	require.NotEmpty(t, r)
	assert.Contains(t, texts(r), "n'est plus dans un domaine", "the organizer is told why")
	assert.Len(t, fake.BotMessages(partner), 1, "no resend")

	h.clock.Advance(28*time.Hour + 31*time.Minute) // past the reminder's time
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool {
		n, err := h.rt.Store.OutboxDepth(t.Context())
		return err == nil && n == 0
	}, 10*time.Second, 10*time.Millisecond, "the reminder job ran")
	assert.Len(t, fake.BotMessages(partner), 1, "no reminder with the key")
}

// A series' per-occurrence reminders check the designate against the settings of now too: the
// key of an occurrence never reaches a designate who is no longer served.
func TestOccurrenceRemindersCheckTheDesignateAgain(t *testing.T) {
	t.Parallel()
	const partner = "lea.partenaire@partner.example"
	fake := webextest.NewTestServer(t, webextest.Options{Clock: newClock(reference).Now, Directory: directoryWith(
		webextest.Person{Email: partner, DisplayName: "Léa Partenaire", FirstName: "Léa", LastName: "Partenaire", Timezone: "America/Toronto"})})
	db := filepath.Join(t.TempDir(), "relais.db")
	cfg := bot.Config{ReminderBefore: 30 * time.Minute, AllowedDomains: []string{"example.com", "partner.example"}}
	h := newHarness(t, harnessOptions{fake: fake, db: db, botConfig: cfg})
	h.dm(alex, "programme une rencontre pour "+partner+" chaque jeudi à 14 h pendant 3 semaines")
	h.dm(alex, "oui")
	require.Len(t, fake.BotMessages(partner), 1, "allowed at creation: the designate has their message")
	upcoming, err := h.rt.Store.ListUpcomingMeetings(t.Context(), alex, reference, 10)
	require.NoError(t, err)
	require.Len(t, upcoming, 1)
	first := upcoming[0].Start // Thursday June 18, 14 h
	h.stop()

	cfg.AllowedDomains = []string{"example.com"} // partner.example is no longer served
	h = newHarness(t, harnessOptions{fake: fake, db: db, botConfig: cfg})
	h.clock.Advance(first.Sub(reference) - 20*time.Minute) // past the first occurrence's reminder time
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool {
		it, err := h.rt.Store.GetOutboxItem(t.Context(), store.OccurrenceReminderKey(upcoming[0].ID, first))
		return err == nil && it.Status == store.OutboxDone
	}, 10*time.Second, 10*time.Millisecond, "the first occurrence's reminder job ran")
	assert.Len(t, fake.BotMessages(partner), 1, "no reminder with the key")
}
