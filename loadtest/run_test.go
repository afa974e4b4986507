package loadtest

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The load driver keeps working: a few flows without latency all complete, exactly once, with
// the minimum of Webex calls. Nothing here is timed.
func TestRunFewFlows(t *testing.T) {
	t.Parallel()
	rep, err := Run(context.Background(), Config{Flows: 5, Dialogues: 3})
	require.NoError(t, err)

	var out bytes.Buffer
	rep.Write(&out)
	assert.Equal(t, 5, rep.Completed, out.String())
	assert.Zero(t, rep.Errors, out.String())
	assert.Equal(t, 5, rep.Verified, out.String())
	assert.Zero(t, rep.Problems+rep.DuplicateMeetings+rep.DuplicateDesignate+rep.DuplicateReplies, out.String())
	assert.Equal(t, 10, rep.Events)
	for ep, want := range MinimumCalls {
		assert.Equal(t, 5*want, rep.Calls[ep], "%s\n%s", ep, out.String())
	}
	assert.InDelta(t, float64(minimumTotal()), rep.CallsPerFlow(), 0.001, out.String())
	assert.Zero(t, rep.Calls[epGetMe], "the bot's identity is not fetched again per flow")
	assert.Positive(t, rep.StartupCalls[epGetMe], "the bot's identity is fetched at start-up")
	assert.Equal(t, 3, rep.DialoguesOpened)
	assert.Contains(t, out.String(), "flows completed          5 / 5")
}

// The webhook path too: the fake posts signed webhooks to the bot's receiver, and every flow
// completes once with the minimum of Webex calls (the bot reads each message itself). The bot
// reports its own time per event for every one of them.
func TestRunFewFlowsOverWebhooks(t *testing.T) {
	t.Parallel()
	rep, err := Run(context.Background(), Config{Flows: 5, Mode: "webhook"})
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out)
	assert.Equal(t, 5, rep.Verified, out.String())
	assert.Zero(t, rep.Errors+rep.Problems+rep.DuplicateMeetings+rep.DuplicateDesignate+rep.DuplicateReplies, out.String())
	for ep, want := range MinimumCalls {
		assert.Equal(t, 5*want, rep.Calls[ep], "%s\n%s", ep, out.String())
	}
	assert.Contains(t, out.String(), "webhook path")
	assert.Positive(t, rep.BotOverheadMax, "the bot's own time is reported")
}
