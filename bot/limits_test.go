package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/conversations"
)

// TestMeetingsPerHourPoliteRefusal: beyond the per-organizer limit, the meeting is not
// created and the organizer gets the polite refusal; answering « oui » once the hour has
// moved on creates it; another organizer is not affected.
func TestMeetingsPerHourPoliteRefusal(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{botConfig: bot.Config{MeetingsPerHour: 2,
		Dialogue: conversations.Config{IdleTimeout: 3 * time.Hour}}})

	for i, hour := range []int{9, 10} {
		h.dm(alex, fmt.Sprintf("programme une rencontre pour Jean Dupont demain à %d h", hour))
		h.dm(alex, "oui")
		require.Len(t, h.fake.Meetings(), i+1)
	}
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
	r := h.dm(alex, "oui")
	require.NotEmpty(t, r)
	assert.Len(t, h.fake.Meetings(), 2, "the third meeting within the hour is not created")
	assert.Contains(t, texts(r), "beaucoup de rencontres en peu de temps")
	assert.Contains(t, texts(r), "Rien n'a été créé")
	assert.Len(t, h.fake.BotMessages("jean.dupont@example.com"), 2, "the designate hears only of the two meetings")

	// Another organizer has a limit of their own.
	h.dm("bob.smith@example.com", "schedule a meeting for Marie Tremblay tomorrow at 1pm")
	h.dm("bob.smith@example.com", "yes")
	assert.Len(t, h.fake.Meetings(), 3)

	// Half an hour later (2 per hour: one every 30 minutes), « oui » goes through.
	h.clock.Advance(31 * time.Minute)
	r = h.dm(alex, "oui")
	require.NotEmpty(t, r)
	assert.Len(t, h.fake.Meetings(), 4, "retried after the wait: created; texts: %s", texts(r))
}
