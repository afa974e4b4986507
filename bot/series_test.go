package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi/webextest"
)

func joined(ms []webextest.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Markdown + "\n")
	}
	return b.String()
}

// TestSeriesEndToEnd: a weekly series is created once in Webex with the right RRULE; before
// each occurrence the designate gets a reminder with that occurrence's own host key; a cancelled
// occurrence gets no reminder and the chain goes on; the list shows the series once; cancelling
// the series deletes it and tells the designate.
func TestSeriesEndToEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}})
	ctx := t.Context()
	// Reference is Tuesday 16 June 2026, 09:00 in Toronto.
	summary := joined(h.dm(alex, "programme une rencontre pour Jean Dupont chaque jeudi à 14 h pendant 3 semaines"))
	assert.Contains(t, summary, "chaque jeudi, 3 fois")
	assert.Contains(t, summary, "jeudi 18 juin ; jeudi 25 juin ; jeudi 2 juillet")
	h.dm(alex, "oui")
	h.dm(alex, "oui") // a replayed confirmation creates nothing more

	ms := h.fake.Meetings()
	require.Len(t, ms, 1, "one series, created once")
	series := ms[0]
	assert.Equal(t, "FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;COUNT=3", series.Recurrence)
	assert.Equal(t, "2026-06-18T14:00:00-04:00", series.Start)
	occ := h.fake.Occurrences(series.ID)
	require.Len(t, occ, 3)
	require.NotEqual(t, occ[0].HostKey, occ[1].HostKey)
	require.NotEqual(t, occ[1].HostKey, occ[2].HostKey)

	toJean := h.fake.BotMessages(jean)
	require.Len(t, toJean, 1)
	assert.Contains(t, toJean[0].Markdown, "chaque jeudi, 3 fois", "the designate is told the rule")
	assert.Contains(t, toJean[0].Markdown, "jeudi 18 juin ; jeudi 25 juin ; jeudi 2 juillet", "and the first dates")
	assert.Contains(t, toJean[0].Markdown, occ[0].HostKey)

	ledger, err := h.rt.Store.GetMeetingByWebexID(ctx, series.ID)
	require.NoError(t, err)
	waitJean := func(n int, why string) []webextest.Message {
		t.Helper()
		h.rt.Bot.Poke()
		require.Eventually(t, func() bool { return len(h.fake.BotMessages(jean)) >= n }, 10*time.Second, 10*time.Millisecond, why)
		return h.fake.BotMessages(jean)
	}
	pending := func(occurrence string) bool {
		at, err := time.Parse(time.RFC3339, occurrence)
		require.NoError(t, err)
		it, err := h.rt.Store.GetOutboxItem(ctx, store.OccurrenceReminderKey(ledger.ID, at))
		return err == nil && it.Status == store.OutboxPending
	}
	require.True(t, pending(occ[0].Start), "the first occurrence's reminder is scheduled with the series")
	assert.False(t, pending(occ[1].Start), "one pending reminder at a time")

	// Thursday 18 June, 13:31: the first reminder, with the first occurrence's key.
	h.clock.Advance(2*24*time.Hour + 4*time.Hour + 31*time.Minute)
	toJean = waitJean(2, "the first occurrence's reminder")
	assert.Contains(t, toJean[1].Markdown, occ[0].HostKey)
	assert.Contains(t, toJean[1].Markdown, "jeudi 18 juin 2026")
	require.Eventually(t, func() bool { return pending(occ[1].Start) }, 10*time.Second, 10*time.Millisecond, "the next reminder is scheduled when the previous is sent")

	// The list shows the series once, at its next occurrence, with its rule.
	list := joined(h.dm(alex, "mes rencontres"))
	assert.Equal(t, 1, strings.Count(list, "Rencontre pour Jean Dupont"), list)
	assert.Contains(t, list, "chaque jeudi, 3 fois")

	// « annule la rencontre de jeudi prochain » (25 June): that occurrence only.
	confirm := joined(h.dm(alex, "annule la rencontre de jeudi prochain"))
	assert.Contains(t, confirm, "jeudi 25 juin 2026")
	h.dm(alex, "oui")
	require.Len(t, h.fake.Occurrences(series.ID), 2, "one occurrence deleted in Webex")
	assert.Equal(t, occ[2].ID, h.fake.Occurrences(series.ID)[1].ID)
	toJean = waitJean(3, "the designate is told of the cancelled date")
	assert.Contains(t, toJean[2].Markdown, "25 juin")
	assert.Contains(t, toJean[2].Markdown, "autres dates de la série sont maintenues")

	// Thursday 25 June, 13:31: no reminder for the cancelled occurrence; the next is scheduled.
	h.clock.Advance(7 * 24 * time.Hour)
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool { return pending(occ[2].Start) }, 10*time.Second, 10*time.Millisecond, "the chain goes on past a cancelled date")
	assert.Len(t, h.fake.BotMessages(jean), 3, "no reminder for the cancelled occurrence")

	// Thursday 2 July, 13:31: the third occurrence's reminder with its own, fresh key.
	h.clock.Advance(7 * 24 * time.Hour)
	toJean = waitJean(4, "the third occurrence's reminder")
	assert.Contains(t, toJean[3].Markdown, occ[2].HostKey)
	assert.NotContains(t, toJean[3].Markdown, occ[0].HostKey)
	assert.Contains(t, toJean[3].Markdown, "jeudi 2 juillet 2026")

	// « annule la série »: everything goes, the designate is told.
	confirm = joined(h.dm(alex, "annule la série"))
	assert.Contains(t, confirm, "toute la série")
	h.dm(alex, "oui")
	assert.Empty(t, h.fake.Meetings(), "the series is deleted in Webex")
	toJean = waitJean(5, "the series' cancellation notice")
	assert.Contains(t, toJean[4].Markdown, "a annulé la série")
	list = joined(h.dm(alex, "mes rencontres"))
	assert.NotContains(t, list, "Rencontre pour Jean Dupont")
}

