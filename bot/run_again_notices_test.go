package bot_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReminderAndCancelNoticeNotDoubledWhenRunAgain: a one-time meeting's reminder, then its
// cancellation notice, sent but not marked done, are run again by the outbox: the designate gets
// each once (the job looks in the 1:1 space before sending again).
func TestReminderAndCancelNoticeNotDoubledWhenRunAgain(t *testing.T) {
	t.Parallel()
	o, lost := withLostCompletion(harnessOptions{})
	h := newHarness(t, o)
	// Tuesday 16 June 09:00: tomorrow at 14:00.
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)

	lost.arm()
	h.clock.Advance(28*time.Hour + 31*time.Minute) // Wednesday 13:31, the reminder is due
	require.Eventually(t, func() bool {
		h.rt.Bot.Poke()
		return len(h.fake.BotMessages(jean)) >= 2
	}, 10*time.Second, 10*time.Millisecond, "the reminder")
	lost.runAgain(t, h, "reminder")
	assert.Len(t, h.fake.BotMessages(jean), 2, "the reminder once")

	h.dm(alex, "annule la rencontre avec Jean Dupont")
	lost.arm()
	h.dm(alex, "oui")
	lost.runAgain(t, h, "cancellation notice")
	assert.Equal(t, 1, countContaining(h, jean, "a annulé la rencontre"), "the notice once")
}

// TestReleasedNoticeNotDoubledWhenRunAgain: a meeting handed over to another designate; the
// notice to the previous one, sent but not marked done, is run again: they get it once.
func TestReleasedNoticeNotDoubledWhenRunAgain(t *testing.T) {
	t.Parallel()
	o, lost := withLostCompletion(harnessOptions{})
	h := newHarness(t, o)
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)
	h.dm(alex, "mes rencontres")
	h.dm(alex, "donne la rencontre 1 à Bob Smith")
	lost.arm()
	h.dm(alex, "oui")
	lost.runAgain(t, h, "released notice")
	assert.Len(t, h.fake.BotMessages(jean), 2, "the previous designate told once")
	assert.Len(t, h.fake.BotMessages(bob), 1, "the new designate's message once")
}
