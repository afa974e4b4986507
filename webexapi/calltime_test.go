package webexapi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestCallTimeAddsUpTheCallsOfItsContext(t *testing.T) {
	t.Parallel()
	const latencyMs = 20
	s := webextest.NewTestServer(t, webextest.Options{})
	s.SetFaults(webextest.Faults{LatencyMs: latencyMs}) // Webex taking its time
	c := fakeClient(t, s)

	ctx, ct := webexapi.WithCallTime(context.Background())
	assert.Zero(t, ct.Total())
	_, err := c.People.Me(ctx)
	require.NoError(t, err)
	first := ct.Total()
	assert.GreaterOrEqual(t, first.Milliseconds(), int64(latencyMs))
	_, err = c.People.Me(ctx)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, (ct.Total() - first).Milliseconds(), int64(latencyMs), "every call counts")

	// A call made with another context is not counted.
	before := ct.Total()
	_, err = c.People.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, before, ct.Total())
}
