package webexapi

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With acceptance, the webhook is answered 200 only once the consumer recorded the event, and
// 503 (Webex delivers again) when it could not.
func TestWebhookAnswersOnlyOnceTheEventIsRecorded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		report error
		want   int
	}{
		{"recorded", nil, http.StatusOK},
		{"not recorded", errors.New("database is down"), http.StatusServiceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := make(chan Event)
			h, err := NewWebhookHandler(testWebhookSecret, out, WithWebhookAcceptance())
			require.NoError(t, err)
			answered := make(chan int, 1)
			go func() { answered <- postWebhook(h, messageWebhookBody, signed(messageWebhookBody)).Code }()
			ev := <-out
			require.NotNil(t, ev.Accepted, "the consumer is asked to report")
			select {
			case code := <-answered:
				t.Fatalf("answered %d before the consumer reported", code)
			default:
			}
			ev.Accept(tc.report)
			assert.Equal(t, tc.want, <-answered)
		})
	}
}

func TestAcceptIsHarmlessWithoutAProducerWaiting(t *testing.T) {
	t.Parallel()
	Event{}.Accept(nil) // no channel: nothing happens
	ch := make(chan error, 1)
	ev := Event{Accepted: ch}
	ev.Accept(nil)
	ev.Accept(errors.New("twice")) // never blocks
	assert.NoError(t, <-ch)
}
