package bot_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestRenameASeriesKeepsItsDates: renaming a series (or handing it over) changes neither its
// dates nor its rule. The list shows a series at its next occurrence; a rename once the first
// occurrence has passed must not move the series' start there, which would make Webex count
// the RRULE's COUNT again from that date (a date the organizer never asked for) and tell the
// designate the meeting moved. Nor does it add a second, one-off reminder to the
// per-occurrence ones.
func TestRenameASeriesKeepsItsDates(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}})
	ctx := t.Context()
	// Tuesday 16 June 2026, 09:00: Thursdays 18 June, 25 June and 2 July at 14:00.
	h.dm(alex, "programme une rencontre pour Jean Dupont chaque jeudi à 14 h pendant 3 semaines")
	h.dm(alex, "oui")
	series := onlyMeeting(t, h)
	ledger, err := h.rt.Store.GetMeetingByWebexID(ctx, series.ID)
	require.NoError(t, err)

	// Before the first occurrence: a rename schedules no one-off reminder beside the series'.
	h.dm(alex, "mes rencontres")
	h.dm(alex, "change le titre de la rencontre 1 pour Suivi")
	require.Contains(t, joined(h.dm(alex, "oui")), "C'est fait")
	m := onlyMeeting(t, h)
	assert.Equal(t, "Suivi", m.Title)
	assert.Equal(t, series.Start, m.Start, "a rename keeps the series' start")
	_, err = h.rt.Store.GetOutboxItem(ctx, store.ReminderKey(ledger.ID))
	assert.ErrorIs(t, err, store.ErrNotFound, "a series is reminded of per occurrence only")

	// Friday 19 June: the first occurrence has passed; the list shows 25 June.
	h.clock.Advance(3 * 24 * time.Hour)
	h.dm(alex, "mes rencontres")
	h.dm(alex, "change le titre de la rencontre 1 pour Bilan")
	require.Contains(t, joined(h.dm(alex, "oui")), "C'est fait")

	m = onlyMeeting(t, h)
	assert.Equal(t, "Bilan", m.Title)
	assert.Equal(t, series.Start, m.Start, "the series still starts on 18 June")
	assert.Equal(t, series.Recurrence, m.Recurrence)
	var starts []string
	for _, o := range h.fake.Occurrences(series.ID) {
		starts = append(starts, o.Start)
	}
	assert.NotContains(t, starts, "2026-07-09T14:00:00-04:00", "no fourth occurrence")
	after, err := h.rt.Store.GetMeeting(ctx, ledger.ID)
	require.NoError(t, err)
	assert.True(t, after.Start.Equal(ledger.Start), "the ledger keeps the series' start: %s", after.Start)
	toJean := h.fake.BotMessages(jean)
	require.NotEmpty(t, toJean)
	assert.NotContains(t, toJean[len(toJean)-1].Markdown, "→ **jeudi 25 juin", "the designate is not told the series moved")
}

// TestHandOverWhenTheInvitationActsThenFails: Webex invites the new designate and then answers
// 503 (a gateway after the work was done). The bot looks before inviting again instead of
// telling the organizer the hand-over failed while Webex has invited the new designate, who
// would then never get the host key.
func TestHandOverWhenTheInvitationActsThenFails(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{Clock: newClock(reference).Now})
	var failed atomic.Int32
	api := intercept(t, fake, func(w http.ResponseWriter, r *http.Request, _ []byte, fake http.Handler) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/meetingInvitees" || !failed.CompareAndSwap(0, 1) {
			return false
		}
		fake.ServeHTTP(httptest.NewRecorder(), r) // Webex acts…
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable) // …and the answer is lost
		_, _ = io.WriteString(w, `{"message":"Service Unavailable","trackingId":"T503"}`)
		return true
	})
	h := newHarness(t, harnessOptions{mode: "webhook", fake: fake, apiURL: api})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	h.dm(alex, "donne la rencontre 1 à Bob Smith")
	r := joined(h.dm(alex, "oui"))
	require.Equal(t, int32(1), failed.Load(), "the invitation acted then failed")
	assert.Contains(t, r, "J'ai avisé Jean Dupont", "the hand-over is done")

	m := onlyMeeting(t, h)
	require.Len(t, m.Invitees, 1, "Bob invited once, Jean removed")
	assert.Equal(t, bob, m.Invitees[0].Email)
	bobMsgs := h.fake.BotMessages(bob)
	require.Len(t, bobMsgs, 1, "Bob gets the host key")
	assert.Contains(t, bobMsgs[0].Markdown, m.HostKey)
}

// TestCancelAnOccurrenceAlreadyGoneFromWebex: the occurrence to cancel is no longer in Webex
// (an earlier attempt deleted it and stopped before the designate's notice was recorded — a
// crash, a turn handled again — or the organizer deleted it in Webex). The cancellation is
// done, not "not found": the organizer is told so and the designate gets the notice, once.
func TestCancelAnOccurrenceAlreadyGoneFromWebex(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	ctx := t.Context()
	h.dm(alex, "programme une rencontre pour Jean Dupont chaque jeudi à 14 h pendant 3 semaines")
	h.dm(alex, "oui")
	series := onlyMeeting(t, h)
	occ := h.fake.Occurrences(series.ID)
	require.Len(t, occ, 3)
	require.Len(t, h.fake.BotMessages(jean), 1)

	confirm := joined(h.dm(alex, "annule la rencontre du 25 juin"))
	require.Contains(t, confirm, "jeudi 25 juin 2026")
	// The first attempt's DELETE reached Webex; its process stopped there.
	require.NoError(t, h.rt.Meetings.Meetings.Delete(ctx, occ[1].ID, &webexapi.MeetingDeleteOptions{HostEmail: alex}))
	require.Len(t, h.fake.Occurrences(series.ID), 2)

	r := joined(h.dm(alex, "oui"))
	assert.Contains(t, r, "25 juin", "the organizer is told the date is cancelled")
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(jean)) >= 2 }, 10*time.Second, 10*time.Millisecond, "the designate is told")
	toJean := h.fake.BotMessages(jean)
	assert.Contains(t, toJean[1].Markdown, "autres dates de la série sont maintenues")
	assert.Len(t, h.fake.Occurrences(series.ID), 2, "the other dates stay")
}
