package bot_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
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
