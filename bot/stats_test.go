package bot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// Each handled event reports how long it took and how much of that was Webex's: the rest is
// Relais's own overhead, exported as a histogram.
func TestEventStatsTellRelaisTimeFromWebexTime(t *testing.T) {
	t.Parallel()
	stats := make(chan bot.EventStats, 16)
	h := newHarness(t, harnessOptions{onStats: func(s bot.EventStats) { stats <- s }})
	const latencyMs = 40
	h.fake.SetFaults(webextest.Faults{LatencyMs: latencyMs})

	id := h.say(webextest.SayRequest{From: alex, Text: "aide"})
	var s bot.EventStats
	for s.EventID != id {
		s = <-stats
	}
	// At least the reply went to Webex, and every call waited for the injected latency.
	assert.GreaterOrEqual(t, s.Webex.Milliseconds(), int64(latencyMs))
	assert.GreaterOrEqual(t, s.Total, s.Webex)
	assert.Equal(t, s.Total-s.Webex, s.Overhead)
	families, err := h.rt.Metrics.Registry.Gather()
	require.NoError(t, err)
	var count uint64
	for _, f := range families {
		if f.GetName() == "relais_event_overhead_seconds" {
			count = f.GetMetric()[0].GetHistogram().GetSampleCount()
		}
	}
	assert.EqualValues(t, 1, count, "one event observed in the overhead histogram")
}
