package webexapi

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallTimeAddsUpTheCallsOfItsContext(t *testing.T) {
	t.Parallel()
	const latency = 20 * time.Millisecond
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency) // Webex taking its time
		_, _ = io.WriteString(w, `{"id":"p"}`)
	})
	ctx, ct := WithCallTime(context.Background())
	assert.Zero(t, ct.Total())
	_, err := c.People.Get(ctx, "p")
	require.NoError(t, err)
	first := ct.Total()
	assert.GreaterOrEqual(t, first, latency)
	_, err = c.People.Get(ctx, "p")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, ct.Total(), first+latency, "every call counts")

	// A call made with another context is not counted.
	before := ct.Total()
	_, err = c.People.Get(context.Background(), "p")
	require.NoError(t, err)
	assert.Equal(t, before, ct.Total())
}
