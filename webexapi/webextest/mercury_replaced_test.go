package webextest_test

import (
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestMercuryReplacedConnectionClosedWith4000: a second connection on the same device takes it
// over, and Webex closes the older one with code 4000 ("replaced"), the code Relais stops
// reconnecting on and turns /readyz red for. An older connection cut without that code would
// reconnect and take the device back, and two processes would steal it from each other forever.
func TestMercuryReplacedConnectionClosedWith4000(t *testing.T) {
	s := webextest.NewTestServer(t, webextest.Options{})
	dev := registerDevice(t, s)
	first := connect(t, s, dev)
	_ = connect(t, s, dev)

	require.NoError(t, first.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err := first.ReadMessage()
	require.Error(t, err)
	var ce *websocket.CloseError
	require.ErrorAs(t, err, &ce, "the older connection is closed with a close frame, not cut")
	require.Equal(t, 4000, ce.Code)
	require.Equal(t, "replaced", ce.Text)
}
