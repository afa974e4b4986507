package conversations

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/rrule"
)

// A weekly rule without BYDAY (as Webex may give a series back, and the sweep of abandoned
// intents reads it from Webex) repeats on the start's weekday; saying it must not panic.
func TestWeeklyRuleWithoutByDayNamesTheStartDay(t *testing.T) {
	t.Parallel()
	r, err := rrule.Parse("FREQ=WEEKLY;INTERVAL=1;COUNT=4")
	require.NoError(t, err)
	start := time.Date(2026, 6, 17, 14, 0, 0, 0, time.UTC) // a Wednesday
	assert.Contains(t, describeRule(nlu.French, r, start), "chaque mercredi")
	assert.Contains(t, describeRule(nlu.English, r, start), "every Wednesday")
}
