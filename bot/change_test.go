package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi/webextest"
)

func onlyMeeting(t *testing.T, h *harness) webextest.SimMeeting {
	t.Helper()
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	return ms[0]
}

// « déplace la rencontre 1 à jeudi 15 h », then a new title, then « oui »: the meeting moves in
// Webex with join before host 15 minutes and its invitee kept, the designate gets, 1:1, what
// changed with the current host key, and the reminder moves with the meeting.
func TestChangeMeetingNotifiesTheDesignate(t *testing.T) { bothModes(t, e2eChangeMeeting) }

func e2eChangeMeeting(t *testing.T, mode string) {
	h := newHarness(t, harnessOptions{mode: mode, botConfig: bot.Config{ReminderBefore: 30 * time.Minute}})
	ctx := context.Background()
	// Reference is Tuesday 16 June, 09:00: the meeting is Wednesday 14:00.
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)
	first := onlyMeeting(t, h)
	assert.Contains(t, h.fake.BotMessages(jean)[0].Markdown, "Je vous enverrai un rappel avec la clé organisateur à jour 30 minutes avant le début.")

	h.dm(alex, "mes rencontres")
	r := h.dm(alex, "déplace la rencontre 1 à jeudi 15 h")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "jeudi 18 juin 2026, de 15 h 00 à 16 h 00")
	assert.Equal(t, first.Start, onlyMeeting(t, h).Start, "nothing changes before the organizer confirms")
	r = h.dm(alex, "et change le titre pour Bilan")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "« Bilan »")
	r = h.dm(alex, "oui")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "C'est fait")

	m := onlyMeeting(t, h)
	assert.Equal(t, first.ID, m.ID, "the same Webex meeting, updated")
	assert.Equal(t, "Bilan", m.Title)
	start, err := time.Parse(time.RFC3339, m.Start)
	require.NoError(t, err)
	assert.True(t, start.Equal(time.Date(2026, 6, 18, 15, 0, 0, 0, mustZone("America/Toronto"))), m.Start)
	assert.True(t, m.EnabledJoinBeforeHost)
	assert.Equal(t, 15, m.JoinBeforeHostMinutes)
	require.Len(t, m.Invitees, 1)
	assert.Equal(t, jean, m.Invitees[0].Email, "the designate stays invited")

	msgs := h.fake.BotMessages(jean)
	require.Len(t, msgs, 2, "the designate is told, once")
	changed := msgs[1].Markdown
	assert.Contains(t, changed, "a modifié la rencontre que vous animerez")
	assert.Contains(t, changed, "jeudi 18 juin 2026, de 15 h 00 à 16 h 00")
	assert.Contains(t, changed, "« Rencontre pour Jean Dupont » → **« Bilan »**")
	assert.Contains(t, changed, m.HostKey, "with the host key read fresh")
	assert.Contains(t, changed, "Je vous enverrai un rappel")
	assert.NotEmpty(t, msgs[1].Attachments, "and the card")

	// The reminder moved: due Thursday 14:30, not Wednesday 13:30 any more.
	upcoming, err := h.rt.Store.ListUpcomingMeetings(ctx, alex, reference, 10)
	require.NoError(t, err)
	require.Len(t, upcoming, 1)
	assert.Equal(t, "Bilan", upcoming[0].Title)
	reminder, err := h.rt.Store.GetOutboxItem(ctx, store.ReminderKey(upcoming[0].ID))
	require.NoError(t, err)
	assert.True(t, reminder.DueAt.Equal(start.Add(-30*time.Minute)), "reminder due %s", reminder.DueAt)

	h.clock.Advance(53*time.Hour + 31*time.Minute) // Thursday 14:31
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(jean)) == 3 }, 10*time.Second, 10*time.Millisecond, "the reminder")
	assert.Contains(t, h.fake.BotMessages(jean)[2].Markdown, "Rappel")

	// « oui » again is a new message with nothing to confirm: no second change message.
	h.dm(alex, "oui")
	assert.Len(t, h.fake.BotMessages(jean), 3)
}

// « donne la rencontre 1 à Bob Smith »: Bob is invited and gets the meeting with the host key;
// Jean is told, 1:1 and without any secret, that it no longer relies on him, and is removed
// from the invitees.
func TestHandOverMeeting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	r := h.dm(alex, "donne la rencontre 1 à Bob Smith")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "Jean Dupont → **Bob Smith")
	r = h.dm(alex, "oui")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "J'ai avisé Jean Dupont")

	m := onlyMeeting(t, h)
	require.Len(t, m.Invitees, 1)
	assert.Equal(t, bob, m.Invitees[0].Email, "Bob invited, Jean removed")
	invited := false
	for _, e := range h.fake.Emails() {
		invited = invited || (e.To == bob && e.Role == "invitee")
	}
	assert.True(t, invited, "Webex e-mails Bob the invitation")

	bobMsgs := h.fake.BotMessages(bob)
	require.Len(t, bobMsgs, 1)
	assert.Contains(t, bobMsgs[0].Markdown, "vous confie l'animation d'une rencontre Webex, jusqu'ici confiée à Jean Dupont")
	assert.Contains(t, bobMsgs[0].Markdown, m.HostKey)
	jeanMsgs := h.fake.BotMessages(jean)
	require.Len(t, jeanMsgs, 2)
	assert.Contains(t, jeanMsgs[1].Markdown, "ne repose plus sur vous")
	assert.NotContains(t, jeanMsgs[1].Markdown, m.HostKey)
	assert.NotContains(t, jeanMsgs[1].Markdown, m.Password)

	r = h.dm(alex, "mes rencontres")
	assert.Contains(t, r[0].Markdown, "« Rencontre pour Bob Smith » — Bob Smith —", "the default title follows the designate")
	assert.NotContains(t, r[0].Markdown, "— Jean Dupont —")
	// Resending the key now reaches Bob.
	h.dm(alex, "renvoie la clé")
	assert.Len(t, h.fake.BotMessages(bob), 2)
	assert.Len(t, h.fake.BotMessages(jean), 2)
}

