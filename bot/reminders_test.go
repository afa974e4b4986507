package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
)

func TestReminderWithFreshHostKeyAndCancelledWithTheMeeting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}})
	// Reference is Tuesday 09:00: two meetings on Wednesday.
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	h.dm(alex, "programme une rencontre pour Bob Smith demain à 14 h 30")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)
	require.Len(t, h.fake.BotMessages(bob), 1)

	// Bob's meeting is cancelled: his reminder goes with it.
	h.dm(alex, "annule la rencontre avec Bob Smith")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(bob), 2, "the meeting, then its cancellation")

	// Wednesday 13:31: Jean's reminder is due (14:00 − 30 min), Bob's would have been at 14:00.
	h.clock.Advance(28*time.Hour + 31*time.Minute)
	h.rt.Bot.Poke()
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(jean)) == 2 }, 10*time.Second, 10*time.Millisecond, "Jean's reminder")
	h.clock.Advance(40 * time.Minute)
	h.rt.Bot.Poke()
	// Give the poller a few rounds, then check nothing else was sent: the poll count is
	// observed through the outbox, which must be empty of due work.
	require.Eventually(t, func() bool {
		n, err := h.rt.Store.OutboxDepth(t.Context())
		return err == nil && n == 0
	}, 10*time.Second, 10*time.Millisecond)
	assert.Len(t, h.fake.BotMessages(bob), 2, "no reminder for a cancelled meeting")
	assert.Len(t, h.fake.BotMessages(jean), 2, "exactly one reminder")

	var jeanKey string
	for _, m := range h.fake.Meetings() {
		if m.Invitees[0].Email == jean {
			jeanKey = m.HostKey
		}
	}
	reminder := h.fake.BotMessages(jean)[1].Markdown
	assert.Contains(t, reminder, jeanKey, "the reminder carries the host key, read fresh")
	assert.True(t, strings.Contains(reminder, "Reclaim host role"), "and the steps")
}
