package conversations

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message answered late opens with the notice, in the person's language, with the time it was
// written in their zone (and its day when that was another day); an answer on time has none.
func TestLateMessageOpensWithTheNotice(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	for _, tc := range []struct {
		text    string
		written time.Time
		want    string
	}{
		{"aide", now.Add(-20 * time.Minute), "Relais était indisponible depuis " + formatClock("fr", now.Add(-20*time.Minute).In(toronto(t)))},
		{"help", now.Add(-20 * time.Minute), "Relais was unavailable since " + formatClock("en", now.Add(-20*time.Minute).In(toronto(t)))},
		{"help", now.Add(-30 * time.Hour), "Relais was unavailable since " + formatDay("en", now.Add(-30*time.Hour).In(toronto(t))) + " at "},
	} {
		in := msg(tc.text)
		in.Late = tc.written
		_, replies, _ := Step(State{}, in, now, Config{})
		require.Len(t, replies, 1)
		assert.Contains(t, replies[0].Markdown, tc.want)
	}
	_, replies, _ := Step(State{}, msg("aide"), now, Config{})
	require.Len(t, replies, 1)
	assert.NotContains(t, replies[0].Markdown, "indisponible")
}

func toronto(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Toronto")
	require.NoError(t, err)
	return loc
}