// TestSeriesInEnglishAndGroupSpace: "every other Thursday at 2pm, 5 times" asked in a group
// space is one series with INTERVAL=2 and COUNT=5; the group sees neither key nor password.
func TestSeriesInEnglishAndGroupSpace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.say(webextest.SayRequest{From: alex, Room: "Team", Text: "schedule a meeting for Bob Smith every other Thursday at 2pm, 5 times"})
	h.say(webextest.SayRequest{From: alex, Room: "Team", Text: "yes"})
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	assert.Equal(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=5", ms[0].Recurrence)
	assert.Equal(t, "2026-06-18T14:00:00-04:00", ms[0].Start)
	var group string
	for _, m := range h.fake.RoomMessages("Team") {
		group += m.Markdown + "\n"
	}
	assert.Contains(t, group, "every other Thursday, 5 times")
	assert.NotContains(t, group, ms[0].HostKey)
	assert.NotContains(t, group, ms[0].Password)
	toBob := h.fake.BotMessages(bob)
	require.Len(t, toBob, 1)
	assert.Contains(t, toBob[0].Markdown, "every other Thursday, 5 times")
	assert.Contains(t, toBob[0].Markdown, ms[0].HostKey, "the key goes to the designate, 1:1")
}

// TestSeriesResendGivesTheNextOccurrencesKey: « renvoie la clé » for a series sends the key of
// its current or next occurrence, with that occurrence's date.
func TestSeriesResendGivesTheNextOccurrencesKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.dm(alex, "schedule a meeting for Bob Smith every Wednesday at 10am, 3 times")
	h.dm(alex, "yes")
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	occ := h.fake.Occurrences(ms[0].ID)
	require.Len(t, occ, 3)
	// Wednesday 17 June, 11:30: the first occurrence is over; the next is on the 24th.
	h.clock.Advance(26*time.Hour + 30*time.Minute)
	h.dm(alex, "resend the host key")
	toBob := h.fake.BotMessages(bob)
	require.Len(t, toBob, 2)
	assert.Contains(t, toBob[1].Markdown, occ[1].HostKey)
	assert.NotContains(t, toBob[1].Markdown, occ[0].HostKey)
	assert.Contains(t, toBob[1].Markdown, "Wednesday, June 24, 2026")
}

// TestSeriesNoticeRetriedFromTheOutboxAndCancelledSeriesNotReminded: a notice left in the
// outbox (the process stopped before sending it) goes out with the right text; once the series
// is cancelled, its pending reminder is dropped.
func TestSeriesNoticeRetriedFromTheOutboxAndCancelledSeriesNotReminded(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}})
	ctx := t.Context()
	h.dm(alex, "programme une rencontre pour Jean Dupont chaque vendredi à 11 h, 4 fois")
	h.dm(alex, "oui")
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	ledger, err := h.rt.Store.GetMeetingByWebexID(ctx, ms[0].ID)
	require.NoError(t, err)
	require.Len(t, h.fake.BotMessages(jean), 1)

	// A notice of a cancelled occurrence (Friday 26 June, 11:00 in Toronto) waiting in the outbox.
	_, err = h.rt.Store.Enqueue(ctx, store.OutboxItem{Key: "seriesnotice:" + ledger.ID + "@20260626T150000Z", Kind: "seriesnotice",
		Payload: []byte(`{"meetingId":"` + ledger.ID + `"}`), DueAt: h.clock.Now()})
	require.NoError(t, err)
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(jean)) == 2 }, 10*time.Second, 10*time.Millisecond)
	notice := h.fake.BotMessages(jean)[1].Markdown
	assert.Contains(t, notice, "vendredi 26 juin 2026")
	assert.Contains(t, notice, "autres dates de la série sont maintenues")

	h.dm(alex, "annule la série")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 3, "the series' cancellation notice")
	assert.Contains(t, h.fake.BotMessages(jean)[2].Markdown, "chaque vendredi, 4 fois")
	// Friday 19 June, 10:31: the first occurrence's reminder comes due, for a cancelled series.
	h.clock.Advance(3*24*time.Hour + time.Hour + 31*time.Minute)
	h.rt.Bot.Poke()
	at := time.Date(2026, 6, 19, 11, 0, 0, 0, mustZone("America/Toronto"))
	require.Eventually(t, func() bool {
		it, err := h.rt.Store.GetOutboxItem(ctx, store.OccurrenceReminderKey(ledger.ID, at))
		return err == nil && it.Status == store.OutboxDone
	}, 10*time.Second, 10*time.Millisecond)
	assert.Len(t, h.fake.BotMessages(jean), 3, "no reminder for a cancelled series")
	n, err := h.rt.Store.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "and no next reminder scheduled")
}
