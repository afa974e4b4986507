package webexapi

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestContractFakeRefusesCardsWebexWouldRefuse: a card above schema 1.3, with an element or an
// action Webex does not render, or without a type, is refused with Webex's 400 (error shape of
// the spec, a tracking id), and no message is posted; a 1.3 card with Webex's inputs is taken.
func TestContractFakeRefusesCardsWebexWouldRefuse(t *testing.T) {
	t.Parallel()
	ct := loadContract(t)
	fake := webextest.NewTestServer(t, webextest.Options{})
	rec := &recorder{next: http.DefaultTransport}
	bot, err := NewClient(WithBaseURL(fake.APIURL()), WithToken(fake.BotToken()), WithHTTPClient(&http.Client{Transport: rec}),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	ctx := context.Background()
	to := "marie.tremblay@example.com"
	text := map[string]any{"type": "TextBlock", "text": "x"}
	submit := map[string]any{"type": "Action.Submit", "title": "OK"}
	refused := map[string]map[string]any{
		"version 1.5":        {"type": "AdaptiveCard", "version": "1.5", "body": []any{text}},
		"Table element":      {"type": "AdaptiveCard", "version": "1.3", "body": []any{map[string]any{"type": "Table"}}},
		"Media element":      {"type": "AdaptiveCard", "version": "1.3", "body": []any{map[string]any{"type": "Media"}}},
		"nested unknown":     {"type": "AdaptiveCard", "version": "1.3", "body": []any{map[string]any{"type": "Container", "items": []any{map[string]any{"type": "Input.Rating"}}}}},
		"Action.Execute":     {"type": "AdaptiveCard", "version": "1.3", "body": []any{text}, "actions": []any{map[string]any{"type": "Action.Execute", "title": "Go"}}},
		"element no type":    {"type": "AdaptiveCard", "version": "1.3", "body": []any{map[string]any{"text": "x"}}},
		"action no type":     {"type": "AdaptiveCard", "version": "1.3", "body": []any{text}, "actions": []any{map[string]any{"title": "Go"}}},
		"card no type":       {"version": "1.3", "body": []any{text}},
		"ShowCard's unknown": {"type": "AdaptiveCard", "version": "1.3", "actions": []any{map[string]any{"type": "Action.ShowCard", "title": "Go", "card": map[string]any{"type": "AdaptiveCard", "body": []any{map[string]any{"type": "Carousel"}}}}}},
	}
	for name, card := range refused {
		att, err := CardAttachment(card)
		require.NoError(t, err)
		_, err = bot.Messages.Create(ctx, &MessageRequest{ToPersonEmail: to, Markdown: "fallback", Attachments: []Attachment{att}})
		var ae *APIError
		require.True(t, errors.As(err, &ae), "%s: %v", name, err)
		assert.Equal(t, http.StatusBadRequest, ae.StatusCode, name)
		assert.NotEmpty(t, ae.TrackingID, name)
	}
	assert.Empty(t, fake.BotMessages(to), "nothing posted")

	ok, err := CardAttachment(map[string]any{"type": "AdaptiveCard", "version": "1.3", "body": []any{text,
		map[string]any{"type": "Input.Date", "id": "d"}, map[string]any{"type": "Input.Time", "id": "t"},
		map[string]any{"type": "Input.ChoiceSet", "id": "c", "choices": []any{map[string]any{"title": "1 h", "value": "60"}}},
		map[string]any{"type": "FactSet", "facts": []any{map[string]any{"title": "a", "value": "b"}}}},
		"actions": []any{submit}})
	require.NoError(t, err)
	_, err = bot.Messages.Create(ctx, &MessageRequest{ToPersonEmail: to, Markdown: "fallback", Attachments: []Attachment{ok}})
	require.NoError(t, err)
	require.Len(t, fake.BotMessages(to), 1)

	for _, e := range rec.take() {
		if e.status == http.StatusBadRequest {
			assert.NoError(t, ct.validateResponse(t, e), "the 400 follows the spec's error shape: %s", e.respBody)
		}
	}
}
