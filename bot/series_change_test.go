package bot_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
)

// TestChangingASeries: « déplace la rencontre 1 à vendredi 15 h » said of a weekly series is
// answered plainly and changes nothing (a series keeps its dates: it used to become « chaque
// jeudi » starting on a Friday, its reminders left on the old dates); renaming it keeps the rule,
// the first date and a cancelled date cancelled, leaves the per-occurrence reminders alone, and
// sends the designate the new title with the current occurrence's key.
func TestChangingASeries(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}})
	ctx := t.Context()
	// Reference is Tuesday 16 June 2026, 09:00 in Toronto.
	h.dm(alex, "programme une rencontre pour Jean Dupont chaque jeudi à 14 h pendant 3 semaines")
	h.dm(alex, "oui")
	require.Len(t, h.fake.Meetings(), 1)
	series := h.fake.Meetings()[0]
	require.Len(t, h.fake.Occurrences(series.ID), 3)
	h.dm(alex, "annule la rencontre du 25 juin")
	h.dm(alex, "oui")
	require.Len(t, h.fake.Occurrences(series.ID), 2)
	ledger, err := h.rt.Store.GetMeetingByWebexID(ctx, series.ID)
	require.NoError(t, err)
	toJean := len(h.fake.BotMessages(jean))

	for _, move := range []string{"déplace la rencontre 1 à vendredi 15 h", "allonge la rencontre 1 de 30 minutes", "move meeting 1 to Friday at 10"} {
		r := joined(h.dm(alex, move))
		assert.Regexp(t, "s[eé]rie", r, move)
		assert.NotContains(t, r, "→", "%s: no change proposed", move)
		h.dm(alex, "oui")
		now := h.fake.Meetings()[0]
		assert.Equal(t, series.Start, now.Start, move)
		assert.Equal(t, series.End, now.End, move)
		assert.Equal(t, series.Recurrence, now.Recurrence, move)
	}
	assert.Len(t, h.fake.BotMessages(jean), toJean, "the designate is not told of a change that was not made")

	r := joined(h.dm(alex, "change le titre de la rencontre 1 pour Bilan hebdo"))
	assert.Contains(t, r, "Bilan hebdo")
	h.dm(alex, "oui")
	now := h.fake.Meetings()[0]
	assert.Equal(t, "Bilan hebdo", now.Title)
	assert.Equal(t, series.Recurrence, now.Recurrence, "still a series")
	assert.Equal(t, series.Start, now.Start, "same first date")
	assert.True(t, now.EnabledJoinBeforeHost)
	assert.Equal(t, 15, now.JoinBeforeHostMinutes)
	occ := h.fake.Occurrences(series.ID)
	assert.Len(t, occ, 2, "the cancelled date stays cancelled")

	_, err = h.rt.Store.GetOutboxItem(ctx, store.ReminderKey(ledger.ID))
	assert.ErrorIs(t, err, store.ErrNotFound, "no plain reminder added to a series")
	it, err := h.rt.Store.GetOutboxItem(ctx, store.OccurrenceReminderKey(ledger.ID, mustParse(t, occ[0].Start)))
	require.NoError(t, err)
	assert.Equal(t, store.OutboxPending, it.Status, "the first occurrence's reminder is still due")

	msgs := h.fake.BotMessages(jean)
	require.Len(t, msgs, toJean+1)
	changed := msgs[toJean].Markdown
	assert.Contains(t, changed, "Bilan hebdo")
	assert.Contains(t, changed, "chaque jeudi")
	assert.Contains(t, changed, occ[0].HostKey, "the current occurrence's key")

	// Handed over: the previous designate is told that every date goes, not only the first.
	h.dm(alex, "donne la rencontre 1 à Marie Tremblay")
	h.dm(alex, "oui")
	assert.Equal(t, series.Recurrence, h.fake.Meetings()[0].Recurrence, "still a series")
	msgs = h.fake.BotMessages(jean)
	require.Len(t, msgs, toJean+2)
	released := msgs[toJean+1].Markdown
	assert.Contains(t, released, "série de rencontres")
	assert.Contains(t, released, "chaque jeudi, 3 fois")
	assert.Contains(t, released, "aucune de ses dates")
	toMarie := h.fake.BotMessages("marie.tremblay@example.com")
	require.NotEmpty(t, toMarie)
	assert.Contains(t, last(t, toMarie).Markdown, "chaque jeudi, 3 fois")
}

func mustParse(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return at
}

// TestRenamingASeriesAfterItsFirstDate: once the first date of a series has gone by, renaming it
// tells the organizer and the designate only of the new title — not of the first date "moved"
// to the next one — and the designate's message names the next date with that date's own key.
func TestRenamingASeriesAfterItsFirstDate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}})
	// Reference is Tuesday 16 June 2026, 09:00 in Toronto.
	h.dm(alex, "programme une rencontre pour Jean Dupont chaque jeudi à 14 h pendant 3 semaines")
	h.dm(alex, "oui")
	series := h.fake.Meetings()[0]
	occ := h.fake.Occurrences(series.ID)
	require.Len(t, occ, 3)
	h.clock.Advance(3 * 24 * time.Hour) // Friday 19 June: the 18th is past, the 25th is next
	toJean := len(h.fake.BotMessages(jean))

	r := joined(h.dm(alex, "change le titre de la rencontre 1 pour Bilan hebdo"))
	assert.Contains(t, r, "jeudi 25 juin 2026")
	done := joined(h.dm(alex, "oui"))
	assert.Contains(t, done, "Bilan hebdo")
	assert.NotContains(t, done, "**Quand**", "only the title changed")
	msgs := h.fake.BotMessages(jean)
	require.Greater(t, len(msgs), toJean)
	changed := last(t, msgs).Markdown
	assert.NotContains(t, changed, "- **Quand**", "the dates did not change")
	assert.Contains(t, changed, "**Quand** : jeudi 25 juin 2026")
	assert.Contains(t, changed, h.fake.Occurrences(series.ID)[1].HostKey, "the next date's own key")
}
