package bot_test

import (
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// Each handled event reports how long it took and how much of that was Webex's: the rest is
// Relais's own overhead, exported as a histogram. The bounds come from outside the bot: the
// test's own stopwatch around the event, and the latency the fake Webex adds to every call it
// counts.
func TestEventStatsTellRelaisTimeFromWebexTime(t *testing.T) {
	t.Parallel()
	stats := make(chan bot.EventStats, 16)
	h := newHarness(t, harnessOptions{onStats: func(s bot.EventStats) { stats <- s }})
	const latency = 40 * time.Millisecond
	h.fake.SetFaults(webextest.Faults{LatencyMs: int(latency / time.Millisecond)})

	repliesBefore := h.fake.CallCounts()["POST /v1/messages"]
	began := time.Now()
	id := h.say(webextest.SayRequest{From: alex, Text: "aide"})
	var s bot.EventStats
	for s.EventID != id {
		s = <-stats
	}
	elapsed := time.Since(began)
	replies := h.fake.CallCounts()["POST /v1/messages"] - repliesBefore
	require.GreaterOrEqual(t, replies, 1, "the fake saw the reply")

	// Every reply the fake received was delayed by the latency, within this event's handling.
	webexAtLeast := time.Duration(replies) * latency
	assert.GreaterOrEqual(t, s.Webex, webexAtLeast, "Webex time counts every call's latency")
	assert.LessOrEqual(t, s.Total, elapsed, "the event cannot take longer than the test waited")
	assert.GreaterOrEqual(t, s.Total, webexAtLeast)
	assert.GreaterOrEqual(t, s.Overhead, time.Duration(0))
	assert.LessOrEqual(t, s.Overhead, s.Total-webexAtLeast, "overhead leaves Webex's latency out")

	families, err := h.rt.Metrics.Registry.Gather()
	require.NoError(t, err)
	var hist *dto.Histogram
	for _, f := range families {
		if f.GetName() == "relais_event_overhead_seconds" {
			hist = f.GetMetric()[0].GetHistogram()
		}
	}
	require.NotNil(t, hist, "relais_event_overhead_seconds is exported")
	assert.EqualValues(t, 1, hist.GetSampleCount(), "one event observed in the overhead histogram")
	assert.LessOrEqual(t, hist.GetSampleSum(), (s.Total - webexAtLeast).Seconds(), "the histogram holds the overhead, not the total")
}