// Only the organizer who scheduled a meeting can change it: someone else has nothing to change,
// and a change of another organizer's meeting is refused before Webex is asked.
func TestOnlyTheOrganizerChangesAMeeting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	before := onlyMeeting(t, h)

	r := h.dm(bob, "déplace la rencontre 1 à jeudi 15 h")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "aucune rencontre à venir à modifier")
	r = h.dm(bob, "give meeting 1 to Marie Tremblay")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "no upcoming meeting to hand over")

	ctx := context.Background()
	upcoming, err := h.rt.Store.ListUpcomingMeetings(ctx, alex, reference, 10)
	require.NoError(t, err)
	require.Len(t, upcoming, 1)
	start := reference.Add(48 * time.Hour)
	res := bot.ChangeMeetingForTest(ctx, h.rt.Bot, bob, conversations.MeetingChange{
		Ref: upcoming[0].ID, Title: "Pris", Start: start, End: start.Add(time.Hour), TimeZone: "America/Toronto",
		Designate: conversations.Person{Email: bob}, Previous: conversations.Person{Email: jean}, IdempotencyKey: "bob#1",
	})
	require.NotNil(t, res.Err)
	assert.Equal(t, conversations.FailureNotFound, res.Err.Kind)
	assert.Equal(t, before, onlyMeeting(t, h), "the meeting is untouched")
	assert.Len(t, h.fake.BotMessages(jean), 1)
}

// In a group space a change is sent to the 1:1 space, and nothing is shown or changed.
func TestChangeInGroupSpaceIsPrivate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	before := onlyMeeting(t, h)
	h.say(webextest.SayRequest{From: alex, Room: "Équipe", Text: "Relais déplace la rencontre 1 à jeudi 15 h"})
	room := h.fake.RoomMessages("Équipe")
	require.NotEmpty(t, room)
	last := room[len(room)-1].Markdown
	assert.Contains(t, last, "message privé")
	assert.NotContains(t, last, before.Title)
	assert.Equal(t, before, onlyMeeting(t, h))
}

// A change's messages left behind by a process that stopped (or whose send failed) are sent by
// the outbox poller: the designate gets what changed with the host key read then, the previous
// designate the notice.
func TestChangeMessagesLeftBehindAreSent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	ctx := context.Background()
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	upcoming, err := h.rt.Store.ListUpcomingMeetings(ctx, alex, reference, 10)
	require.NoError(t, err)
	require.Len(t, upcoming, 1)
	m := upcoming[0]
	// As the process that changed the title left it: ledger updated, messages not sent.
	require.NoError(t, h.rt.Store.UpdateMeeting(ctx, m.ID, store.MeetingUpdate{Title: "Bilan", Start: m.Start, End: m.End,
		DesignateEmail: bob, DesignateName: "Bob Smith"}))
	payload := fmt.Sprintf(`{"meetingId":%q,"before":{"title":%q,"start":%q,"end":%q,"designateEmail":%q,"designateName":"Jean Dupont"}}`,
		m.ID, m.Title, m.Start.Format(time.RFC3339), m.End.Format(time.RFC3339), jean)
	for _, kind := range []string{"changed", "released"} {
		_, err := h.rt.Store.Enqueue(ctx, store.OutboxItem{Key: kind + ":" + m.ID + ":crash", Kind: kind, Payload: []byte(payload), DueAt: h.clock.Now()})
		require.NoError(t, err)
	}
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(bob)) == 1 && len(h.fake.BotMessages(jean)) == 2 },
		10*time.Second, 10*time.Millisecond)
	key := onlyMeeting(t, h).HostKey
	assert.Contains(t, h.fake.BotMessages(bob)[0].Markdown, "jusqu'ici confiée à Jean Dupont")
	assert.Contains(t, h.fake.BotMessages(bob)[0].Markdown, key)
	assert.Contains(t, h.fake.BotMessages(jean)[1].Markdown, "a confié à Bob Smith")
	assert.NotContains(t, h.fake.BotMessages(jean)[1].Markdown, key)
	require.Eventually(t, func() bool {
		n, err := h.rt.Store.OutboxDepth(ctx)
		return err == nil && n == 0
	}, 10*time.Second, 10*time.Millisecond, "both jobs done")
}

// A meeting moved after its reminder went out is reminded of again before its new start.
func TestReminderSentThenMeetingMoved(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	h.clock.Advance(28*time.Hour + 31*time.Minute) // Wednesday 13:31
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(jean)) == 2 }, 10*time.Second, 10*time.Millisecond, "the first reminder")

	r := h.dm(alex, "déplace la rencontre 1 à 16 h")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "de 16 h 00 à 17 h 00")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 3, "the change")
	h.clock.Advance(2 * time.Hour) // 15:31
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(jean)) == 4 }, 10*time.Second, 10*time.Millisecond, "the reminder of the new time")
	reminder := h.fake.BotMessages(jean)[3].Markdown
	assert.Contains(t, reminder, "Rappel")
	assert.Contains(t, reminder, "de 16 h 00 à 17 h 00")
	assert.Contains(t, reminder, onlyMeeting(t, h).HostKey)
}
